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
}
