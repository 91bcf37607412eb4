package sqlite_test

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/towerops/tower/internal/store/sqlite"
	"github.com/towerops/tower/internal/store/storetest"
)

// benchSegmentRule is a typical three-condition segment: an account
// field, a title match and an event count in a window.
const benchSegmentRule = `account.industry == "Logistics" && person.title.contains("Operations") && events.count("Pricing Viewed", days(30)) >= 2`

var benchSegmentNow = time.Date(2026, 10, 31, 12, 0, 0, 0, time.UTC)

// BenchmarkSegmentRefresh times a full refresh of benchSegmentRule over
// TOWER_BENCH_ROWS people (default 20,000; the target is ≤ 1 s at
// 1,000,000) with three events each, and an incremental refresh after
// 1,000 new events:
//
//	TOWER_BENCH_ROWS=1000000 go test -run '^$' -bench SegmentRefresh -benchtime 3x ./internal/store/sqlite/
//
// The people, accounts and events are written with SQL, not through the
// importer, so the benchmark measures the refresh alone.
func BenchmarkSegmentRefresh(b *testing.B) {
	n := 20_000
	if s := os.Getenv("TOWER_BENCH_ROWS"); s != "" {
		v, err := strconv.Atoi(s)
		if err != nil || v <= 0 {
			b.Fatalf("TOWER_BENCH_ROWS=%q: want a positive number", s)
		}
		n = v
	}
	ctx := context.Background()
	st, err := sqlite.Open(ctx, filepath.Join(b.TempDir(), "tower.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	if _, err := st.MigrateUp(ctx); err != nil {
		b.Fatal(err)
	}
	ts := func(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000000Z") }
	seed := []string{
		`WITH RECURSIVE s(x) AS (SELECT 0 UNION ALL SELECT x + 1 FROM s WHERE x + 1 < ?1 / 10)
		 INSERT INTO accounts (id, name, industry, employees, region)
		 SELECT 'A-' || x, 'Account ' || x,
		   CASE x % 10 WHEN 0 THEN 'Logistics' WHEN 1 THEN 'Retail' WHEN 2 THEN 'Software' ELSE 'Manufacturing' END,
		   10 + x % 5000, CASE x % 3 WHEN 0 THEN 'EMEA' WHEN 1 THEN 'NA' ELSE 'APAC' END FROM s`,
		`WITH RECURSIVE s(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM s WHERE x < ?1)
		 INSERT INTO people (id, key, email, title, account_id, country, created_at, updated_at)
		 SELECT x, 'email:p' || x || '@example.test', 'p' || x || '@example.test',
		   CASE x % 7 WHEN 0 THEN 'Head of Operations' WHEN 1 THEN 'Operations Manager' WHEN 2 THEN 'CFO' ELSE 'Engineer' END,
		   'A-' || (x % (?1 / 10)), CASE x % 4 WHEN 0 THEN 'DE' WHEN 1 THEN 'US' WHEN 2 THEN 'GB' ELSE 'FR' END, ?2, ?2 FROM s`,
		`WITH RECURSIVE s(x) AS (SELECT 0 UNION ALL SELECT x + 1 FROM s WHERE x + 1 < ?1 * 3)
		 INSERT INTO events (message_id, type, event, timestamp, person_id)
		 SELECT 'm' || x, 'track', CASE (x / 3 + x % 3) % 4 WHEN 0 THEN 'Page Viewed' WHEN 1 THEN 'Page Viewed' ELSE 'Pricing Viewed' END,
		   strftime('%Y-%m-%dT%H:%M:%S.000000Z', ?3, '-' || ((x * 7) % 60) || ' days'), 1 + x / 3 FROM s`,
	}
	start := time.Now()
	for _, q := range seed {
		if _, err := st.DB().ExecContext(ctx, q, n, ts(benchSegmentNow.AddDate(-1, 0, 0)), ts(benchSegmentNow)); err != nil {
			b.Fatal(err)
		}
	}
	if _, err := st.DB().ExecContext(ctx, "ANALYZE"); err != nil {
		b.Fatal(err)
	}
	b.Logf("seeded %d people, %d accounts and %d events in %s", n, n/10, 3*n, time.Since(start).Round(time.Millisecond))
	storetest.BenchSegmentRefresh(ctx, b, st, benchSegmentRule, benchSegmentNow, func(i int) error {
		_, err := st.DB().ExecContext(ctx, `WITH RECURSIVE s(x) AS (SELECT 0 UNION ALL SELECT x + 1 FROM s WHERE x + 1 < 1000)
			INSERT INTO events (message_id, type, event, timestamp, person_id)
			SELECT 'new-' || ?1 || '-' || x, 'track', 'Pricing Viewed', ?2, 1 + (x * 997 + ?1) % ?3 FROM s`,
			i, ts(benchSegmentNow.Add(-time.Hour)), n)
		return err
	})
}
