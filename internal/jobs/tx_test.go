package jobs

import (
	"context"
	"errors"
	"testing"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/towerops/tower/internal/store"
)

var errRollback = errors.New("roll back on purpose")

func TestInsertTxFollowsTheTransaction(t *testing.T) {
	t.Parallel()
	onBothBackends(t, func(t *testing.T, st store.Store) {
		ctx := context.Background()
		runs := newRunCounter()
		q := startQueue(t, st, Config{Workers: countWorkers(runs, "a", 0)})

		var committed, rolledBack int64
		err := st.InTx(ctx, func(ctx context.Context, sq store.Queries) error {
			res, err := q.InsertTx(ctx, sq, countArgs{N: 1}, nil)
			if err != nil {
				return err
			}
			committed = res.Job.ID
			return nil
		})
		if err != nil {
			t.Fatalf("InTx (commit): %v", err)
		}
		err = st.InTx(ctx, func(ctx context.Context, sq store.Queries) error {
			res, err := q.InsertTx(ctx, sq, countArgs{N: 2}, nil)
			if err != nil {
				return err
			}
			rolledBack = res.Job.ID
			return errRollback
		})
		if !errors.Is(err, errRollback) {
			t.Fatalf("InTx (rollback) = %v, want the function's error", err)
		}

		waitForState(t, q, committed, rivertype.JobStateCompleted)
		if got := runs.runs(1); got != 1 {
			t.Errorf("committed job ran %d times, want 1", got)
		}
		if _, err := q.JobGet(ctx, rolledBack); !errors.Is(err, rivertype.ErrNotFound) {
			t.Errorf("JobGet(rolled back job %d) = %v, want rivertype.ErrNotFound", rolledBack, err)
		}
		// A job inserted after the rolled-back one has run, so the queue
		// had every chance to run the rolled-back one too.
		later, err := q.Insert(ctx, countArgs{N: 3}, nil)
		if err != nil {
			t.Fatalf("Insert: %v", err)
		}
		waitForState(t, q, later.Job.ID, rivertype.JobStateCompleted)
		if got := runs.runs(2); got != 0 {
			t.Errorf("rolled-back job ran %d times, want 0", got)
		}
	})
}

func TestInsertTxNeedsATransaction(t *testing.T) {
	t.Parallel()
	onBothBackends(t, func(t *testing.T, st store.Store) {
		ctx := context.Background()
		q := openQueue(t, st, Config{InsertOnly: true})
		if _, err := q.InsertTx(ctx, st, countArgs{N: 1}, nil); !errors.Is(err, ErrNotInTx) {
			t.Errorf("InsertTx(store outside InTx) = %v, want ErrNotInTx", err)
		}
		if _, err := q.InsertManyTx(ctx, st, []river.InsertManyParams{{Args: countArgs{N: 1}}}); !errors.Is(err, ErrNotInTx) {
			t.Errorf("InsertManyTx(store outside InTx) = %v, want ErrNotInTx", err)
		}
		if err := q.Start(ctx); !errors.Is(err, ErrInsertOnly) {
			t.Errorf("Start(insert-only) = %v, want ErrInsertOnly", err)
		}
		res, err := q.JobList(ctx, river.NewJobListParams())
		if err != nil {
			t.Fatalf("JobList: %v", err)
		}
		if len(res.Jobs) != 0 {
			t.Errorf("JobList after refused inserts: %d jobs, want 0", len(res.Jobs))
		}
	})
}
