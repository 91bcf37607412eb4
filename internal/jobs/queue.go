package jobs

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivertype"

	"github.com/towerops/tower/internal/store"
)

// Queue is Tower's durable job queue on the workspace database. It is safe
// for concurrent use.
type Queue struct {
	c          client
	backend    string
	insertOnly bool
	log        *slog.Logger
}

// sqliteDB is what the SQLite store offers River: its single-connection
// write pool (see package doc).
type sqliteDB interface{ DB() *sql.DB }

// pgPool is what the PostgreSQL store offers River.
type pgPool interface{ Pool() *pgxpool.Pool }

// Open builds a Queue on st, choosing River's driver by st.Backend(). The
// River tables must exist (Migrate). Open does not start working jobs;
// call Start.
func Open(ctx context.Context, st store.Store, cfg Config) (*Queue, error) {
	if !cfg.InsertOnly && cfg.Workers == nil {
		return nil, fmt.Errorf("jobs: a queue that works jobs needs Config.Workers (or set InsertOnly)")
	}
	q := &Queue{backend: st.Backend(), insertOnly: cfg.InsertOnly}
	switch st.Backend() {
	case "sqlite":
		s, ok := st.(sqliteDB)
		if !ok {
			return nil, fmt.Errorf("%w: %T has no DB()", ErrBackend, st)
		}
		rc := cfg.riverConfig("sqlite", "")
		c, err := river.NewClient(riversqlite.New(s.DB()), rc)
		if err != nil {
			return nil, fmt.Errorf("jobs: %w", err)
		}
		q.c, q.log = riverClient[*sql.Tx]{c}, rc.Logger
	case "postgres":
		s, ok := st.(pgPool)
		if !ok {
			return nil, fmt.Errorf("%w: %T has no Pool()", ErrBackend, st)
		}
		schema, err := currentSchema(ctx, s.Pool())
		if err != nil {
			return nil, err
		}
		rc := cfg.riverConfig("postgres", schema)
		c, err := river.NewClient(riverpgxv5.New(s.Pool()), rc)
		if err != nil {
			return nil, fmt.Errorf("jobs: %w", err)
		}
		q.c, q.log = riverClient[pgx.Tx]{c}, rc.Logger
	default:
		return nil, fmt.Errorf("%w: %q", ErrBackend, st.Backend())
	}
	return q, nil
}

// currentSchema names the schema the store works in (the first of its
// search_path), so River's tables and its LISTEN channels live beside
// Tower's and two workspaces in one database never share a queue.
func currentSchema(ctx context.Context, pool *pgxpool.Pool) (string, error) {
	var schema *string
	if err := pool.QueryRow(ctx, `SELECT current_schema()`).Scan(&schema); err != nil {
		return "", fmt.Errorf("jobs: find the database schema: %w", err)
	}
	if schema == nil {
		return "", fmt.Errorf("jobs: no schema of the database's search_path exists; create it or fix search_path in the database URL")
	}
	return *schema, nil
}

// Insert enqueues a job in a transaction of its own. Inside store.InTx use
// InsertTx instead: on SQLite, Insert would wait forever for the one write
// connection that InTx is holding.
func (q *Queue) Insert(ctx context.Context, args river.JobArgs, opts *river.InsertOpts) (*rivertype.JobInsertResult, error) {
	defer q.warnIfStuck(ctx, args.Kind())()
	res, err := q.c.insert(ctx, args, opts)
	if err != nil {
		return nil, fmt.Errorf("jobs: enqueue %s: %w", args.Kind(), err)
	}
	return res, nil
}

// InsertMany enqueues several jobs in one transaction of its own; see
// Insert.
func (q *Queue) InsertMany(ctx context.Context, params []river.InsertManyParams) ([]*rivertype.JobInsertResult, error) {
	defer q.warnIfStuck(ctx, "many")()
	res, err := q.c.insertMany(ctx, params)
	if err != nil {
		return nil, fmt.Errorf("jobs: enqueue %d jobs: %w", len(params), err)
	}
	return res, nil
}

// InsertTx enqueues a job in the transaction behind sq, the Queries that
// store.InTx passed to its function: the job exists if and only if the
// data that needs it commits. It returns ErrNotInTx for any other Queries.
func (q *Queue) InsertTx(ctx context.Context, sq store.Queries, args river.JobArgs, opts *river.InsertOpts) (*rivertype.JobInsertResult, error) {
	res, err := q.c.insertTx(ctx, store.DriverTx(sq), args, opts)
	if err != nil {
		return nil, fmt.Errorf("jobs: enqueue %s: %w", args.Kind(), err)
	}
	return res, nil
}

// InsertManyTx enqueues several jobs in the transaction behind sq; see
// InsertTx.
func (q *Queue) InsertManyTx(ctx context.Context, sq store.Queries, params []river.InsertManyParams) ([]*rivertype.JobInsertResult, error) {
	res, err := q.c.insertManyTx(ctx, store.DriverTx(sq), params)
	if err != nil {
		return nil, fmt.Errorf("jobs: enqueue %d jobs: %w", len(params), err)
	}
	return res, nil
}

// Start begins working jobs, electing a leader among the nodes sharing the
// database for periodic jobs and maintenance. Jobs keep running until Stop
// or until ctx is cancelled (which stops softly, like Stop).
func (q *Queue) Start(ctx context.Context) error {
	if q.insertOnly {
		return ErrInsertOnly
	}
	if err := q.c.start(ctx); err != nil {
		return fmt.Errorf("jobs: start: %w", err)
	}
	return nil
}

// Stop stops fetching jobs and waits for running ones to finish; if ctx
// ends first, their contexts are cancelled and Stop returns ctx's error.
// A queue that was never started stops at once.
func (q *Queue) Stop(ctx context.Context) error {
	if q.insertOnly {
		return nil
	}
	if err := q.c.stop(ctx); err != nil {
		return fmt.Errorf("jobs: stop: %w", err)
	}
	return nil
}

// JobGet returns one job by id; rivertype.ErrNotFound if there is none.
func (q *Queue) JobGet(ctx context.Context, id int64) (*rivertype.JobRow, error) {
	job, err := q.c.jobGet(ctx, id)
	if err != nil {
		return nil, fmt.Errorf("jobs: job %d: %w", id, err)
	}
	return job, nil
}

// JobList lists jobs (nil params: the first page of all jobs). On SQLite,
// filtering by metadata is not supported.
func (q *Queue) JobList(ctx context.Context, params *river.JobListParams) (*river.JobListResult, error) {
	res, err := q.c.jobList(ctx, params)
	if err != nil {
		return nil, fmt.Errorf("jobs: list: %w", err)
	}
	return res, nil
}

// Subscribe delivers events (job completed, failed, ...) about the jobs
// this node works, until the returned function is called. The channel is
// buffered; a slow reader misses events rather than slowing jobs down.
func (q *Queue) Subscribe(kinds ...river.EventKind) (<-chan *river.Event, func()) {
	return q.c.subscribe(kinds...)
}

// Backend names the database the queue runs on: "sqlite" or "postgres".
func (q *Queue) Backend() string { return q.backend }

// stuckWarning is how long a non-transactional insert on SQLite may wait
// before it is probably waiting for a connection its own caller holds.
const stuckWarning = 15 * time.Second

// warnIfStuck logs once if an insert outside a transaction waits long on
// SQLite, the tell-tale of Insert called inside InTx (see Insert). It
// returns the function that cancels the warning.
func (q *Queue) warnIfStuck(ctx context.Context, kind string) func() {
	if q.backend != "sqlite" {
		return func() {}
	}
	t := time.AfterFunc(stuckWarning, func() {
		q.log.WarnContext(ctx, "enqueueing a job has waited for the database for a long time; "+
			"if this runs inside store.InTx it must use InsertTx, or it waits forever",
			"kind", kind, "waited", stuckWarning)
	})
	return func() { t.Stop() }
}
