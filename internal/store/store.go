package store

import (
	"context"
)

// Store is one Tower database.
type Store interface {
	Queries

	// InTx runs fn inside one transaction. If fn returns an error the
	// transaction is rolled back and that error returned; otherwise it is
	// committed. The Queries passed to fn must not be used after fn returns.
	InTx(ctx context.Context, fn func(ctx context.Context, q Queries) error) error

	// MigrateUp applies every embedded migration not yet applied, in order,
	// and returns the versions it applied.
	MigrateUp(ctx context.Context) ([]Migration, error)
	// MigrateStatus lists every embedded migration with whether it is applied.
	MigrateStatus(ctx context.Context) ([]Migration, error)

	// Ping checks the database answers (used by /readyz).
	Ping(ctx context.Context) error
	// Backend names the backend: "sqlite" or "postgres".
	Backend() string
	Close() error
}

// Queries is everything that can run inside or outside a transaction.
type Queries interface {
	Writer
	Reader
	Runtime
	Effects
	Security
	Governance
	Ingest
	Measure
	Deliveries
	Segments
}

// DriverTx returns the driver's transaction behind q inside InTx — a
// *sql.Tx on SQLite, a pgx.Tx on PostgreSQL — so the job queue can enqueue
// jobs in the same transaction as the data that needs them. It returns
// nil outside a transaction.
func DriverTx(q Queries) any {
	if t, ok := q.(interface{ DriverTx() any }); ok {
		return t.DriverTx()
	}
	return nil
}
