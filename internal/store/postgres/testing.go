package postgres

import (
	"context"
	"os"
	"testing"
	"time"
)

// EnvTestURL names the environment variable holding the PostgreSQL server
// tests run against, e.g.
// postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable.
const EnvTestURL = "TOWER_TEST_POSTGRES_URL"

// TestURL returns the URL of a fresh, empty schema on the test server (see
// ScratchSchema), dropped when t ends. Give it to code that opens its own
// store, such as the CLI.
//
// When EnvTestURL is unset the test is skipped — unless CI=true, where a
// missing database is a broken pipeline and the test fails. When it is set
// but the server does not answer, the test fails: skipping would hide it.
func TestURL(t testing.TB) string {
	t.Helper()
	base := os.Getenv(EnvTestURL)
	if base == "" {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s is not set, and CI=true: the PostgreSQL tests must run in CI. "+
				"Set it to a server URL such as postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable", EnvTestURL)
		}
		t.Skipf("PostgreSQL tests skipped: set %s (e.g. postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable)", EnvTestURL)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	url, drop, err := ScratchSchema(ctx, base, "t")
	if err != nil {
		t.Fatalf("%s: %v", EnvTestURL, err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
		defer cancel()
		if err := drop(ctx); err != nil {
			t.Errorf("test schema: %v", err)
		}
	})
	return url
}

// NewTestStore returns a migrated store in a fresh schema of the test
// server (see TestURL for when it skips or fails). The store is closed and
// the schema dropped when t ends, so tests may run in parallel.
func NewTestStore(t testing.TB) *Store {
	t.Helper()
	url := TestURL(t)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	s, err := Open(ctx, url)
	if err != nil {
		t.Fatalf("open test store: %v", err)
	}
	t.Cleanup(func() { _ = s.Close() })
	if _, err := s.MigrateUp(ctx); err != nil {
		t.Fatalf("migrate test store: %v", err)
	}
	return s
}
