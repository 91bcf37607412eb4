package storetest

import (
	"context"
	"testing"
	"time"

	"github.com/towerops/tower/internal/store"
)

// BenchSegmentRefresh runs the full and incremental refresh benchmarks of
// rule, as of now, on a store its caller filled; addEvents writes 1,000
// new events (its argument makes their ids unique). Both backends' segment
// benchmarks share it, so their figures measure the same thing.
func BenchSegmentRefresh(ctx context.Context, b *testing.B, st store.Store, rule string, now time.Time, addEvents func(i int) error) {
	if _, err := st.SegmentSave(ctx, &store.SegmentSaveParams{ID: "bench", Name: "Bench", Rule: rule}); err != nil {
		b.Fatal(err)
	}
	var size int64
	b.Run("full", func(b *testing.B) {
		for b.Loop() {
			res, err := st.SegmentRefresh(ctx, &store.SegmentRefreshParams{ID: "bench", Full: true, Now: now})
			if err != nil {
				b.Fatal(err)
			}
			size = res.Segment.Size
		}
		b.ReportMetric(float64(size), "members")
	})
	b.Run("incremental", func(b *testing.B) {
		i := 0
		for b.Loop() {
			b.StopTimer()
			i++
			if err := addEvents(i); err != nil {
				b.Fatal(err)
			}
			b.StartTimer()
			res, err := st.SegmentRefresh(ctx, &store.SegmentRefreshParams{ID: "bench", Now: now})
			if err != nil {
				b.Fatal(err)
			}
			if res.Full {
				b.Fatalf("incremental refresh was full: %s", res.Why)
			}
			size = res.Segment.Size
		}
		b.ReportMetric(float64(size), "members")
	})
}
