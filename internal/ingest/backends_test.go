package ingest

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/towerops/tower/internal/store"
	"github.com/towerops/tower/internal/store/postgres"
	_ "github.com/towerops/tower/internal/store/sqlite"
)

// backend opens a fresh, migrated store of one kind for a test.
type backend struct {
	name string
	open func(t testing.TB) store.Store
}

// backends are the real databases the importer is tested against. The
// PostgreSQL one skips unless TOWER_TEST_POSTGRES_URL is set.
var backends = []backend{
	{"sqlite", openSQLite},
	{"postgres", func(t testing.TB) store.Store { return postgres.NewTestStore(t) }},
}

func openSQLite(t testing.TB) store.Store {
	t.Helper()
	s, err := store.Open(t.Context(), "sqlite:"+filepath.Join(t.TempDir(), "tower.db"))
	if err != nil {
		t.Fatalf("open sqlite: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	if _, err := s.MigrateUp(t.Context()); err != nil {
		t.Fatalf("migrate sqlite: %v", err)
	}
	return s
}

// onEachBackend runs fn once per backend, each with its own store.
func onEachBackend(t *testing.T, fn func(t *testing.T, st store.Store)) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			t.Parallel()
			fn(t, b.open(t))
		})
	}
}

// writeBundle writes files (name → content) into a new folder.
func writeBundle(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, content := range files {
		path := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func mustRead(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
