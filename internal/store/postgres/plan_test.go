package postgres

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"

	"github.com/towerops/tower/internal/foundation"
	"github.com/towerops/tower/internal/store"
)

// TestBatchPlansSurviveLyingStatistics reproduces the statistics an ANALYZE
// leaves when it runs while an import is still inserting — zero rows over
// many pages — and checks that every statement a write batch runs still
// probes an index per key instead of hashing or scanning the table (see
// probe.go). With joins, that state made each batch read the whole table.
func TestBatchPlansSurviveLyingStatistics(t *testing.T) {
	t.Parallel()
	s := NewTestStore(t)
	ctx := t.Context()
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback(context.WithoutCancel(ctx)) //nolint:errcheck
	q := &queries{db: tx}
	const n = 5000
	for b := range 4 {
		recs := make([]foundation.Record, n)
		for i := range recs {
			id := fmt.Sprintf("%d-%d", b, i)
			recs[i] = foundation.Record{System: "crm", SystemID: id, Email: "p" + id + "@x.test", FirstName: "F"}
		}
		if _, err := q.RecordsUpsert(ctx, &store.RecordsUpsertParams{Records: recs}); err != nil {
			t.Fatal(err)
		}
	}
	// Another session analyses while the import is uncommitted.
	if _, err := s.pool.Exec(ctx, `ANALYZE records, people`); err != nil {
		t.Fatal(err)
	}
	for _, table := range []string{"records", "people"} {
		var tuples float64
		var pages int
		if err := tx.QueryRow(ctx, `SELECT reltuples, relpages FROM pg_class WHERE oid = $1::regclass`, table).
			Scan(&tuples, &pages); err != nil {
			t.Fatal(err)
		}
		if tuples != 0 || pages == 0 {
			t.Fatalf("precondition: %s has reltuples %v over %d pages, want 0 over many", table, tuples, pages)
		}
	}

	texts := func(f func(i int) string) []string {
		out := make([]string, n)
		for i := range out {
			out[i] = f(i)
		}
		return out
	}
	ids := make([]int64, n)
	times := make([]pgtype.Timestamptz, n)
	for i := range ids {
		ids[i] = int64(i + 1)
	}
	crm := texts(func(int) string { return "crm" })
	sysIDs := texts(func(i int) string { return fmt.Sprintf("1-%d", i) })
	emails := texts(func(i int) string { return fmt.Sprintf("p1-%d@x.test", i) })
	empty := texts(func(int) string { return "" })
	traits := texts(func(int) string { return "{}" })
	fill := []any{ids, emails, empty, empty, empty, empty, empty, empty, empty, traits}
	records := []any{ids, crm, sysIDs, emails, emails, empty, empty, empty, empty, empty, empty, empty, traits, times, times}

	for _, c := range []struct {
		name   string
		sql    string
		args   []any
		noPKey bool // the statement orders by "id + 0" to keep off the primary key
	}{
		{"find records", sqlFindRecords, []any{crm, sysIDs}, false},
		{"find people", sqlLookupKeys, []any{emails}, false},
		{"fill needed", sqlFillNeeded, fill, false},
		{"changed records", sqlChangedRecords, records, false},
		{"consent by system_id", sqlConsentBySystemID, []any{crm, sysIDs}, false},
		{"consent by e-mail", sqlConsentByEmail, []any{crm, emails}, true},
		{"events by e-mail", sqlEventPeopleByEmail, []any{emails}, true},
		{"events by userId", sqlEventPeopleByUserID, []any{sysIDs}, true},
	} {
		plan := explain(t, tx, c.sql, c.args...)
		for _, bad := range []string{"Hash Join", "Merge Join", "Seq Scan on records", "Seq Scan on people"} {
			if strings.Contains(plan, bad) {
				t.Errorf("%s: plan has %q:\n%s", c.name, bad, plan)
			}
		}
		if c.noPKey && strings.Contains(plan, "_pkey") {
			t.Errorf("%s: plan walks a primary key:\n%s", c.name, plan)
		}
	}
}

func explain(t *testing.T, tx pgx.Tx, sql string, args ...any) string {
	t.Helper()
	rows, err := tx.Query(t.Context(), "EXPLAIN "+sql, args...)
	if err != nil {
		t.Fatalf("explain: %v", err)
	}
	lines, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		t.Fatalf("explain: %v", err)
	}
	return strings.Join(lines, "\n")
}
