package ingest

import (
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/towerops/tower/internal/demo"
)

// benchRows is the size of the generated people.csv: TOWER_BENCH_ROWS,
// default 20,000 so the benchmark stays quick in CI. The performance
// target is 1,000,000 rows in 30 s:
//
//	TOWER_BENCH_ROWS=1000000 go test -run '^$' -bench BenchmarkImportPeople -benchtime 1x ./internal/ingest
func benchRows(b *testing.B) int {
	if s := os.Getenv("TOWER_BENCH_ROWS"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n <= 0 {
			b.Fatalf("TOWER_BENCH_ROWS=%q: want a positive number", s)
		}
		return n
	}
	return 20_000
}

// benchBatch is Options.BatchSize for the benchmark: TOWER_BENCH_BATCH,
// default 0 (the importer's default), to compare batch sizes per backend.
func benchBatch(b *testing.B) int {
	n, _ := strconv.Atoi(os.Getenv("TOWER_BENCH_BATCH"))
	return n
}

// writePeopleCSV writes the benchmark's people.csv (see demo.WritePeopleCSV).
func writePeopleCSV(b *testing.B, path string, n int) {
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	if err := demo.WritePeopleCSV(f, n); err != nil {
		b.Fatal(err)
	}
	if err := f.Close(); err != nil {
		b.Fatal(err)
	}
}

// BenchmarkImportPeople imports a generated people.csv into a fresh
// database per iteration and reports rows per second.
func BenchmarkImportPeople(b *testing.B) {
	rows := benchRows(b)
	path := filepath.Join(b.TempDir(), "people.csv")
	writePeopleCSV(b, path, rows)
	for _, be := range backends {
		b.Run(be.name, func(b *testing.B) {
			var elapsed time.Duration
			for b.Loop() {
				b.StopTimer()
				st := be.open(b)
				b.StartTimer()
				start := time.Now()
				rep, err := ImportFile(b.Context(), st, KindPeople, path, Options{ErrorsReport: ErrorsReportNone, BatchSize: benchBatch(b)})
				elapsed += time.Since(start)
				if err != nil {
					b.Fatal(err)
				}
				if f := rep.Files[0]; f.Written != int64(rows) || f.Rejected != 0 {
					b.Fatalf("written %d, rejected %d of %d rows: %v", f.Written, f.Rejected, rows, rep.Errors)
				}
			}
			b.ReportMetric(float64(rows)*float64(b.N)/elapsed.Seconds(), "rows/s")
			b.ReportMetric(elapsed.Seconds()/float64(b.N), "s/import")
		})
	}
}

// BenchmarkParsePeople measures the CSV-to-foundation path alone (no
// database), so a slow import can be attributed to parsing or storing.
func BenchmarkParsePeople(b *testing.B) {
	rows := benchRows(b)
	path := filepath.Join(b.TempDir(), "people.csv")
	writePeopleCSV(b, path, rows)
	b.ReportAllocs()
	for b.Loop() {
		f, err := os.Open(path)
		if err != nil {
			b.Fatal(err)
		}
		good, err := peopleSpec.check(f, "people.csv", 0, func(e RowError) { b.Fatalf("unexpected error: %s", e) })
		f.Close()
		if err != nil || good != int64(rows) {
			b.Fatalf("good %d of %d: %v", good, rows, err)
		}
	}
	b.ReportMetric(float64(rows)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}
