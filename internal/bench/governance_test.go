package bench

import (
	"context"
	"os"
	"strconv"
	"testing"
)

// BenchmarkGovernance times policy decisions with the default pack and the
// escalation of TOWER_BENCH_APPROVALS pending approvals after a restart
// (default 2,000 so CI stays quick; `make bench` runs the 10,000 the
// target is stated for).
func BenchmarkGovernance(b *testing.B) {
	n := 2000
	if v, err := strconv.Atoi(os.Getenv("TOWER_BENCH_APPROVALS")); err == nil && v > 0 {
		n = v
	}
	for i := 0; i < b.N; i++ {
		res, err := Governance(context.Background(), Config{Rows: n})
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(res.Steps[0].Duration.Nanoseconds()), "ns/decide-tag")
		b.ReportMetric(float64(res.Steps[1].Duration.Nanoseconds()), "ns/decide-email")
		b.ReportMetric(res.Seconds, "escalate-s")
	}
}
