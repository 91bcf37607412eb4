package postgres_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/towerops/tower/internal/foundation"
	"github.com/towerops/tower/internal/store"
	"github.com/towerops/tower/internal/store/postgres"
	"github.com/towerops/tower/internal/store/storetest"
)

func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) store.Store { return postgres.NewTestStore(t) })
}

func TestOpenByScheme(t *testing.T) {
	t.Parallel()
	url := postgres.TestURL(t)
	for _, scheme := range []string{"postgres", "postgresql"} {
		u := scheme + strings.TrimPrefix(url, strings.SplitN(url, ":", 2)[0])
		s, err := store.Open(t.Context(), u)
		if err != nil {
			t.Fatalf("store.Open(%s): %v", scheme, err)
		}
		if s.Backend() != "postgres" {
			t.Errorf("%s: Backend() = %q", scheme, s.Backend())
		}
		if err := s.Ping(t.Context()); err != nil {
			t.Errorf("%s: Ping: %v", scheme, err)
		}
		_ = s.Close()
	}
}

func TestOpenNeverShowsPassword(t *testing.T) {
	t.Parallel()
	for _, url := range []string{
		"postgres://tower:s3cret-pw@127.0.0.1:1/tower?connect_timeout=2", // nothing listens on port 1
		"postgres://tower:s3cret-pw@127.0.0.1:notaport/tower",
		"postgres://tower:s3cret-pw@127.0.0.1/tower?sslmode=bogus",
	} {
		s, err := store.Open(t.Context(), url)
		if err == nil {
			_ = s.Close()
			t.Errorf("Open(%s) succeeded, want an error", store.Redact(url))
			continue
		}
		if s != nil {
			t.Errorf("Open failed but returned a non-nil store %#v", s)
		}
		if strings.Contains(err.Error(), "s3cret-pw") {
			t.Errorf("error shows the password: %v", err)
		}
		if !strings.Contains(err.Error(), "127.0.0.1") {
			t.Errorf("error does not say which server: %v", err)
		}
	}
}

func TestMigrateStatusBeforeMigrateUp(t *testing.T) {
	t.Parallel()
	s := mustOpen(t, postgres.TestURL(t))
	status, err := s.MigrateStatus(t.Context())
	if err != nil {
		t.Fatalf("MigrateStatus on an empty schema: %v", err)
	}
	if len(status) == 0 {
		t.Fatal("no embedded migrations")
	}
	for _, m := range status {
		if m.Applied || !m.AppliedAt.IsZero() {
			t.Errorf("migration %s applied before MigrateUp", m.Name)
		}
	}
}

// Several nodes starting at once on an empty database must each succeed
// and apply each migration exactly once.
func TestMigrateUpConcurrently(t *testing.T) {
	t.Parallel()
	url := postgres.TestURL(t)
	const nodes = 6
	stores := make([]*postgres.Store, nodes)
	for i := range stores {
		stores[i] = mustOpen(t, url)
	}
	applied := make([][]store.Migration, nodes)
	errs := make([]error, nodes)
	var wg sync.WaitGroup
	for i, s := range stores {
		wg.Add(1)
		go func() {
			defer wg.Done()
			applied[i], errs[i] = s.MigrateUp(t.Context())
		}()
	}
	wg.Wait()
	total := 0
	for i := range nodes {
		if errs[i] != nil {
			t.Fatalf("node %d: MigrateUp: %v", i, errs[i])
		}
		total += len(applied[i])
	}
	status, err := stores[0].MigrateStatus(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if total != len(status) {
		t.Errorf("nodes applied %d migrations in all, want %d (each once)", total, len(status))
	}
	for _, m := range status {
		if !m.Applied || m.AppliedAt.IsZero() {
			t.Errorf("migration %s not applied", m.Name)
		}
	}
}

// Imports on several nodes can lock the same people in opposite orders.
// PostgreSQL resolves that deadlock by aborting one batch; the store must
// retry it rather than fail the import.
func TestOppositeOrderImportsDoNotFail(t *testing.T) {
	t.Parallel()
	s := postgres.NewTestStore(t)
	// Big enough batches that the two statements overlap in time; several
	// rounds so at least one of them deadlocks.
	const n, rounds = 3000, 3
	batch := func(round int, system string, reverse bool) []foundation.Record {
		recs := make([]foundation.Record, n)
		for i := range recs {
			j := i
			if reverse {
				j = n - 1 - i
			}
			recs[i] = foundation.Record{System: system, SystemID: fmt.Sprint(j),
				Email: fmt.Sprintf("r%d-p%d@x.test", round, j)}
		}
		return recs
	}
	for round := range rounds {
		var wg sync.WaitGroup
		errs := make(chan error, 2)
		for _, w := range []struct {
			system  string
			reverse bool
		}{{fmt.Sprintf("crm%d", round), false}, {fmt.Sprintf("esp%d", round), true}} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				res, err := s.RecordsUpsert(t.Context(), &store.RecordsUpsertParams{Records: batch(round, w.system, w.reverse)})
				if err == nil && res.Written != n {
					err = fmt.Errorf("%s: Written = %d, want %d", w.system, res.Written, n)
				}
				errs <- err
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Error(err)
			}
		}
	}
	c, err := s.Counts(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if c.People != n*rounds || c.Records != 2*n*rounds {
		t.Errorf("people %d, records %d; want %d and %d", c.People, c.Records, n*rounds, 2*n*rounds)
	}
}

func TestGetNotFoundIsTyped(t *testing.T) {
	t.Parallel()
	s := postgres.NewTestStore(t)
	_, err := s.PersonGet(t.Context(), &store.PersonGetParams{Email: "not an address"})
	if !errors.Is(err, store.ErrNotFound) {
		t.Errorf("PersonGet(bad e-mail) = %v, want ErrNotFound", err)
	}
}

func mustOpen(t *testing.T, url string) *postgres.Store {
	t.Helper()
	s, err := postgres.Open(context.Background(), url)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}

func TestScratchSchemaIsPrivateAndDropped(t *testing.T) {
	t.Parallel()
	base := postgres.TestURL(t) // skips or fails like every PostgreSQL test
	url, drop, err := postgres.ScratchSchema(t.Context(), base, "scratch")
	if err != nil {
		t.Fatal(err)
	}
	s := mustOpen(t, url)
	if _, err := s.MigrateUp(t.Context()); err != nil {
		t.Fatal(err)
	}
	if _, err := s.OwnersUpsert(t.Context(), &store.OwnersUpsertParams{Owners: []foundation.Owner{{ID: "O-1"}}}); err != nil {
		t.Fatal(err)
	}
	_ = s.Close()
	if err := drop(t.Context()); err != nil {
		t.Fatalf("drop: %v", err)
	}
	s = mustOpen(t, url)
	if _, err := s.Counts(t.Context()); err == nil {
		t.Error("the schema's tables still answer after drop")
	}
	if _, _, err := postgres.ScratchSchema(t.Context(), base, "Bad-Prefix"); err == nil {
		t.Error("a prefix that is not a plain identifier was accepted")
	}
}
