package storetest

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/towerops/tower/internal/foundation"
	"github.com/towerops/tower/internal/store"
)

var errBoom = errors.New("boom")

var txTests = []test{
	// A write that fails inside InTx fails the whole transaction, even when
	// fn carries on and returns nil: later writes return ErrTxFailed and
	// nothing of the transaction is saved. (Rejected rows are not failures.)
	{"FailedWriteFailsTx", func(t *testing.T, s store.Store) {
		err := s.InTx(ctx(t), func(ctx context.Context, q store.Queries) error {
			if _, err := q.OwnersUpsert(ctx, &store.OwnersUpsertParams{Owners: []foundation.Owner{{ID: "O-1"}}}); err != nil {
				return err
			}
			_, err := q.TemplatesUpsert(ctx, &store.TemplatesUpsertParams{Templates: []foundation.Template{
				{ID: "T-1"}, {ID: "T-2", Traits: foundation.Traits{"bad": func() {}}}}})
			if err == nil {
				t.Error("a template whose traits cannot be stored was accepted")
			}
			_, err = q.OwnersUpsert(ctx, &store.OwnersUpsertParams{Owners: []foundation.Owner{{ID: "O-2"}}})
			if !errors.Is(err, store.ErrTxFailed) {
				t.Errorf("write after a failed write: err = %v, want ErrTxFailed", err)
			}
			return nil // carrying on regardless must not commit
		})
		if !errors.Is(err, store.ErrTxFailed) {
			t.Fatalf("InTx err = %v, want ErrTxFailed", err)
		}
		c, err := s.Counts(ctx(t))
		if err != nil {
			t.Fatal(err)
		}
		if c.Owners != 0 || c.Templates != 0 {
			t.Errorf("owners %d, templates %d after a failed transaction; want nothing saved", c.Owners, c.Templates)
		}
	}},
	{"Commit", func(t *testing.T, s store.Store) {
		err := s.InTx(ctx(t), func(ctx context.Context, q store.Queries) error {
			if _, err := q.OwnersUpsert(ctx, &store.OwnersUpsertParams{Owners: []foundation.Owner{{ID: "O-001", Name: "Ana", Team: "sales"}}}); err != nil {
				return err
			}
			if _, err := q.RecordsUpsert(ctx, &store.RecordsUpsertParams{Records: []foundation.Record{{System: "crm", SystemID: "c1", Email: "ana@x.test"}}}); err != nil {
				return err
			}
			// The transaction sees its own writes.
			c, err := q.Counts(ctx)
			if err != nil {
				return err
			}
			if c.Owners != 1 || c.Records != 1 || c.People != 1 {
				return fmt.Errorf("inside the transaction counts = %+v, want 1 owner, record, person", *c)
			}
			return nil
		})
		if err != nil {
			t.Fatalf("InTx: %v", err)
		}
		c := counts(t, s)
		checkEqual(t, "after commit", [3]int64{c.Owners, c.Records, c.People}, [3]int64{1, 1, 1})
	}},
	{"RollbackOnError", func(t *testing.T, s store.Store) {
		seedOwners(t, s)
		err := s.InTx(ctx(t), func(ctx context.Context, q store.Queries) error {
			if _, err := q.OwnersUpsert(ctx, &store.OwnersUpsertParams{Owners: []foundation.Owner{
				{ID: "O-001", Name: "Renamed", Team: "ops"}, {ID: "O-003", Name: "New", Team: "ops"}}}); err != nil {
				return err
			}
			if _, err := q.RecordsUpsert(ctx, &store.RecordsUpsertParams{Records: []foundation.Record{{System: "crm", SystemID: "c1", Email: "a@x.test"}}}); err != nil {
				return err
			}
			if _, err := q.EventsInsert(ctx, &store.EventsInsertParams{Events: []foundation.Event{{MessageID: "m1", Type: "track", Timestamp: date(2025, 1, 1)}}}); err != nil {
				return err
			}
			return fmt.Errorf("import stopped: %w", errBoom)
		})
		if !errors.Is(err, errBoom) {
			t.Fatalf("InTx err = %v, want it to wrap the error fn returned", err)
		}
		c := counts(t, s)
		checkEqual(t, "after rollback (owners, records, people, events)", [4]int64{c.Owners, c.Records, c.People, c.Events}, [4]int64{2, 0, 0, 0})
		owners := must[[]foundation.Owner](t)(s.OwnersList(ctx(t), &store.OwnersListParams{}))
		checkEqual(t, "O-001 name after rollback", owners[0].Name, "Ana Silva")
	}},
	{"ConcurrentWriters", func(t *testing.T, s store.Store) {
		// Writers from many goroutines must all succeed: no "database is
		// locked", no serialisation failure surfacing to the caller.
		const workers, batches, size = 6, 8, 25
		var wg sync.WaitGroup
		errs := make(chan error, workers*batches*2)
		for w := range workers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for b := range batches {
					recs := make([]foundation.Record, size)
					for i := range recs {
						id := fmt.Sprintf("w%d-b%d-%d", w, b, i)
						// Every worker touches the same shared addresses too.
						recs[i] = foundation.Record{System: "crm", SystemID: id, Email: fmt.Sprintf("shared%d@x.test", i)}
					}
					var err error
					if b%2 == 0 {
						_, err = s.RecordsUpsert(ctx(t), &store.RecordsUpsertParams{Records: recs})
					} else {
						err = s.InTx(ctx(t), func(ctx context.Context, q store.Queries) error {
							if _, err := q.OwnersUpsert(ctx, &store.OwnersUpsertParams{Owners: []foundation.Owner{
								{ID: fmt.Sprintf("O-%d-%d", w, b), Name: "x", Team: "ops"}}}); err != nil {
								return err
							}
							_, err := q.RecordsUpsert(ctx, &store.RecordsUpsertParams{Records: recs})
							return err
						})
					}
					if err != nil {
						errs <- err
					}
					if _, err := s.PeopleList(ctx(t), &store.PeopleListParams{}); err != nil {
						errs <- err
					}
				}
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Errorf("concurrent write: %v", err)
		}
		c := counts(t, s)
		checkEqual(t, "Records", c.Records, int64(workers*batches*size))
		checkEqual(t, "People (one per shared address)", c.People, int64(size))
		checkEqual(t, "Owners", c.Owners, int64(workers*batches/2))
	}},
}
