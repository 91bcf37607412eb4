package postgres

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/towerops/tower/internal/store"
)

// queries implements store.Queries on the pool or on one transaction.
type queries struct {
	db dbtx
}

var _ store.Queries = (*queries)(nil)

// batch runs fn in a transaction of its own — a savepoint when q is already
// inside InTx — so each write method is all-or-nothing on its own.
//
// Imports running on several nodes can lock the same people in different
// orders, or insert the same new person at once; PostgreSQL then aborts one
// of them (a deadlock, a unique violation). That batch is rolled back to
// its savepoint and run again, with the rejections it had found reset, so
// the caller never sees an error that a retry would fix.
func (q *queries) batch(ctx context.Context, what string, rej *rejections, fn func(tx pgx.Tx) error) error {
	saved := rej.clone()
	for attempt := 1; ; attempt++ {
		err := q.try(ctx, fn)
		if err == nil {
			return nil
		}
		if !retryable(err) || attempt == maxAttempts || ctx.Err() != nil {
			return fmt.Errorf("postgres: %s: %w", what, err)
		}
		slog.DebugContext(ctx, "postgres: batch retried", "what", what, "attempt", attempt, "err", err)
		if rej != nil {
			*rej = *saved.clone()
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("postgres: %s: %w", what, ctx.Err())
		case <-time.After(time.Duration(attempt*attempt) * 5 * time.Millisecond):
		}
	}
}

// maxAttempts bounds batch retries. A retry after a unique violation finds
// what other writers committed meanwhile, so each attempt makes progress;
// ten failures in a row mean something other than bad luck.
const maxAttempts = 10

func (q *queries) try(ctx context.Context, fn func(tx pgx.Tx) error) error {
	tx, err := q.db.Begin(ctx)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	defer tx.Rollback(context.WithoutCancel(ctx)) //nolint:errcheck // no-op after Commit
	if err := fn(tx); err != nil {
		return err
	}
	if err := tx.Commit(ctx); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

// retryable reports errors that say "run it again", not "this is wrong":
// a deadlock, a serialization failure, or a unique violation. Batches
// insert with a plain INSERT only the keys they have just looked up and
// not found, so a duplicate key means another writer inserted it in the
// meantime, and the retry finds it.
func retryable(err error) bool {
	var pgErr *pgconn.PgError
	if !errors.As(err, &pgErr) {
		return false
	}
	switch pgErr.Code {
	case "40P01", "40001", "23505":
		return true
	}
	return false
}

// limitOffset turns a Page into LIMIT/OFFSET values: Limit 0 means 100.
func limitOffset(p store.Page) (int, int) {
	limit, offset := p.Limit, p.Offset
	if limit <= 0 {
		limit = 100
	}
	if offset < 0 {
		offset = 0
	}
	return limit, offset
}

// where collects SQL conditions and their arguments; $n placeholders are
// numbered as conditions are added, so optional filters compose without
// string-counting at the call site.
type where struct {
	conds []string
	args  []any
}

// add appends a condition written with a single "?" for its argument.
func (w *where) add(cond string, arg any) {
	w.args = append(w.args, arg)
	n := fmt.Sprintf("$%d", len(w.args))
	out := make([]byte, 0, len(cond)+2)
	for i := 0; i < len(cond); i++ {
		if cond[i] == '?' {
			out = append(out, n...)
			continue
		}
		out = append(out, cond[i])
	}
	w.conds = append(w.conds, string(out))
}

// sql returns " WHERE a AND b" (or "") followed by ORDER BY, LIMIT and
// OFFSET, with the page values appended to the arguments.
func (w *where) sql(orderBy string, p store.Page) (string, []any) {
	s := ""
	for i, c := range w.conds {
		if i == 0 {
			s += " WHERE "
		} else {
			s += " AND "
		}
		s += c
	}
	limit, offset := limitOffset(p)
	args := append(w.args, limit, offset)
	s += fmt.Sprintf(" ORDER BY %s LIMIT $%d OFFSET $%d", orderBy, len(args)-1, len(args))
	return s, args
}
