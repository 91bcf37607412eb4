// Package eachbackend runs a test against every store backend: a fresh
// SQLite file, and a fresh PostgreSQL schema when TOWER_TEST_POSTGRES_URL
// is set (see postgres.TestURL). Packages above the store (skills, fleet,
// executors) use it so their tests prove the same behaviour on both.
package eachbackend

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/towerops/tower/internal/store"
	"github.com/towerops/tower/internal/store/postgres"
	"github.com/towerops/tower/internal/store/sqlite"
)

// Run calls fn in a subtest per backend with a migrated, empty store.
func Run(t *testing.T, fn func(t *testing.T, st store.Store)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) {
		fn(t, SQLite(t))
	})
	t.Run("postgres", func(t *testing.T) {
		fn(t, postgres.NewTestStore(t)) // skips, or fails under CI=true, without a server
	})
}

// SQLite returns a migrated store in a new file, closed when t ends.
func SQLite(t testing.TB) *sqlite.Store {
	t.Helper()
	ctx := context.Background()
	st, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "tower.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if _, err := st.MigrateUp(ctx); err != nil {
		t.Fatal(err)
	}
	return st
}
