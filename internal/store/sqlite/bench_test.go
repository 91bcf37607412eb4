package sqlite_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/towerops/tower/internal/foundation"
	"github.com/towerops/tower/internal/store"
	"github.com/towerops/tower/internal/store/sqlite"
)

// BenchmarkRecordsUpsert imports N people rows into a fresh database in
// batches and reports rows/s. tx=file writes every batch inside one InTx,
// as the CSV importer does for a file (batch=1000 is its default);
// tx=batch commits each batch. The 1M case is the import target (≤ 30 s
// including CSV parsing, which the importer overlaps with writing):
//
//	TOWER_BENCH_ROWS=1000000 go test -run '^$' -bench 'RecordsUpsert/batch=1000/tx=file' -benchtime 1x ./internal/store/sqlite/
//
// The row count is TOWER_BENCH_ROWS, default 20,000 so that a short run
// of every benchmark (make bench-short, in CI) stays quick.
// Rows mimic a real export: three systems, one in five rows a second
// record of an address already seen (so it joins an existing person),
// one in twenty without an address, most with an account.
func BenchmarkRecordsUpsert(b *testing.B) {
	n := 20_000
	if s := os.Getenv("TOWER_BENCH_ROWS"); s != "" {
		v, err := strconv.Atoi(s)
		if err != nil || v <= 0 {
			b.Fatalf("TOWER_BENCH_ROWS=%q: want a positive number", s)
		}
		n = v
	}
	for _, batch := range []int{1000, 5000} {
		for _, oneTx := range []bool{false, true} {
			name := fmt.Sprintf("batch=%d/tx=batch", batch)
			if oneTx {
				name = fmt.Sprintf("batch=%d/tx=file", batch)
			}
			b.Run(name, func(b *testing.B) {
				benchImport(b, n, batch, oneTx)
				b.ReportMetric(float64(n), "rows")
			})
		}
	}
}

// benchImport writes n rows in batches, each batch its own transaction,
// or (oneTx) all inside one InTx as the importer does for a file.
func benchImport(b *testing.B, n, batch int, oneTx bool) {
	ctx := context.Background()
	for b.Loop() {
		b.StopTimer()
		s, err := sqlite.Open(ctx, filepath.Join(b.TempDir(), "bench.db"))
		if err != nil {
			b.Fatal(err)
		}
		if _, err := s.MigrateUp(ctx); err != nil {
			b.Fatal(err)
		}
		seedBenchAccounts(b, s)
		recs := make([]foundation.Record, batch)
		write := func(ctx context.Context, q store.Queries) error {
			for start := 0; start < n; start += batch {
				chunk := recs[:min(batch, n-start)]
				for i := range chunk {
					chunk[i] = benchRecord(start + i)
				}
				res, err := q.RecordsUpsert(ctx, &store.RecordsUpsertParams{Records: chunk})
				if err != nil {
					return err
				}
				if len(res.Rejected) != 0 || res.Written != len(chunk) {
					return fmt.Errorf("batch at %d: written %d, rejected %v", start, res.Written, res.Rejected)
				}
			}
			return nil
		}
		b.StartTimer()
		if oneTx {
			err = s.InTx(ctx, write)
		} else {
			err = write(ctx, s)
		}
		b.StopTimer()
		if err != nil {
			b.Fatal(err)
		}
		c, err := s.Counts(ctx)
		if err != nil {
			b.Fatal(err)
		}
		if c.Records != int64(n) {
			b.Fatalf("records = %d, want %d", c.Records, n)
		}
		s.Close()
		b.StartTimer()
	}
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}

const benchAccounts = 1000

func seedBenchAccounts(b *testing.B, s *sqlite.Store) {
	accts := make([]foundation.Account, benchAccounts)
	for i := range accts {
		accts[i] = foundation.Account{ID: fmt.Sprintf("A-%05d", i), Name: fmt.Sprintf("Account %d", i)}
	}
	if _, err := s.AccountsUpsert(context.Background(), &store.AccountsUpsertParams{Accounts: accts}); err != nil {
		b.Fatal(err)
	}
}

var benchSystems = []string{"crm", "map", "esp"}

// benchRecord is row i of the synthetic export.
func benchRecord(i int) foundation.Record {
	person := i
	if i%5 == 4 {
		person = i - 3 // a second record of an address seen three rows earlier
	}
	r := foundation.Record{
		System:    benchSystems[i%3],
		SystemID:  fmt.Sprintf("%08d", i),
		FirstName: fmt.Sprintf("First%d", person%5000),
		LastName:  fmt.Sprintf("Last%d", person%7919),
		Title:     "Marketing Manager",
		Phone:     fmt.Sprintf("+1 555 %07d", person),
		Country:   "US",
		Region:    "NA",
	}
	if i%20 != 0 {
		r.Email = fmt.Sprintf("person%d@example%d.test", person, person%97)
	}
	if i%10 != 0 {
		r.AccountID = fmt.Sprintf("A-%05d", person%benchAccounts)
	}
	return r
}
