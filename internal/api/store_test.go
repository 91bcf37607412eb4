package api

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/towerops/tower/internal/store"
)

// openTestStore opens a migrated SQLite store in a temporary folder,
// closed when the test ends.
func openTestStore(t *testing.T) store.Store {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, "sqlite:"+filepath.Join(t.TempDir(), "tower.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if _, err := st.MigrateUp(ctx); err != nil {
		t.Fatal(err)
	}
	return st
}
