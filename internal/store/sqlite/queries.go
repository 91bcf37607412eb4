package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/towerops/tower/internal/store"
)

// dbtx is what both *sql.DB and *sql.Tx offer.
type dbtx interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	PrepareContext(ctx context.Context, query string) (*sql.Stmt, error)
}

// queries implements store.Queries on the Store's pools, or on one
// transaction when tx is set (inside InTx).
type queries struct {
	read  dbtx    // where reads go: the read pool, or tx
	write *sql.DB // the write pool; nil inside InTx
	tx    *sql.Tx // the caller's transaction inside InTx
	// failed is the first write that failed inside InTx: the transaction
	// can then only be rolled back.
	failed error
	// accounts caches account ids found inside InTx (see ref.known).
	accounts map[string]bool
}

// knownAccounts is the account cache of a transaction; nil outside InTx.
func (q *queries) knownAccounts() map[string]bool {
	if q.tx == nil {
		return nil
	}
	if q.accounts == nil {
		q.accounts = map[string]bool{}
	}
	return q.accounts
}

var _ store.Queries = (*queries)(nil)

// ErrTxFailed is store.ErrTxFailed, kept here for callers of this package.
var ErrTxFailed = store.ErrTxFailed

// writeTx runs fn as one atomic unit. Outside InTx that is a transaction
// of its own. Inside InTx it is the caller's transaction, without a
// savepoint: a savepoint makes SQLite copy every page a batch touches
// before changing it, which for a file imported in thousands of batches
// costs more than the import itself. Instead, a failed batch fails the
// whole transaction (InTx rolls it back), so nothing is half-written.
func (q *queries) writeTx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	if q.tx != nil {
		if q.failed != nil {
			return fmt.Errorf("%w: %w", ErrTxFailed, q.failed)
		}
		if err := fn(q.tx); err != nil {
			q.failed = err
			return err
		}
		return nil
	}
	tx, err := q.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	if err := fn(tx); err != nil {
		_ = tx.Rollback()
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

// limit applies the contract's default page size.
func limit(p store.Page) (int, int) {
	l := p.Limit
	if l <= 0 {
		l = 100
	}
	return l, max(p.Offset, 0)
}

// upsertRows is the whole write path of a simple kind: check needed
// fields and references set-wise, build the good rows, write them in one
// multi-row upsert.
func (q *queries) upsertRows(ctx context.Context, n int, u upsert, needs []need, refs []ref, row func(i int) ([]any, error)) (*store.UpsertResult, error) {
	res := &store.UpsertResult{}
	err := q.writeTx(ctx, func(tx *sql.Tx) error {
		rej, ok, err := checkRows(ctx, tx, n, needs, refs)
		if err != nil {
			return err
		}
		rows := make([][]any, 0, n)
		for i := range n {
			if !ok[i] {
				continue
			}
			r, err := row(i)
			if err != nil {
				return fmt.Errorf("row %d: %w", i, err)
			}
			rows = append(rows, r)
		}
		if err := u.exec(ctx, tx, rows); err != nil {
			return err
		}
		res.Written, res.Rejected = len(rows), rej
		return nil
	})
	if err != nil {
		return nil, err
	}
	return res, nil
}

// list runs a query and scans every row with scan.
func list[T any](ctx context.Context, q dbtx, scan func(*sql.Rows) (T, error), query string, args ...any) ([]T, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []T
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// where collects optional filters into a WHERE clause.
type where struct {
	conds []string
	args  []any
}

func (w *where) add(cond string, args ...any) {
	w.conds = append(w.conds, cond)
	w.args = append(w.args, args...)
}

func (w *where) String() string {
	if len(w.conds) == 0 {
		return ""
	}
	return " WHERE " + strings.Join(w.conds, " AND ")
}

// page appends LIMIT/OFFSET arguments.
func (w *where) page(p store.Page) []any {
	l, o := limit(p)
	return append(append([]any(nil), w.args...), l, o)
}

// likeArg is a case-insensitive substring pattern for LIKE … ESCAPE '\'.
func likeArg(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return "%" + r.Replace(s) + "%"
}

// DriverTx returns the *sql.Tx inside InTx, nil outside; see store.DriverTx.
func (q *queries) DriverTx() any {
	if q.tx == nil {
		return nil
	}
	return q.tx
}
