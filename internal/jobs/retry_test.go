package jobs

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/towerops/tower/internal/store"
)

type flakyArgs struct{}

func (flakyArgs) Kind() string { return "tower_test_flaky" }

// flakyWorker fails its first two attempts and succeeds on the third,
// asking to be retried after backoff each time.
type flakyWorker struct {
	river.WorkerDefaults[flakyArgs]
	backoff time.Duration
	mu      sync.Mutex
	at      []time.Time // when each attempt started
}

func (w *flakyWorker) Work(ctx context.Context, job *river.Job[flakyArgs]) error {
	w.mu.Lock()
	w.at = append(w.at, time.Now())
	w.mu.Unlock()
	if job.Attempt <= 2 {
		return fmt.Errorf("attempt %d fails on purpose", job.Attempt)
	}
	return nil
}

func (w *flakyWorker) NextRetry(*river.Job[flakyArgs]) time.Time {
	return time.Now().Add(w.backoff)
}

func (w *flakyWorker) attempts() []time.Time {
	w.mu.Lock()
	defer w.mu.Unlock()
	return append([]time.Time(nil), w.at...)
}

func TestFailingJobIsRetriedWithBackoff(t *testing.T) {
	t.Parallel()
	onBothBackends(t, func(t *testing.T, st store.Store) {
		const backoff = 300 * time.Millisecond
		w := &flakyWorker{backoff: backoff}
		ws := river.NewWorkers()
		river.AddWorker(ws, w)
		q := startQueue(t, st, Config{Workers: ws})

		res, err := q.Insert(context.Background(), flakyArgs{}, nil)
		if err != nil {
			t.Fatalf("Insert: %v", err)
		}
		job := waitForState(t, q, res.Job.ID, rivertype.JobStateCompleted)
		if job.Attempt != 3 {
			t.Errorf("completed on attempt %d, want 3", job.Attempt)
		}
		if len(job.Errors) != 2 {
			t.Errorf("job recorded %d errors, want 2: %+v", len(job.Errors), job.Errors)
		}
		if job.MaxAttempts != DefaultMaxAttempts {
			t.Errorf("MaxAttempts = %d, want the default %d", job.MaxAttempts, DefaultMaxAttempts)
		}
		at := w.attempts()
		if len(at) != 3 {
			t.Fatalf("worker ran %d times, want 3", len(at))
		}
		for i := 1; i < len(at); i++ {
			// River stores times to the millisecond on SQLite; allow for it.
			if gap := at[i].Sub(at[i-1]); gap < backoff-5*time.Millisecond {
				t.Errorf("attempt %d started %s after attempt %d, want at least the backoff %s", i+1, gap, i, backoff)
			}
		}
	})
}
