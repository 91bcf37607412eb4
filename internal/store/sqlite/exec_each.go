package sqlite

import (
	"context"
	"database/sql"
)

// execEach runs one prepared statement per item inside tx and returns how
// many rows the statements changed in all: the shape of every "remove
// these by key and say how many were there" method.
func execEach[T any](ctx context.Context, tx *sql.Tx, query string, items []T, args func(T) []any) (int, error) {
	stmt, err := tx.PrepareContext(ctx, query)
	if err != nil {
		return 0, err
	}
	defer stmt.Close()
	n := 0
	for _, it := range items {
		res, err := stmt.ExecContext(ctx, args(it)...)
		if err != nil {
			return n, err
		}
		k, err := res.RowsAffected()
		if err != nil {
			return n, err
		}
		n += int(k)
	}
	return n, nil
}
