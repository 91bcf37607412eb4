package jobs

import (
	"context"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/towerops/tower/internal/store"
	"github.com/towerops/tower/internal/store/postgres"
	"github.com/towerops/tower/internal/store/sqlite"
)

// riverVersions lists River's applied migrations with when each was
// applied, read straight from its river_migration table.
func riverVersions(t *testing.T, st store.Store) []string {
	t.Helper()
	ctx := context.Background()
	const query = `SELECT version || ' ' || created_at FROM river_migration ORDER BY version`
	var out []string
	switch s := st.(type) {
	case sqliteDB:
		rows, err := s.DB().QueryContext(ctx, query)
		if err != nil {
			t.Fatalf("read river_migration: %v", err)
		}
		defer rows.Close()
		for rows.Next() {
			var v string
			if err := rows.Scan(&v); err != nil {
				t.Fatal(err)
			}
			out = append(out, v)
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
	case pgPool:
		rows, err := s.Pool().Query(ctx, query)
		if err != nil {
			t.Fatalf("read river_migration: %v", err)
		}
		defer rows.Close()
		for rows.Next() {
			var v string
			if err := rows.Scan(&v); err != nil {
				t.Fatal(err)
			}
			out = append(out, v)
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
	default:
		t.Fatalf("unknown store %T", st)
	}
	return out
}

// riverMigrationCount is how many migrations River v0.47.0 has.
const riverMigrationCount = 7

func TestMigrateTwiceIsANoOp(t *testing.T) {
	t.Parallel()
	onBothBackends(t, func(t *testing.T, st store.Store) {
		before := riverVersions(t, st)
		if len(before) != riverMigrationCount {
			t.Fatalf("after Migrate: %d River migrations applied, want %d: %v", len(before), riverMigrationCount, before)
		}
		mustMigrate(t, st)
		if after := riverVersions(t, st); !slices.Equal(before, after) {
			t.Errorf("second Migrate changed river_migration:\nbefore %v\nafter  %v", before, after)
		}
	})
}

// migrateAtOnce runs Migrate on every store at the same moment.
func migrateAtOnce(t *testing.T, stores []store.Store) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var wg sync.WaitGroup
	errs := make([]error, len(stores))
	start := make(chan struct{})
	for i, st := range stores {
		wg.Go(func() {
			<-start
			errs[i] = Migrate(ctx, st)
		})
	}
	close(start)
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("Migrate #%d: %v", i, err)
		}
	}
	if got := riverVersions(t, stores[0]); len(got) != riverMigrationCount {
		t.Errorf("%d River migrations applied, want %d: %v", len(got), riverMigrationCount, got)
	}
}

func TestMigrateConcurrentlyOnPostgres(t *testing.T) {
	t.Parallel()
	url := postgres.TestURL(t) // an empty schema
	var stores []store.Store
	for range 4 {
		st, err := postgres.Open(context.Background(), url)
		if err != nil {
			t.Fatalf("open: %v", err)
		}
		t.Cleanup(func() { _ = st.Close() })
		stores = append(stores, st)
	}
	migrateAtOnce(t, stores)
}

// Two processes opening one new SQLite workspace at once (two stores on
// one file here) must both succeed.
func TestMigrateConcurrentlyOnSQLite(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "tower.db")
	var stores []store.Store
	for range 2 {
		st, err := sqlite.Open(context.Background(), path)
		if err != nil {
			t.Fatalf("open: %v", err)
		}
		t.Cleanup(func() { _ = st.Close() })
		stores = append(stores, st)
	}
	migrateAtOnce(t, stores)
}

var _ sqliteDB = (*sqlite.Store)(nil)
var _ pgPool = (*postgres.Store)(nil)
