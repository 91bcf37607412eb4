package postgres

import (
	"fmt"

	"github.com/jackc/pgx/v5/pgtype"
)

// Why the batch statements probe instead of join
//
// Every statement a write batch runs compares a batch of keys (at most a
// few thousand) with a table that may hold millions of rows. The only good
// plan for that is a probe of an index per key. A join leaves the choice to
// the planner, and the planner can be badly wrong: when a table was
// analysed while an import was still inserting into it (a manual ANALYZE,
// or autovacuum after an earlier import was rolled back), its statistics
// say zero rows across many pages, the planner believes the table empty,
// and it hashes or scans the whole table for every batch — an import that
// should take seconds then takes hours.
//
// So lookups are written as a correlated subquery per key, which
// PostgreSQL runs as a SubPlan, once per key, with an index scan for any
// table larger than a few pages whatever its statistics say. Writes to
// existing rows go through INSERT ... ON CONFLICT, which finds its rows
// through the unique index, never through a join. Where the lowest id of
// several matches is wanted, the subquery orders by "id + 0": ordering by
// id itself would let the planner walk the primary key in order and filter,
// which is a full scan when the statistics lie.

// pick returns the elements of an array parameter (a slice) at the
// 1-based positions in ns, in that order.
func pick(param any, ns []int64) any {
	switch a := param.(type) {
	case []string:
		return pickOf(a, ns)
	case []int64:
		return pickOf(a, ns)
	case []pgtype.Timestamptz:
		return pickOf(a, ns)
	}
	panic(fmt.Sprintf("postgres: pick: unexpected parameter type %T", param))
}

func pickOf[T any](a []T, ns []int64) []T {
	out := make([]T, len(ns))
	for i, n := range ns {
		out[i] = a[n-1]
	}
	return out
}
