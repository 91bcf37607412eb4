package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/towerops/tower/internal/store"
)

// maxVars stays under SQLite's limit of 32766 bind parameters a statement.
const (
	maxVars    = 32000
	maxRows    = 500 // rows per multi-row INSERT: larger gains nothing measurable
	maxInList  = 2000
	rowsPerSQL = maxRows
)

// upsert is a multi-row INSERT … ON CONFLICT for one table.
type upsert struct {
	table    string
	cols     []string
	conflict string // "id" or "system, system_id"; "" for a plain insert
	update   []string
	nothing  bool // ON CONFLICT DO NOTHING
}

func (u upsert) sql(rows int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "INSERT INTO %s (%s) VALUES ", u.table, strings.Join(u.cols, ", "))
	tuple := "(" + strings.TrimSuffix(strings.Repeat("?,", len(u.cols)), ",") + ")"
	for i := range rows {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(tuple)
	}
	switch {
	case u.nothing:
		fmt.Fprintf(&b, " ON CONFLICT (%s) DO NOTHING", u.conflict)
	case u.conflict != "":
		sets := make([]string, len(u.update))
		for i, c := range u.update {
			sets[i] = c + " = excluded." + c
		}
		fmt.Fprintf(&b, " ON CONFLICT (%s) DO UPDATE SET %s", u.conflict, strings.Join(sets, ", "))
	}
	return b.String()
}

// exec writes rows (each len(cols) values) in as few statements as the
// bind limit allows; a full-size statement is prepared once and reused.
// Within one statement SQLite applies rows in order, so for two rows with
// the same key the later one wins, as the contract asks.
func (u upsert) exec(ctx context.Context, tx *sql.Tx, rows [][]any) error {
	per := min(rowsPerSQL, maxVars/len(u.cols))
	var full *sql.Stmt
	defer func() {
		if full != nil {
			full.Close()
		}
	}()
	args := make([]any, 0, per*len(u.cols))
	for start := 0; start < len(rows); start += per {
		chunk := rows[start:min(start+per, len(rows))]
		args = args[:0]
		for _, r := range chunk {
			args = append(args, r...)
		}
		var err error
		if len(chunk) == per && len(rows) > per {
			if full == nil {
				if full, err = tx.PrepareContext(ctx, u.sql(per)); err != nil {
					return fmt.Errorf("write %s: %w", u.table, err)
				}
			}
			_, err = full.ExecContext(ctx, args...)
		} else {
			_, err = tx.ExecContext(ctx, u.sql(len(chunk)), args...)
		}
		if err != nil {
			return fmt.Errorf("write %s: %w", u.table, err)
		}
	}
	return nil
}

// placeholders returns "?,?,…" for n values.
func placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?,", n), ",")
}

// lookup runs query (with one %s for an IN list) over keys in chunks and
// calls scan for every row.
func lookup(ctx context.Context, q dbtx, query string, keys []string, prefix []any, scan func(*sql.Rows) error) error {
	for start := 0; start < len(keys); start += maxInList {
		chunk := keys[start:min(start+maxInList, len(keys))]
		args := make([]any, 0, len(prefix)+len(chunk))
		args = append(args, prefix...)
		for _, k := range chunk {
			args = append(args, k)
		}
		rows, err := q.QueryContext(ctx, fmt.Sprintf(query, placeholders(len(chunk))), args...)
		if err != nil {
			return err
		}
		for rows.Next() {
			if err := scan(rows); err != nil {
				rows.Close()
				return err
			}
		}
		if err := rows.Close(); err != nil {
			return err
		}
		if err := rows.Err(); err != nil {
			return err
		}
	}
	return nil
}

// existing returns which of keys the query (SELECT key … IN (%s)) finds.
func existing(ctx context.Context, q dbtx, query string, keys []string) (map[string]bool, error) {
	found := make(map[string]bool, len(keys))
	err := lookup(ctx, q, query, keys, nil, func(r *sql.Rows) error {
		var k string
		if err := r.Scan(&k); err != nil {
			return err
		}
		found[k] = true
		return nil
	})
	return found, err
}

// ref is one reference a batch's rows make to another table.
type ref struct {
	field  string                  // column at fault, e.g. "account_id"
	query  string                  // SELECT id FROM accounts WHERE id IN (%s)
	value  func(i int) string      // the referenced key of row i; "" is no reference
	reason func(key string) string // what to tell the user
}

// checkRefs checks every reference of n rows set-wise and returns the
// rejections (first unknown reference of a row, in refs order) and which
// rows may be written.
func checkRefs(ctx context.Context, q dbtx, n int, refs ...ref) ([]store.Rejection, []bool, error) {
	ok := make([]bool, n)
	for i := range ok {
		ok[i] = true
	}
	var rej []store.Rejection
	for _, rf := range refs {
		seen := map[string]bool{}
		var keys []string
		for i := range n {
			if v := rf.value(i); ok[i] && v != "" && !seen[v] {
				seen[v] = true
				keys = append(keys, v)
			}
		}
		if len(keys) == 0 {
			continue
		}
		found, err := existing(ctx, q, rf.query, keys)
		if err != nil {
			return nil, nil, fmt.Errorf("check %s: %w", rf.field, err)
		}
		for i := range n {
			if v := rf.value(i); ok[i] && v != "" && !found[v] {
				ok[i] = false
				rej = append(rej, store.Rejection{Index: i, Field: rf.field, Reason: rf.reason(v)})
			}
		}
	}
	return rej, ok, nil
}

// notFound words a missing reference for a marketing-operations person.
func notFound(what, file string) func(string) string {
	return func(key string) string {
		return fmt.Sprintf("%s %q not found; import %s first", what, key, file)
	}
}
