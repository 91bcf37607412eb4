package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/towerops/tower/internal/store"
)

// rowsPerInsert is how many rows one INSERT statement carries. One, on
// measurement: the modernc driver binds parameters in time quadratic in
// their number, and a statement writing several rows makes SQLite keep a
// statement journal (a copy of every page it touches, in case a later row
// fails), which a one-row statement does not need. A prepared one-row
// statement reused for the whole batch beat 8-, 16- and 500-row ones on
// BenchmarkRecordsUpsert.
const rowsPerInsert = 1

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

// exec writes rows (each len(cols) values) rowsPerInsert at a time with
// one prepared statement. Within one statement SQLite applies rows in
// order, so for two rows with the same key the later one wins, as the
// contract asks.
func (u upsert) exec(ctx context.Context, tx *sql.Tx, rows [][]any) error {
	return u.run(ctx, tx, rows, "", nil)
}

// run is exec with an optional RETURNING clause whose rows go to scan.
func (u upsert) run(ctx context.Context, tx *sql.Tx, rows [][]any, returning string, scan func(*sql.Rows) error) error {
	per := rowsPerInsert
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
		stmt := full
		if len(chunk) < per || len(rows) == per {
			var err error
			if stmt, err = tx.PrepareContext(ctx, u.sql(len(chunk))+returning); err != nil {
				return fmt.Errorf("write %s: %w", u.table, err)
			}
			defer stmt.Close()
		} else if full == nil {
			var err error
			if full, err = tx.PrepareContext(ctx, u.sql(per)+returning); err != nil {
				return fmt.Errorf("write %s: %w", u.table, err)
			}
			stmt = full
		}
		if scan == nil {
			if _, err := stmt.ExecContext(ctx, args...); err != nil {
				return fmt.Errorf("write %s: %w", u.table, err)
			}
			continue
		}
		if err := queryEach(ctx, stmt, args, scan); err != nil {
			return fmt.Errorf("write %s: %w", u.table, err)
		}
	}
	return nil
}

func queryEach(ctx context.Context, stmt *sql.Stmt, args []any, scan func(*sql.Rows) error) error {
	rows, err := stmt.QueryContext(ctx, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := scan(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}

// lookup runs query, whose one %s stands for the set of keys, and calls
// scan for every row. The keys travel as one JSON array bound to a single
// parameter and expanded by json_each: the driver binds parameters in time
// quadratic in their number, so thousands of "?" would cost more than the
// query, and one parameter has no limit on the number of keys.
func lookup[K string | int64](ctx context.Context, q dbtx, query string, keys []K, prefix []any, scan func(*sql.Rows) error) error {
	if len(keys) == 0 {
		return nil
	}
	set, err := json.Marshal(keys)
	if err != nil {
		return err
	}
	args := append(append(make([]any, 0, len(prefix)+1), prefix...), string(set))
	rows, err := q.QueryContext(ctx, fmt.Sprintf(query, "SELECT value FROM json_each(?)"), args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := scan(rows); err != nil {
			return err
		}
	}
	return rows.Err()
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
	// known, when set, remembers keys found earlier in the same
	// transaction (nothing is ever deleted, so they still exist) and
	// skips looking them up again: a file of a million people names the
	// same few thousand accounts in every batch.
	known map[string]bool
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
			if v := rf.value(i); ok[i] && v != "" && !seen[v] && !rf.known[v] {
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
		if rf.known != nil {
			for k := range found {
				rf.known[k] = true
			}
		}
		for i := range n {
			if v := rf.value(i); ok[i] && v != "" && !found[v] && !rf.known[v] {
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
