package postgres

import (
	"context"
	"errors"
	"fmt"
	neturl "net/url"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/towerops/tower/internal/store"
)

func init() {
	open := func(ctx context.Context, url string) (store.Store, error) {
		s, err := Open(ctx, url)
		if err != nil {
			return nil, err // not a typed nil inside a non-nil interface
		}
		return s, nil
	}
	store.Register("postgres", open)
	store.Register("postgresql", open)
}

// Store is a Tower database on PostgreSQL. It is safe for concurrent use.
type Store struct {
	*queries
	pool *pgxpool.Pool
}

var _ store.Store = (*Store)(nil)

// Open connects to the PostgreSQL database named by url and checks that it
// answers. The URL may carry any libpq setting (sslmode, search_path, ...).
// Open does not run migrations; call MigrateUp. Passwords never appear in
// its errors.
func Open(ctx context.Context, url string) (*Store, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("postgres: the database URL %s is not valid: %w",
			store.Redact(url), parseReason(err))
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("postgres: open %s: %w", store.Redact(url), err)
	}
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("postgres: cannot reach the database at %s: %w", store.Redact(url), err)
	}
	return &Store{queries: &queries{db: pool}, pool: pool}, nil
}

// InTx runs fn in one transaction; see store.Store. Batches written through
// the Queries passed to fn run in savepoints, so a failed batch leaves the
// transaction usable.
func (s *Store) InTx(ctx context.Context, fn func(ctx context.Context, q store.Queries) error) error {
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return fmt.Errorf("postgres: begin: %w", err)
	}
	defer tx.Rollback(context.WithoutCancel(ctx)) //nolint:errcheck // no-op after Commit
	q := &txQueries{queries: &queries{db: tx}}
	if err := fn(ctx, q); err != nil {
		return err
	}
	if q.failed != nil {
		return fmt.Errorf("%w, so nothing was saved: %w", store.ErrTxFailed, q.failed)
	}
	if err := tx.Commit(ctx); err != nil {
		return fmt.Errorf("postgres: commit: %w", err)
	}
	return nil
}

// Ping checks the database answers.
func (s *Store) Ping(ctx context.Context) error {
	if err := s.pool.Ping(ctx); err != nil {
		return fmt.Errorf("postgres: ping: %w", err)
	}
	return nil
}

// Pool returns the connection pool, for the job queue (River's pgx driver
// takes a *pgxpool.Pool) so jobs live in the same database and schema as
// the data, and can be enqueued in the same transaction.
func (s *Store) Pool() *pgxpool.Pool { return s.pool }

// Backend returns "postgres".
func (s *Store) Backend() string { return "postgres" }

// Close releases every connection. It waits for queries in flight.
func (s *Store) Close() error {
	s.pool.Close()
	return nil
}

// parseReason strips the URL out of a pgx parse error, keeping only why it
// failed: pgx's own redaction is best-effort and net/url quotes the raw
// string, password included.
func parseReason(err error) error {
	var uerr *neturl.Error
	if errors.As(err, &uerr) {
		return uerr.Err
	}
	if inner := errors.Unwrap(err); inner != nil {
		return inner
	}
	return errors.New("it cannot be read as postgres://USER@HOST:PORT/DB")
}

// dbtx is what both the pool and a transaction offer; queries run on
// either. Begin on a transaction opens a savepoint.
type dbtx interface {
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
	Begin(ctx context.Context) (pgx.Tx, error)
}
