package sqlite

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/towerops/tower/internal/store"
)

// rowsPerInsert is how many rows one INSERT statement carries: four, on
// measurement. The modernc driver binds parameters in time quadratic in
// their number, so long statements lose; one-row statements pay the
// driver's per-statement cost for every row. Plain inserts are written
// INSERT OR IGNORE, which spares SQLite the statement journal (a copy of
// every page touched, kept in case a later row fails) that a multi-row
// statement otherwise needs; exec then checks no row was ignored.
const rowsPerInsert = 4

// upsert is a batched INSERT, with ON CONFLICT … DO UPDATE when conflict
// is set, for one table.
type upsert struct {
	table    string
	cols     []string
	conflict string // the natural key, e.g. "system, system_id"; "" for a plain insert
	update   []string
}

func (u upsert) sql(rows int) string {
	var b strings.Builder
	verb := "INSERT"
	if u.conflict == "" {
		verb = "INSERT OR IGNORE"
	}
	fmt.Fprintf(&b, "%s INTO %s (%s) VALUES ", verb, u.table, strings.Join(u.cols, ", "))
	tuple := "(" + strings.TrimSuffix(strings.Repeat("?,", len(u.cols)), ",") + ")"
	for i := range rows {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(tuple)
	}
	if u.conflict != "" {
		sets := make([]string, len(u.update))
		for i, c := range u.update {
			sets[i] = c + " = excluded." + c
		}
		fmt.Fprintf(&b, " ON CONFLICT (%s) DO UPDATE SET %s", u.conflict, strings.Join(sets, ", "))
	}
	return b.String()
}

// errIgnored reports a plain insert that hit an existing key: the store
// decided the rows were new, so this is a bug, never bad input.
var errIgnored = errors.New("a row the store took for new already exists")

// exec writes rows (each len(cols) values) rowsPerInsert at a time with
// one prepared statement. Within one statement SQLite applies rows in
// order, so for two rows with the same key the later one wins, as the
// contract asks.
func (u upsert) exec(ctx context.Context, tx *sql.Tx, rows [][]any) error {
	var full *sql.Stmt
	defer func() {
		if full != nil {
			full.Close()
		}
	}()
	args := make([]any, 0, rowsPerInsert*len(u.cols))
	for start := 0; start < len(rows); start += rowsPerInsert {
		chunk := rows[start:min(start+rowsPerInsert, len(rows))]
		args = args[:0]
		for _, r := range chunk {
			args = append(args, r...)
		}
		var res sql.Result
		var err error
		if len(chunk) == rowsPerInsert {
			if full == nil {
				if full, err = tx.PrepareContext(ctx, u.sql(rowsPerInsert)); err != nil {
					return fmt.Errorf("write %s: %w", u.table, err)
				}
			}
			res, err = full.ExecContext(ctx, args...)
		} else {
			res, err = tx.ExecContext(ctx, u.sql(len(chunk)), args...)
		}
		if err != nil {
			return fmt.Errorf("write %s: %w", u.table, err)
		}
		if u.conflict == "" {
			if n, err := res.RowsAffected(); err != nil || n != int64(len(chunk)) {
				return fmt.Errorf("write %s: %w (%d of %d rows written, %v)", u.table, errIgnored, n, len(chunk), err)
			}
		}
	}
	return nil
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

// need is a field a row cannot be stored without: its natural key, or a
// part of it. An empty key would be stored as a real one (or trip a NOT
// NULL or foreign key and fail the whole batch), so such rows are
// rejected one by one instead, as PostgreSQL does.
type need struct {
	field   string           // column at fault, e.g. "id"
	missing func(i int) bool // whether row i lacks it
	reason  string           // what to tell the user
}

// needText is a need for a text field that must not be empty.
func needText(field, reason string, value func(i int) string) need {
	return need{field: field, missing: func(i int) bool { return value(i) == "" }, reason: reason}
}

// checkRows checks n rows, first for needed fields (in needs order) and
// then, for the rows still good, for unknown references (checkRefs). It
// returns one rejection per bad row, for its first problem, in batch
// order, and which rows may be written.
func checkRows(ctx context.Context, q dbtx, n int, needs []need, refs []ref) ([]store.Rejection, []bool, error) {
	ok := make([]bool, n)
	var rej []store.Rejection
	for i := range ok {
		ok[i] = true
		for _, nd := range needs {
			if nd.missing(i) {
				ok[i] = false
				rej = append(rej, store.Rejection{Index: i, Field: nd.field, Reason: nd.reason})
				break
			}
		}
	}
	more, err := checkRefs(ctx, q, ok, refs...)
	if err != nil {
		return nil, nil, err
	}
	rej = append(rej, more...)
	slices.SortStableFunc(rej, func(a, b store.Rejection) int { return cmp.Compare(a.Index, b.Index) })
	return rej, ok, nil
}

// checkRefs checks every reference of the rows marked ok set-wise, marks
// the rows with an unknown one not ok, and returns their rejections (first
// unknown reference of a row, in refs order).
func checkRefs(ctx context.Context, q dbtx, ok []bool, refs ...ref) ([]store.Rejection, error) {
	n := len(ok)
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
			return nil, fmt.Errorf("check %s: %w", rf.field, err)
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
	return rej, nil
}

// notFound words a missing reference for a marketing-operations person.
func notFound(what, file string) func(string) string {
	return func(key string) string {
		return fmt.Sprintf("%s %q not found; import %s first", what, key, file)
	}
}
