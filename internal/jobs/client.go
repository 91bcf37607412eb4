package jobs

import (
	"context"
	"fmt"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"
)

// client is what Queue needs from River, without River's transaction type
// parameter: transactions travel as the any that store.DriverTx returns.
type client interface {
	insert(ctx context.Context, args river.JobArgs, opts *river.InsertOpts) (*rivertype.JobInsertResult, error)
	insertTx(ctx context.Context, tx any, args river.JobArgs, opts *river.InsertOpts) (*rivertype.JobInsertResult, error)
	insertMany(ctx context.Context, params []river.InsertManyParams) ([]*rivertype.JobInsertResult, error)
	insertManyTx(ctx context.Context, tx any, params []river.InsertManyParams) ([]*rivertype.JobInsertResult, error)
	start(ctx context.Context) error
	stop(ctx context.Context) error
	jobGet(ctx context.Context, id int64) (*rivertype.JobRow, error)
	jobList(ctx context.Context, params *river.JobListParams) (*river.JobListResult, error)
	subscribe(kinds ...river.EventKind) (<-chan *river.Event, func())
}

// riverClient adapts a *river.Client[TTx] (TTx is *sql.Tx on SQLite,
// pgx.Tx on PostgreSQL) to client.
type riverClient[TTx any] struct {
	c *river.Client[TTx]
}

var _ client = riverClient[any]{}

// tx turns the store's driver transaction back into River's type. A
// mismatch means a store of another backend was given to this queue.
func (r riverClient[TTx]) tx(v any) (TTx, error) {
	var zero TTx
	if v == nil {
		return zero, ErrNotInTx
	}
	t, ok := v.(TTx)
	if !ok {
		return zero, fmt.Errorf("%w: a %T transaction cannot enqueue on a %T queue", ErrBackend, v, zero)
	}
	return t, nil
}

func (r riverClient[TTx]) insert(ctx context.Context, args river.JobArgs, opts *river.InsertOpts) (*rivertype.JobInsertResult, error) {
	return r.c.Insert(ctx, args, opts)
}

func (r riverClient[TTx]) insertTx(ctx context.Context, v any, args river.JobArgs, opts *river.InsertOpts) (*rivertype.JobInsertResult, error) {
	tx, err := r.tx(v)
	if err != nil {
		return nil, err
	}
	return r.c.InsertTx(ctx, tx, args, opts)
}

func (r riverClient[TTx]) insertMany(ctx context.Context, params []river.InsertManyParams) ([]*rivertype.JobInsertResult, error) {
	return r.c.InsertMany(ctx, params)
}

func (r riverClient[TTx]) insertManyTx(ctx context.Context, v any, params []river.InsertManyParams) ([]*rivertype.JobInsertResult, error) {
	tx, err := r.tx(v)
	if err != nil {
		return nil, err
	}
	return r.c.InsertManyTx(ctx, tx, params)
}

func (r riverClient[TTx]) start(ctx context.Context) error { return r.c.Start(ctx) }
func (r riverClient[TTx]) stop(ctx context.Context) error  { return r.c.Stop(ctx) }

func (r riverClient[TTx]) jobGet(ctx context.Context, id int64) (*rivertype.JobRow, error) {
	return r.c.JobGet(ctx, id)
}

func (r riverClient[TTx]) jobList(ctx context.Context, params *river.JobListParams) (*river.JobListResult, error) {
	return r.c.JobList(ctx, params)
}

func (r riverClient[TTx]) subscribe(kinds ...river.EventKind) (<-chan *river.Event, func()) {
	return r.c.Subscribe(kinds...)
}
