package jobs_test

import (
	"context"
	"fmt"
	"log"
	"log/slog"
	"os"
	"path/filepath"

	"github.com/riverqueue/river"

	"github.com/towerops/tower/internal/jobs"
	"github.com/towerops/tower/internal/store"
	"github.com/towerops/tower/internal/store/sqlite"
)

type greetArgs struct {
	Name string `json:"name"`
}

func (greetArgs) Kind() string { return "example_greet" }

type greetWorker struct {
	river.WorkerDefaults[greetArgs]
}

func (greetWorker) Work(ctx context.Context, job *river.Job[greetArgs]) error {
	fmt.Println("hello,", job.Args.Name)
	return nil
}

// A job enqueued inside InTx, in the same transaction as the data that
// needs it, and worked once the transaction commits.
func Example() {
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "tower-jobs-example")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	st, err := sqlite.Open(ctx, filepath.Join(dir, "tower.db"))
	if err != nil {
		log.Fatal(err)
	}
	defer st.Close()
	if _, err := st.MigrateUp(ctx); err != nil {
		log.Fatal(err)
	}
	if err := jobs.Migrate(ctx, st); err != nil {
		log.Fatal(err)
	}

	workers := river.NewWorkers()
	river.AddWorker(workers, greetWorker{})
	q, err := jobs.Open(ctx, st, jobs.Config{
		Workers: workers,
		Logger:  slog.New(slog.DiscardHandler),
	})
	if err != nil {
		log.Fatal(err)
	}
	done, cancel := q.Subscribe(river.EventKindJobCompleted)
	defer cancel()
	if err := q.Start(ctx); err != nil {
		log.Fatal(err)
	}
	defer q.Stop(ctx)

	err = st.InTx(ctx, func(ctx context.Context, sq store.Queries) error {
		// ... write the data that needs the job through sq ...
		_, err := q.InsertTx(ctx, sq, greetArgs{Name: "marketing ops"}, nil)
		return err
	})
	if err != nil {
		log.Fatal(err)
	}
	ev := <-done
	fmt.Println(ev.Job.Kind, ev.Job.State)
	// Output:
	// hello, marketing ops
	// example_greet completed
}
