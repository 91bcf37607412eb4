package jobs

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/towerops/tower/internal/store"
)

type syncArgs struct {
	Agent string `json:"agent"`
}

func (syncArgs) Kind() string { return "tower_test_sync" }

// blockingWorker holds every job until release is closed, and records the
// most runs of one agent at the same time.
type blockingWorker struct {
	river.WorkerDefaults[syncArgs]
	started chan string
	release chan struct{}

	mu      sync.Mutex
	running map[string]int
	maxRun  map[string]int
	runs    atomic.Int32
}

func (w *blockingWorker) Work(ctx context.Context, job *river.Job[syncArgs]) error {
	w.mu.Lock()
	w.running[job.Args.Agent]++
	w.maxRun[job.Args.Agent] = max(w.maxRun[job.Args.Agent], w.running[job.Args.Agent])
	w.mu.Unlock()
	w.runs.Add(1)
	w.started <- job.Args.Agent
	select {
	case <-w.release:
	case <-ctx.Done():
	}
	w.mu.Lock()
	w.running[job.Args.Agent]--
	w.mu.Unlock()
	return ctx.Err()
}

// uniqueWhileActive is the narrowest uniqueness River accepts: one job
// per args while one is waiting or running. ByState must name at least
// these four states.
var uniqueWhileActive = &river.InsertOpts{UniqueOpts: river.UniqueOpts{
	ByArgs: true,
	ByState: []rivertype.JobState{
		rivertype.JobStateAvailable, rivertype.JobStatePending,
		rivertype.JobStateRunning, rivertype.JobStateScheduled,
	},
}}

func TestUniqueJobRunsOneAtATime(t *testing.T) {
	t.Parallel()
	onBothBackends(t, func(t *testing.T, st store.Store) {
		ctx := context.Background()
		w := &blockingWorker{
			started: make(chan string, 10), release: make(chan struct{}),
			running: map[string]int{}, maxRun: map[string]int{},
		}
		ws := river.NewWorkers()
		river.AddWorker(ws, w)
		q := startQueue(t, st, Config{Workers: ws})

		first, err := q.Insert(ctx, syncArgs{Agent: "a"}, uniqueWhileActive)
		if err != nil {
			t.Fatalf("Insert: %v", err)
		}
		if first.UniqueSkippedAsDuplicate {
			t.Fatal("first insert was skipped as a duplicate")
		}
		select {
		case <-w.started:
		case <-time.After(10 * time.Second):
			t.Fatal("first job never started")
		}

		dup, err := q.Insert(ctx, syncArgs{Agent: "a"}, uniqueWhileActive)
		if err != nil {
			t.Fatalf("Insert duplicate: %v", err)
		}
		if !dup.UniqueSkippedAsDuplicate || dup.Job.ID != first.Job.ID {
			t.Errorf("duplicate while running: skipped=%v id=%d, want skipped and id %d",
				dup.UniqueSkippedAsDuplicate, dup.Job.ID, first.Job.ID)
		}
		other, err := q.Insert(ctx, syncArgs{Agent: "b"}, uniqueWhileActive)
		if err != nil {
			t.Fatalf("Insert other args: %v", err)
		}
		if other.UniqueSkippedAsDuplicate {
			t.Error("a job with other args was skipped as a duplicate")
		}
		select {
		case <-w.started: // b runs beside a: uniqueness is per args
		case <-time.After(10 * time.Second):
			t.Fatal("job with other args never started")
		}

		close(w.release)
		waitForState(t, q, first.Job.ID, rivertype.JobStateCompleted)

		// Completed is not among the unique states: the same args may run
		// again once the first run finished.
		again, err := q.Insert(ctx, syncArgs{Agent: "a"}, uniqueWhileActive)
		if err != nil {
			t.Fatalf("Insert after completion: %v", err)
		}
		if again.UniqueSkippedAsDuplicate || again.Job.ID == first.Job.ID {
			t.Errorf("insert after completion: skipped=%v id=%d, want a new job", again.UniqueSkippedAsDuplicate, again.Job.ID)
		}
		waitForState(t, q, again.Job.ID, rivertype.JobStateCompleted)

		if got := w.runs.Load(); got != 3 {
			t.Errorf("worker ran %d jobs, want 3 (a, b, a again)", got)
		}
		w.mu.Lock()
		defer w.mu.Unlock()
		if w.maxRun["a"] != 1 {
			t.Errorf("agent a ran %d at once, want 1", w.maxRun["a"])
		}
	})
}
