package postgres

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
)

// openStatuses is proposal.Status.Open as SQL, word for word the condition
// of the partial indexes proposals_open_key and proposals_open_expiry
// (0002_runtime.sql): PostgreSQL infers an ON CONFLICT index, and uses a
// partial index for a query, only when the query implies its condition.
const openStatuses = "status IN ('proposed', 'allowed', 'pending_approval', 'approved', 'executing')"

// runtimeTx runs fn in a transaction of its own (a savepoint inside InTx).
// Unlike batch it does not retry: runtime writes either cannot race (the
// database settles duplicates with ON CONFLICT) or report the race to the
// caller as store.ErrConflict, which must never be retried blindly.
func (q *queries) runtimeTx(ctx context.Context, what string, fn func(tx pgx.Tx) error) error {
	if err := q.try(ctx, fn); err != nil {
		return fmt.Errorf("postgres: %s: %w", what, err)
	}
	return nil
}

// clause returns " WHERE a AND b", or "" without conditions, for queries
// that neither order nor page (counts).
func (w *where) clause() string {
	if len(w.conds) == 0 {
		return ""
	}
	return " WHERE " + strings.Join(w.conds, " AND ")
}

// orNow is t, or now when t is zero.
func orNow(t, now time.Time) time.Time {
	if t.IsZero() {
		return now
	}
	return t
}

// µs is t in UTC truncated to microseconds, PostgreSQL's precision; zero
// stays zero.
func µs(t time.Time) time.Time {
	if t.IsZero() {
		return t
	}
	return t.UTC().Truncate(time.Microsecond)
}
