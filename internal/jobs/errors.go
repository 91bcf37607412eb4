package jobs

import "errors"

var (
	// ErrNotInTx is returned by InsertTx and InsertManyTx when the Queries
	// given are not the ones InTx passed to its function: the job would not
	// be tied to the data that needs it, so nothing is inserted.
	ErrNotInTx = errors.New("jobs: enqueueing with a transaction needs the Queries that store.InTx passes to its function")

	// ErrInsertOnly is returned by Start for a Queue opened with
	// Config.InsertOnly: it enqueues jobs but never works them.
	ErrInsertOnly = errors.New("jobs: this queue only enqueues jobs (InsertOnly); start `tower serve` to work them")

	// ErrBackend is returned by Open and Migrate for a store the job queue
	// cannot run on.
	ErrBackend = errors.New("jobs: unsupported database backend")
)
