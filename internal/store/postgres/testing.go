package postgres

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	neturl "net/url"
	"os"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/towerops/tower/internal/store"
)

// EnvTestURL names the environment variable holding the PostgreSQL server
// tests run against, e.g.
// postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable.
const EnvTestURL = "TOWER_TEST_POSTGRES_URL"

// TestURL returns the URL of a fresh, empty schema on the test server: the
// server's URL with search_path set to a new schema t_<random>, which is
// dropped when t ends. Give it to code that opens its own store (the CLI).
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
	var b [6]byte
	if _, err := rand.Read(b[:]); err != nil {
		t.Fatalf("postgres test schema name: %v", err)
	}
	schema := "t_" + hex.EncodeToString(b[:])
	if err := adminExec(t, base, `CREATE SCHEMA `+schema); err != nil {
		t.Fatalf("postgres test server %s: %v", store.Redact(base), err)
	}
	t.Cleanup(func() {
		if err := adminExec(t, base, `DROP SCHEMA IF EXISTS `+schema+` CASCADE`); err != nil {
			t.Errorf("drop test schema %s: %v", schema, err)
		}
	})
	u, err := withSearchPath(base, schema)
	if err != nil {
		t.Fatalf("%s: %v", EnvTestURL, err)
	}
	return u
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

// adminExec runs one statement on its own short-lived connection; it is
// used outside any test store, to create and drop schemas.
func adminExec(t testing.TB, url, sql string) error {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		return fmt.Errorf("cannot connect: %w", err)
	}
	defer conn.Close(context.Background())
	if _, err := conn.Exec(ctx, sql); err != nil {
		return err
	}
	return nil
}

// withSearchPath sets the search_path run-time parameter in a URL; pgx
// passes unknown URL parameters to the server as settings.
func withSearchPath(url, schema string) (string, error) {
	u, err := neturl.Parse(url)
	if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
		return "", fmt.Errorf("want a postgres:// URL, got %s", store.Redact(url))
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String(), nil
}
