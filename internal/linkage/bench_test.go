package linkage

import (
	"context"
	"os"
	"testing"
)

func benchDedupe(b *testing.B, n int) {
	recs, truth := generatePeople(n, 0.07, 42)
	b.ReportAllocs()
	b.ResetTimer()
	var res *Result
	for range b.N {
		var err error
		if res, err = Dedupe(context.Background(), recs, Config{}); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	q := score(res.Pairs, truth)
	b.ReportMetric(q.p, "precision")
	b.ReportMetric(q.r, "recall")
	b.ReportMetric(float64(res.Stats.CandidatePairs), "candidates")
	b.Logf("%d records, %d true pairs: candidates %d (skipped %d in %d blocks), predicted %d, TP %d FP %d: P %.4f R %.4f F1 %.4f, clusters %d, EM prior %.4f",
		n, len(truth), res.Stats.CandidatePairs, res.Stats.SkippedPairs, res.Stats.SkippedBlocks, len(res.Pairs), q.tp, q.fp, q.p, q.r, q.f1, len(res.Clusters), res.Model.Prior)
}

// BenchmarkDedupe100k is the cheap scale check.
func BenchmarkDedupe100k(b *testing.B) { benchDedupe(b, 100_000) }

// BenchmarkDedupe1M: run once with -benchtime=1x. It needs about 2 GB
// and half a minute, so it runs with the full benchmarks (make bench sets
// TOWER_BENCH_ROWS), not in the short pass CI makes.
func BenchmarkDedupe1M(b *testing.B) {
	if os.Getenv("TOWER_BENCH_ROWS") == "" {
		b.Skip("set TOWER_BENCH_ROWS (make bench does) to deduplicate 1,000,000 people")
	}
	benchDedupe(b, 1_000_000)
}

// BenchmarkFEBRL4 links FEBRL 4a × 4b.
func BenchmarkFEBRL4(b *testing.B) {
	left, right := febrlTable(b, "dataset4a.csv"), febrlTable(b, "dataset4b.csv")
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		if _, err := Link(context.Background(), left, right, Config{}); err != nil {
			b.Fatal(err)
		}
	}
}
