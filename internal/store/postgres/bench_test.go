package postgres_test

import (
	"context"
	"flag"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/towerops/tower/internal/foundation"
	"github.com/towerops/tower/internal/store"
	"github.com/towerops/tower/internal/store/postgres"
)

// benchAccounts is how many accounts the people of a benchmark belong to.
const benchAccounts = 1000

// benchRecord is row i of a synthetic people.csv: three systems, 70% of
// rows with an address of their own, 25% sharing one with an earlier row
// (another system's record of the same person), 5% without e-mail.
func benchRecord(i int) foundation.Record {
	r := foundation.Record{
		System:    [...]string{"crm", "map", "esp"}[i%3],
		SystemID:  fmt.Sprintf("id-%08d", i),
		FirstName: "First" + fmt.Sprint(i%5000),
		LastName:  "Last" + fmt.Sprint(i%7919),
		Title:     [...]string{"CMO", "VP Marketing", "Ops Manager", ""}[i%4],
		AccountID: fmt.Sprintf("A-%04d", i%benchAccounts),
		Country:   [...]string{"PT", "US", "DE", "FR", "GB"}[i%5],
		Region:    [...]string{"EMEA", "NA"}[i%2],
		CreatedAt: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(i) * time.Minute),
	}
	switch {
	case i%20 == 19: // no e-mail
	case i%4 == 1 && i > 1000:
		r.Email = fmt.Sprintf("person%d@example.test", i-1001) // a person seen 1001 rows earlier
	default:
		r.Email = fmt.Sprintf("Person%d@Example.test", i)
	}
	return r
}

func seedBenchAccounts(b *testing.B, s store.Store) {
	b.Helper()
	accts := make([]foundation.Account, benchAccounts)
	for i := range accts {
		accts[i] = foundation.Account{ID: fmt.Sprintf("A-%04d", i), Name: fmt.Sprintf("Account %d", i)}
	}
	if _, err := s.AccountsUpsert(context.Background(), &store.AccountsUpsertParams{Accounts: accts}); err != nil {
		b.Fatal(err)
	}
}

// BenchmarkRecordsUpsert writes batches of 5,000 new records into a growing
// table, one transaction per batch.
func BenchmarkRecordsUpsert(b *testing.B) {
	const size = 5000
	s := postgres.NewTestStore(b)
	seedBenchAccounts(b, s)
	batches := make([][]foundation.Record, b.N)
	for n := range batches {
		batches[n] = make([]foundation.Record, size)
		for i := range size {
			batches[n][i] = benchRecord(n*size + i)
		}
	}
	b.ResetTimer()
	for n := 0; n < b.N; n++ {
		res, err := s.RecordsUpsert(context.Background(), &store.RecordsUpsertParams{Records: batches[n]})
		if err != nil || res.Written != size {
			b.Fatalf("batch %d: %v %+v", n, err, res)
		}
	}
	b.ReportMetric(float64(b.N*size)/b.Elapsed().Seconds(), "rows/s")
}

// BenchmarkRecordsUpsert1M imports 1,000,000 people rows inside one
// transaction, as `tower import` does, in batches of 1,000 and of 10,000;
// then it imports the same rows again (an idempotent re-run) and logs how
// long that took. It takes minutes, so it runs only when named:
//
//	TOWER_TEST_POSTGRES_URL=postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable \
//	  go test -run '^$' -bench RecordsUpsert1M -benchtime 1x ./internal/store/postgres/
func BenchmarkRecordsUpsert1M(b *testing.B) {
	if f := flag.Lookup("test.bench"); f == nil || !strings.Contains(f.Value.String(), "1M") {
		b.Skip("run with -bench RecordsUpsert1M")
	}
	const total = 1_000_000
	for _, size := range []int{1_000, 10_000} {
		b.Run(fmt.Sprintf("batch=%d", size), func(b *testing.B) {
			for n := 0; n < b.N; n++ {
				b.StopTimer()
				s := postgres.NewTestStore(b)
				seedBenchAccounts(b, s)
				b.StartTimer()
				first := importRows(b, s, total, size)
				b.StopTimer()
				again := importRows(b, s, total, size)
				c, err := s.Counts(context.Background())
				if err != nil || c.Records != total {
					b.Fatalf("counts %+v %v", c, err)
				}
				b.Logf("1,000,000 rows in %s (%d people); the same rows again in %s",
					first.Round(time.Millisecond), c.People, again.Round(time.Millisecond))
				b.ReportMetric(float64(total)/first.Seconds(), "rows/s")
				b.StartTimer()
			}
		})
	}
}

// importRows writes rows 0…total-1 in batches of size in one transaction.
func importRows(b *testing.B, s store.Store, total, size int) time.Duration {
	b.Helper()
	start := time.Now()
	err := s.InTx(context.Background(), func(ctx context.Context, q store.Queries) error {
		batch := make([]foundation.Record, size)
		for off := 0; off < total; off += size {
			for i := range batch {
				batch[i] = benchRecord(off + i)
			}
			res, err := q.RecordsUpsert(ctx, &store.RecordsUpsertParams{Records: batch})
			if err != nil {
				return err
			}
			if res.Written != size {
				return fmt.Errorf("batch at %d: %+v", off, res)
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	return time.Since(start)
}
