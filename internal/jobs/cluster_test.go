package jobs

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/riverqueue/river"

	"github.com/towerops/tower/internal/store"
	"github.com/towerops/tower/internal/store/postgres"
)

// threeNodes opens three stores on one PostgreSQL schema, as three
// `tower serve` processes sharing a database would.
func threeNodes(t *testing.T) []store.Store {
	t.Helper()
	url := postgres.TestURL(t)
	var nodes []store.Store
	for range 3 {
		st, err := postgres.Open(context.Background(), url)
		if err != nil {
			t.Fatalf("open: %v", err)
		}
		t.Cleanup(func() { _ = st.Close() })
		nodes = append(nodes, st)
	}
	mustMigrate(t, nodes[0])
	return nodes
}

func TestNodesShareJobsOnPostgres(t *testing.T) {
	t.Parallel()
	nodes := threeNodes(t)
	runs := newRunCounter()
	var queues []*Queue
	for i, st := range nodes {
		queues = append(queues, startQueue(t, st, Config{
			Workers: countWorkers(runs, fmt.Sprintf("node%d", i), 2*time.Millisecond),
		}))
	}

	const n = 300
	params := make([]river.InsertManyParams, n)
	for i := range params {
		params[i] = river.InsertManyParams{Args: countArgs{N: i}}
	}
	ctx := context.Background()
	err := nodes[0].InTx(ctx, func(ctx context.Context, sq store.Queries) error {
		_, err := queues[0].InsertManyTx(ctx, sq, params)
		return err
	})
	if err != nil {
		t.Fatalf("InsertManyTx: %v", err)
	}
	waitFor(t, 20*time.Second, "not every job ran", func() bool { return runs.distinct() == n })
	time.Sleep(300 * time.Millisecond) // room for a duplicate run to show up

	runs.mu.Lock()
	defer runs.mu.Unlock()
	for i := range n {
		if runs.byN[i] != 1 {
			t.Errorf("job %d ran %d times, want exactly once", i, runs.byN[i])
		}
	}
	busy := 0
	for _, c := range runs.node {
		if c > 0 {
			busy++
		}
	}
	if busy < 2 {
		t.Errorf("only %d node(s) worked (%v), want the jobs spread over more than one", busy, runs.node)
	}
	t.Logf("runs per node: %v", runs.node)

	// River's own record agrees: the jobs were attempted by several clients.
	rows, err := nodes[0].(pgPool).Pool().Query(ctx,
		`SELECT attempted_by[array_length(attempted_by, 1)], count(*) FROM river_job GROUP BY 1`)
	if err != nil {
		t.Fatalf("read river_job: %v", err)
	}
	byClient := map[string]int{}
	for rows.Next() {
		var client string
		var count int
		if err := rows.Scan(&client, &count); err != nil {
			t.Fatal(err)
		}
		byClient[client] = count
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if len(byClient) < 2 {
		t.Errorf("river_job says %d client(s) worked the jobs (%v), want more than one", len(byClient), byClient)
	}
	t.Logf("jobs per River client: %v", byClient)
}

type tickArgs struct{}

func (tickArgs) Kind() string { return "tower_test_tick" }

type tickWorker struct {
	river.WorkerDefaults[tickArgs]
	runs *atomic.Int32
}

func (w *tickWorker) Work(context.Context, *river.Job[tickArgs]) error {
	w.runs.Add(1)
	return nil
}

func TestPeriodicJobRunsOnLeaderOnlyOnPostgres(t *testing.T) {
	t.Parallel()
	nodes := threeNodes(t)
	var runs atomic.Int32
	for _, st := range nodes {
		ws := river.NewWorkers()
		river.AddWorker(ws, &tickWorker{runs: &runs})
		startQueue(t, st, Config{
			Workers: ws,
			Periodic: []*river.PeriodicJob{river.NewPeriodicJob(
				river.PeriodicInterval(time.Second),
				func() (river.JobArgs, *river.InsertOpts) { return tickArgs{}, nil },
				&river.PeriodicJobOpts{RunOnStart: true},
			)},
		})
	}
	const window = 4 * time.Second
	time.Sleep(window)
	got := int(runs.Load())
	// One leader: about one run per second plus the one on start (5). If
	// every node enqueued, it would be about 15. A leader change can add a
	// run on start.
	if got < 2 || got > 8 {
		t.Errorf("periodic job ran %d times in %s across 3 nodes, want about 5 (leader only), far below 15", got, window)
	}
	t.Logf("periodic runs in %s: %d", window, got)
}
