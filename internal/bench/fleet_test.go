package bench

import (
	"context"
	"os"
	"strconv"
	"testing"
)

// BenchmarkFleetCycle times one fleet cycle on SQLite: TOWER_BENCH_AGENTS
// agents (default 5,000 so CI stays quick; `make bench` runs the 50,000 the
// target is stated for).
func BenchmarkFleetCycle(b *testing.B) {
	n := 5000
	if v, err := strconv.Atoi(os.Getenv("TOWER_BENCH_AGENTS")); err == nil && v > 0 {
		n = v
	}
	for i := 0; i < b.N; i++ {
		res, err := Fleet(context.Background(), Config{Rows: n})
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(res.Seconds, "cycle-s")
		b.ReportMetric(res.RowsPerSec, "proposals/s")
	}
}
