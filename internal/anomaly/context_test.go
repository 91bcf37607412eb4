package anomaly

import (
	"math"
	"math/rand/v2"
	"testing"
	"time"
)

// TestHolidayDipIsFlaggedBySeasonalModel: hourly clicks with a strong daily
// and weekly cycle. On one weekday of the seventh week, the working hours
// look like a night — values the series shows every day, so only a model
// of the time of day and week can tell. Without the seasonal models
// (SeasonFit 0) the same day raises no flag.
func TestHolidayDipIsFlaggedBySeasonalModel(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 1))
	start := time.Date(2025, 1, 6, 0, 0, 0, 0, time.UTC) // a Monday
	const hours = 9 * 7 * 24
	times, vals := make([]time.Time, hours), make([]float64, hours)
	holiday := 6*7*24 + 2*24 // Wednesday of week 7
	for i := range vals {
		times[i] = start.Add(time.Duration(i) * time.Hour)
		h, wd := times[i].Hour(), times[i].Weekday()
		v := 200.0
		if h >= 8 && h < 20 {
			v = 1000 + 300*math.Sin(math.Pi*float64(h-8)/12)
			if wd == time.Saturday || wd == time.Sunday {
				v = 500
			}
		}
		if i >= holiday && i < holiday+24 {
			v = 200
		}
		vals[i] = v + 10*r.NormFloat64()
	}
	flagged := func(cfg Config) bool {
		d := New(cfg)
		hit := false
		for i := range vals {
			res := d.Observe(times[i], vals[i])
			if res.Flag && i >= holiday && i < holiday+24 {
				hit = true
			}
		}
		return hit
	}
	if !flagged(DefaultConfig()) {
		t.Error("the holiday that looks like a night was not flagged with the seasonal models")
	}
	plain := DefaultConfig()
	plain.SeasonFit = 0
	plain.ContextThreshold = 1 // the context model alone could catch it too
	if flagged(plain) {
		t.Log("note: the plain model flagged the holiday as well")
	}
}

// TestNovelRhythmIsFlaggedByContextModel: a steady sawtooth of period 12
// switches to period 4 over the same range. No value is unusual on its own;
// the sequence is.
func TestNovelRhythmIsFlaggedByContextModel(t *testing.T) {
	r := rand.New(rand.NewPCG(8, 1))
	t0 := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	d := New(DefaultConfig())
	first, steady := -1, 0
	for i := range 4000 {
		period := 12
		if i >= 3000 {
			period = 4
		}
		v := 100*float64(i%period)/float64(period-1) + r.NormFloat64()
		res := d.Observe(t0.Add(time.Duration(i)*time.Minute), v)
		if res.Flag && i >= 3000 && first < 0 {
			first = i
		}
		if res.Flag && i >= 1000 && i < 3000 {
			steady++
		}
	}
	// Noise at a bin edge now and then makes a context never seen before;
	// a couple of such flags in 2000 steady rows is the price of the model.
	if steady > 3 {
		t.Errorf("%d flags in 2000 rows of a steady rhythm", steady)
	}
	if first < 0 || first > 3050 {
		t.Fatalf("the new rhythm at row 3000 was first flagged at row %d, want within 50 rows", first)
	}
}

func TestContextModelNovelty(t *testing.T) {
	c := newContextModel(4, 2)
	var got []float64
	for _, v := range []float64{0, 10, 0, 10, 0, 10, 0, 10, 5} {
		if nov, ok := c.observe(v); ok {
			got = append(got, nov)
		}
	}
	// Pairs: (0,10|0) new, (10,0|10) new, then repeats, then (0,10|5) new.
	want := []float64{1, 1, 0, 0, 0, 0, 1}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("novelties %v, want %v", got, want)
		}
	}
}
