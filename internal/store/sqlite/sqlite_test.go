package sqlite_test

import (
	"path/filepath"
	"testing"

	"github.com/towerops/tower/internal/store"
	"github.com/towerops/tower/internal/store/sqlite"
	"github.com/towerops/tower/internal/store/storetest"
)

// newStore opens a migrated database in a fresh file of the test's own.
func newStore(t *testing.T) store.Store {
	t.Helper()
	s, err := sqlite.Open(t.Context(), filepath.Join(t.TempDir(), "tower.db"))
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Errorf("close: %v", err)
		}
	})
	if _, err := s.MigrateUp(t.Context()); err != nil {
		t.Fatalf("migrate: %v", err)
	}
	return s
}

func TestConformance(t *testing.T) {
	storetest.Run(t, newStore)
}
