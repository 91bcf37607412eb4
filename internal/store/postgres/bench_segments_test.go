package postgres_test

import (
	"context"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/towerops/tower/internal/store/postgres"
	"github.com/towerops/tower/internal/store/storetest"
)

// benchSegmentRule is a typical three-condition segment: an account
// field, a title match and an event count in a window.
const benchSegmentRule = `account.industry == "Logistics" && person.title.contains("Operations") && events.count("Pricing Viewed", days(30)) >= 2`

var benchSegmentNow = time.Date(2026, 10, 31, 12, 0, 0, 0, time.UTC)

// BenchmarkSegmentRefresh times a full refresh of benchSegmentRule over
// TOWER_BENCH_ROWS people (default 20,000; the target is ≤ 1 s at
// 1,000,000) with three events each, and an incremental refresh after
// 1,000 new events. The data is written with SQL (generate_series), so
// the benchmark measures the refresh alone:
//
//	TOWER_BENCH_ROWS=1000000 go test -run '^$' -bench SegmentRefresh -benchtime 3x ./internal/store/postgres/
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
	st := postgres.NewTestStore(b)
	pool := st.Pool()
	seed := []string{
		`INSERT INTO accounts (id, name, industry, employees, region)
		 SELECT 'A-' || x, 'Account ' || x,
		   CASE x % 10 WHEN 0 THEN 'Logistics' WHEN 1 THEN 'Retail' WHEN 2 THEN 'Software' ELSE 'Manufacturing' END,
		   10 + x % 5000, CASE x % 3 WHEN 0 THEN 'EMEA' WHEN 1 THEN 'NA' ELSE 'APAC' END
		 FROM generate_series(0, $1::int / 10 - 1) x`,
		`INSERT INTO people (key, email, title, account_id, country, created_at, updated_at)
		 SELECT 'email:p' || x || '@example.test', 'p' || x || '@example.test',
		   CASE x % 7 WHEN 0 THEN 'Head of Operations' WHEN 1 THEN 'Operations Manager' WHEN 2 THEN 'CFO' ELSE 'Engineer' END,
		   'A-' || (x % ($1::int / 10)), CASE x % 4 WHEN 0 THEN 'DE' WHEN 1 THEN 'US' WHEN 2 THEN 'GB' ELSE 'FR' END,
		   $2::timestamptz, $2::timestamptz
		 FROM generate_series(1, $1::int) x`,
		`INSERT INTO events (message_id, type, event, timestamp, person_id)
		 SELECT 'm' || x, 'track', CASE (x / 3 + x % 3) % 4 WHEN 0 THEN 'Page Viewed' WHEN 1 THEN 'Page Viewed' ELSE 'Pricing Viewed' END,
		   $2::timestamptz - ((x * 7) % 60) * interval '1 day', 1 + x / 3
		 FROM generate_series(0, $1::int * 3 - 1) x`,
		`ANALYZE`,
	}
	start := time.Now()
	for i, q := range seed {
		args := [][]any{{n}, {n, benchSegmentNow.AddDate(-1, 0, 0)}, {n, benchSegmentNow}, nil}[i]
		if _, err := pool.Exec(ctx, q, args...); err != nil {
			b.Fatal(err)
		}
	}
	b.Logf("seeded %d people, %d accounts and %d events in %s", n, n/10, 3*n, time.Since(start).Round(time.Millisecond))
	storetest.BenchSegmentRefresh(ctx, b, st, benchSegmentRule, benchSegmentNow, func(i int) error {
		_, err := pool.Exec(ctx, `INSERT INTO events (message_id, type, event, timestamp, person_id)
			SELECT 'new-' || $1::int || '-' || x, 'track', 'Pricing Viewed', $2::timestamptz, 1 + (x * 997 + $1::int) % $3::int
			FROM generate_series(0, 999) x`, i, benchSegmentNow.Add(-time.Hour), n)
		return err
	})
}
