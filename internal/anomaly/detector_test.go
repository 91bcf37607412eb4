package anomaly

import (
	"math"
	"math/rand/v2"
	"testing"
	"time"
)

// noisy returns n values of a level-100 series with Gaussian noise (sd 5).
func noisy(n int, seed uint64) []float64 {
	r := rand.New(rand.NewPCG(seed, 1))
	v := make([]float64, n)
	for i := range v {
		v[i] = 100 + 5*r.NormFloat64()
	}
	return v
}

func run(cfg Config, vals []float64) []Result {
	d := New(cfg)
	t0 := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	out := make([]Result, len(vals))
	for i, v := range vals {
		out[i] = d.Observe(t0.Add(time.Duration(i)*time.Hour), v)
	}
	return out
}

func TestSpikeIsFlaggedOnItsRow(t *testing.T) {
	vals := noisy(1500, 1)
	vals[1200] = 200 // 20 standard deviations
	res := run(DefaultConfig(), vals)
	if !res[1200].Flag || res[1200].Score < 0.9999 {
		t.Fatalf("the spike at row 1200 is not flagged: %+v", res[1200])
	}
	if res[1200].Surprise < 15 {
		t.Errorf("surprise %.1f, want about 20", res[1200].Surprise)
	}
}

func TestLevelShiftIsFlaggedWithinTenRows(t *testing.T) {
	vals := noisy(1500, 2)
	for i := 1000; i < len(vals); i++ {
		vals[i] += 15 // three standard deviations, sustained
	}
	res := run(DefaultConfig(), vals)
	first := -1
	for i := 1000; i < 1100; i++ {
		if res[i].Flag {
			first = i
			break
		}
	}
	if first < 0 || first > 1010 {
		t.Fatalf("shift at row 1000 first flagged at row %d, want within 10 rows", first)
	}
}

func TestFlagsAreSuppressedAfterAFlag(t *testing.T) {
	vals := noisy(1500, 3)
	vals[1200], vals[1250] = 300, 5000 // the second spike is a record too
	res := run(DefaultConfig(), vals)
	if !res[1200].Flag {
		t.Fatal("first spike not flagged")
	}
	if res[1250].Flag || res[1250].Score < 0.9999 {
		t.Errorf("second spike 50 rows later: want a high score but no new flag, got %+v", res[1250])
	}
}

// TestNoLookAhead: the results for the first k rows do not depend on what
// comes after row k.
func TestNoLookAhead(t *testing.T) {
	a := noisy(1300, 4)
	b := append([]float64(nil), a...)
	for i := 1000; i < len(b); i++ {
		b[i] = 1e6 * float64(i%7)
	}
	ra, rb := run(DefaultConfig(), a), run(DefaultConfig(), b)
	for i := range 1000 {
		if ra[i] != rb[i] {
			t.Fatalf("row %d differs when later rows change: %+v vs %+v", i, ra[i], rb[i])
		}
	}
}

func TestQuietSeriesStaysQuietAndScoresInRange(t *testing.T) {
	res := run(DefaultConfig(), noisy(5000, 5))
	flags := 0
	for i, r := range res {
		if r.Score < 0 || r.Score > 1 || math.IsNaN(r.Score) {
			t.Fatalf("row %d: score %v outside [0, 1]", i, r.Score)
		}
		if r.Flag {
			flags++
		}
	}
	// Records happen by chance in pure noise; with the 100-row
	// suppression a handful is the most 5000 rows should give.
	if flags > 10 {
		t.Errorf("%d flags on 5000 rows of plain noise", flags)
	}
}

func TestFlatSeriesAndBadValues(t *testing.T) {
	vals := make([]float64, 600)
	for i := range vals {
		vals[i] = 7
	}
	vals[300] = math.NaN()
	vals[301] = math.Inf(1)
	vals[500] = 8
	res := run(DefaultConfig(), vals)
	if res[300] != (Result{}) || res[301] != (Result{}) {
		t.Errorf("non-finite values should score 0: %+v %+v", res[300], res[301])
	}
	if !res[500].Flag {
		t.Errorf("a change off a flat line should be flagged: %+v", res[500])
	}
}

func TestValidate(t *testing.T) {
	if err := DefaultConfig().Validate(); err != nil {
		t.Fatal(err)
	}
	bad := DefaultConfig()
	bad.Threshold = 1.5
	if err := bad.Validate(); err == nil {
		t.Error("threshold 1.5 should be refused")
	}
}

// BenchmarkDetector reports rows per second for the default configuration
// once its windows are full.
func BenchmarkDetector(b *testing.B) {
	vals := noisy(4096, 6)
	d := New(DefaultConfig())
	t0 := time.Now()
	for _, v := range vals {
		d.Observe(t0, v)
	}
	b.ResetTimer()
	for i := range b.N {
		d.Observe(t0, vals[i%len(vals)])
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}
