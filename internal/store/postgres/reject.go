package postgres

import (
	"context"
	"fmt"
	"sort"

	"github.com/jackc/pgx/v5"

	"github.com/towerops/tower/internal/store"
)

// rejections collects the rows of a batch that will not be written. A row
// is reported once, for the first problem found: fixing that one is what
// the person reading the report does next.
type rejections struct {
	list []store.Rejection
	bad  map[int]bool
}

func (r *rejections) add(index int, field, reason string) {
	if r.bad == nil {
		r.bad = map[int]bool{}
	}
	if r.bad[index] {
		return
	}
	r.bad[index] = true
	r.list = append(r.list, store.Rejection{Index: index, Field: field, Reason: reason})
}

// clone copies r; a nil r clones to nil.
func (r *rejections) clone() *rejections {
	if r == nil {
		return nil
	}
	c := &rejections{list: append([]store.Rejection(nil), r.list...), bad: make(map[int]bool, len(r.bad))}
	for k, v := range r.bad {
		c.bad[k] = v
	}
	return c
}

func (r *rejections) has(index int) bool { return r.bad[index] }

// sorted returns the rejections in batch order.
func (r *rejections) sorted() []store.Rejection {
	sort.Slice(r.list, func(i, j int) bool { return r.list[i].Index < r.list[j].Index })
	return r.list
}

// missing returns which of ids (empty ones ignored) have no row in table
// with that value in its unique column col, with one query for the whole
// batch probing col's index once per id (see probe.go). table and col are
// constants from this package, never user input.
func missing(ctx context.Context, tx pgx.Tx, table, col string, ids []string) (map[string]bool, error) {
	set := map[string]bool{}
	var distinct []string
	for _, id := range ids {
		if id != "" && !set[id] {
			set[id] = true
			distinct = append(distinct, id)
		}
	}
	if len(distinct) == 0 {
		return nil, nil
	}
	rows, err := tx.Query(ctx, fmt.Sprintf(sqlMissing, table, col), distinct)
	if err != nil {
		return nil, fmt.Errorf("check %s: %w", table, err)
	}
	out, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, fmt.Errorf("check %s: %w", table, err)
	}
	gone := make(map[string]bool, len(out))
	for _, id := range out {
		gone[id] = true
	}
	return gone, nil
}

// sqlMissing lists the ids no row has; %s are the table and its key column.
const sqlMissing = `SELECT x FROM unnest($1::text[]) AS x WHERE (SELECT true FROM %s t WHERE t.%s = x) IS NULL`

// lastOf returns, in batch order, the indexes of the rows to write: the
// last row for each key among those not rejected. Earlier rows with the
// same key are superseded, exactly as if the batch were written one row at
// a time; they still count as written.
func lastOf(n int, rej *rejections, key func(i int) string) []int {
	last := make(map[string]int, n)
	for i := 0; i < n; i++ {
		if !rej.has(i) {
			last[key(i)] = i
		}
	}
	out := make([]int, 0, len(last))
	for i := 0; i < n; i++ {
		if !rej.has(i) && last[key(i)] == i {
			out = append(out, i)
		}
	}
	return out
}

// result builds the UpsertResult for a batch of n rows.
func result(n int, rej *rejections) *store.UpsertResult {
	return &store.UpsertResult{Written: n - len(rej.list), Rejected: rej.sorted()}
}
