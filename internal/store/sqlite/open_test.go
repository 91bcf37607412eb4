package sqlite_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/towerops/tower/internal/foundation"
	"github.com/towerops/tower/internal/store"
	"github.com/towerops/tower/internal/store/sqlite"
)

func TestOpenByURL(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	for _, url := range []string{
		"sqlite:relative.db",
		"sqlite:" + filepath.Join(dir, "absolute.db"),
		"sqlite://slashes.db",
		"sqlite://" + filepath.Join(dir, "triple.db"),
	} {
		s, err := store.Open(t.Context(), url)
		if err != nil {
			t.Errorf("Open(%q): %v", url, err)
			continue
		}
		if _, err := s.MigrateUp(t.Context()); err != nil {
			t.Errorf("MigrateUp(%q): %v", url, err)
		}
		if s.Backend() != "sqlite" {
			t.Errorf("Backend = %q", s.Backend())
		}
		s.Close()
	}
	for _, name := range []string{"relative.db", "absolute.db", "slashes.db", "triple.db"} {
		if _, err := os.Stat(filepath.Join(dir, name)); err != nil {
			t.Errorf("database file %s not created: %v", name, err)
		}
	}
	if _, err := store.Open(t.Context(), "sqlite:"); !errors.Is(err, sqlite.ErrNoPath) {
		t.Errorf("empty path: err = %v, want ErrNoPath", err)
	}
}

func TestDataSurvivesReopen(t *testing.T) {
	path := filepath.Join(t.TempDir(), "tower.db")
	s, err := sqlite.Open(t.Context(), path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.MigrateUp(t.Context()); err != nil {
		t.Fatal(err)
	}
	if _, err := s.OwnersUpsert(t.Context(), &store.OwnersUpsertParams{Owners: []foundation.Owner{{ID: "O-1", Name: "Ana"}}}); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s, err = sqlite.Open(t.Context(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if done, err := s.MigrateUp(t.Context()); err != nil || len(done) != 0 {
		t.Fatalf("MigrateUp on reopen applied %v (err %v)", done, err)
	}
	var mode string
	if err := s.DB().QueryRowContext(t.Context(), "PRAGMA journal_mode").Scan(&mode); err != nil || mode != "wal" {
		t.Errorf("journal_mode = %q (err %v), want wal", mode, err)
	}
	c, err := s.Counts(t.Context())
	if err != nil || c.Owners != 1 {
		t.Fatalf("owners after reopen = %+v (err %v)", c, err)
	}
}

// TestReadersDoNotWaitForWriter holds the write transaction open and
// checks that reads outside it still answer, from the last commit.
func TestReadersDoNotWaitForWriter(t *testing.T) {
	s := newStore(t).(*sqlite.Store)
	ctx := t.Context()
	if _, err := s.OwnersUpsert(ctx, &store.OwnersUpsertParams{Owners: []foundation.Owner{{ID: "O-1", Name: "Ana"}}}); err != nil {
		t.Fatal(err)
	}
	inside, release := make(chan struct{}), make(chan struct{})
	done := make(chan error, 1)
	go func() {
		done <- s.InTx(ctx, func(ctx context.Context, q store.Queries) error {
			if _, err := q.OwnersUpsert(ctx, &store.OwnersUpsertParams{Owners: []foundation.Owner{{ID: "O-2", Name: "Bo"}}}); err != nil {
				return err
			}
			close(inside)
			<-release
			return nil
		})
	}()
	<-inside
	rctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	c, err := s.Counts(rctx)
	cancel()
	close(release)
	if err != nil {
		t.Fatalf("read during a write transaction: %v", err)
	}
	if c.Owners != 1 {
		t.Errorf("read during the transaction saw %d owners, want the committed 1", c.Owners)
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if c, _ := s.Counts(ctx); c.Owners != 2 {
		t.Errorf("after commit: %d owners, want 2", c.Owners)
	}
}

// TestFailedBatchFailsTx checks that a batch that fails inside InTx
// fails the whole transaction, even when fn carries on and returns nil:
// nothing of the transaction is saved.
func TestFailedBatchFailsTx(t *testing.T) {
	s := newStore(t)
	ctx := t.Context()
	err := s.InTx(ctx, func(ctx context.Context, q store.Queries) error {
		if _, err := q.OwnersUpsert(ctx, &store.OwnersUpsertParams{Owners: []foundation.Owner{{ID: "O-1"}}}); err != nil {
			return err
		}
		_, err := q.TemplatesUpsert(ctx, &store.TemplatesUpsertParams{Templates: []foundation.Template{
			{ID: "T-1"}, {ID: "T-2", Traits: foundation.Traits{"bad": func() {}}}}})
		if err == nil {
			t.Error("a template whose traits cannot be stored was accepted")
		}
		_, err = q.OwnersUpsert(ctx, &store.OwnersUpsertParams{Owners: []foundation.Owner{{ID: "O-2"}}})
		if !errors.Is(err, sqlite.ErrTxFailed) {
			t.Errorf("write after a failed batch: err = %v, want ErrTxFailed", err)
		}
		return nil // carrying on regardless must not commit
	})
	if !errors.Is(err, sqlite.ErrTxFailed) {
		t.Fatalf("InTx err = %v, want ErrTxFailed", err)
	}
	c, _ := s.Counts(ctx)
	if c.Owners != 0 || c.Templates != 0 {
		t.Errorf("owners %d templates %d, want nothing saved", c.Owners, c.Templates)
	}
}
