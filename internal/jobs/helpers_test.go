package jobs

import (
	"context"
	"log/slog"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/towerops/tower/internal/store"
	"github.com/towerops/tower/internal/store/postgres"
	"github.com/towerops/tower/internal/store/sqlite"
)

// onBothBackends runs fn against a migrated SQLite store in a temporary
// file and, when TOWER_TEST_POSTGRES_URL is set, a PostgreSQL store in a
// schema of its own; both already have River's tables.
func onBothBackends(t *testing.T, fn func(t *testing.T, st store.Store)) {
	t.Run("sqlite", func(t *testing.T) {
		t.Parallel()
		fn(t, newSQLiteStore(t))
	})
	t.Run("postgres", func(t *testing.T) {
		t.Parallel()
		st := postgres.NewTestStore(t)
		mustMigrate(t, st)
		fn(t, st)
	})
}

func newSQLiteStore(t *testing.T) store.Store {
	t.Helper()
	ctx := context.Background()
	st, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "tower.db"))
	if err != nil {
		t.Fatalf("open sqlite: %v", err)
	}
	t.Cleanup(func() { _ = st.Close() })
	if _, err := st.MigrateUp(ctx); err != nil {
		t.Fatalf("migrate sqlite: %v", err)
	}
	mustMigrate(t, st)
	return st
}

func mustMigrate(t *testing.T, st store.Store) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := Migrate(ctx, st); err != nil {
		t.Fatalf("Migrate: %v", err)
	}
}

// testLogger shows River's warnings in the test's output only.
func testLogger(t *testing.T) *slog.Logger {
	return slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelWarn}))
}

// startQueue opens and starts a queue with short poll intervals and stops
// it when the test ends (before the store closes).
func startQueue(t *testing.T, st store.Store, cfg Config) *Queue {
	t.Helper()
	q := openQueue(t, st, cfg)
	if err := q.Start(context.Background()); err != nil {
		t.Fatalf("Start: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := q.Stop(ctx); err != nil {
			t.Errorf("Stop: %v", err)
		}
	})
	return q
}

func openQueue(t *testing.T, st store.Store, cfg Config) *Queue {
	t.Helper()
	cfg.testOnly = true
	if cfg.FetchPollInterval == 0 {
		cfg.FetchPollInterval = 50 * time.Millisecond
	}
	if cfg.Logger == nil {
		cfg.Logger = testLogger(t)
	}
	q, err := Open(context.Background(), st, cfg)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	return q
}

// waitFor polls cond until it holds or the deadline passes.
func waitFor(t *testing.T, within time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(within)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("after %s: %s", within, what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// waitForState waits until job id reaches state and returns it.
func waitForState(t *testing.T, q *Queue, id int64, state rivertype.JobState) *rivertype.JobRow {
	t.Helper()
	var job *rivertype.JobRow
	waitFor(t, 10*time.Second, "job never reached "+string(state), func() bool {
		var err error
		job, err = q.JobGet(context.Background(), id)
		if err != nil {
			t.Fatalf("JobGet(%d): %v", id, err)
		}
		return job.State == state
	})
	return job
}

// countArgs is a job that only counts its runs, by N.
type countArgs struct {
	N int `json:"n"`
}

func (countArgs) Kind() string { return "tower_test_count" }

type runCounter struct {
	mu   sync.Mutex
	byN  map[int]int
	node map[string]int // runs per node name
}

func newRunCounter() *runCounter {
	return &runCounter{byN: map[int]int{}, node: map[string]int{}}
}

func (c *runCounter) add(n int, node string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.byN[n]++
	c.node[node]++
}

func (c *runCounter) runs(n int) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.byN[n]
}

func (c *runCounter) distinct() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.byN)
}

type countWorker struct {
	river.WorkerDefaults[countArgs]
	counter *runCounter
	node    string
	delay   time.Duration
}

func (w *countWorker) Work(ctx context.Context, job *river.Job[countArgs]) error {
	if w.delay > 0 {
		time.Sleep(w.delay)
	}
	w.counter.add(job.Args.N, w.node)
	return nil
}

func countWorkers(c *runCounter, node string, delay time.Duration) *river.Workers {
	ws := river.NewWorkers()
	river.AddWorker(ws, &countWorker{counter: c, node: node, delay: delay})
	return ws
}
