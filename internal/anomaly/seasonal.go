package anomaly

import "time"

// seasonal predicts a value from the values at the same clock time one,
// two, … `repeats` periods earlier (a day or a week) and keeps the
// residuals — value minus prediction — in a ring, so the detector can
// measure surprise against the usual residual instead of the usual value.
//
// This is a seasonal-naive forecast (the average of the same slot in past
// cycles), the textbook baseline for seasonal series. It matters for series
// like taxi rides or clicks per hour, where the daily swing dwarfs the
// anomalies: a holiday dip stays within the usual range of values but is far
// from what the same hour of the same weekday usually brings. Rows are
// matched by exact timestamp, so a series with gaps or an irregular step
// simply has fewer residuals, and one with no repeats has none.
type seasonal struct {
	period  int64 // seconds
	repeats int
	past    map[int64]float64 // unix time → value, for the last period·repeats
	order   []int64           // the keys of past in arrival order, from head
	head    int
	resid   []float64 // ring of residuals
	n       int       // residuals computed
}

func newSeasonal(period time.Duration, repeats, ring int) *seasonal {
	return &seasonal{
		period:  int64(period / time.Second),
		repeats: repeats,
		past:    map[int64]float64{},
		resid:   make([]float64, ring),
	}
}

// observe learns (t, v) and adds its residual to the ring when at least one
// earlier cycle has a value at the same clock time.
func (s *seasonal) observe(t time.Time, v float64) {
	u := t.Unix()
	var sum float64
	k := 0
	for r := 1; r <= s.repeats; r++ {
		if x, ok := s.past[u-int64(r)*s.period]; ok {
			sum += x
			k++
		}
	}
	if _, dup := s.past[u]; !dup {
		s.order = append(s.order, u)
	}
	s.past[u] = v
	horizon := u - int64(s.repeats)*s.period
	for s.head < len(s.order) && s.order[s.head] < horizon {
		delete(s.past, s.order[s.head])
		s.head++
	}
	if s.head > 1024 && s.head > len(s.order)/2 {
		s.order = append(s.order[:0], s.order[s.head:]...)
		s.head = 0
	}
	if k > 0 {
		s.resid[s.n%len(s.resid)] = v - sum/float64(k)
		s.n++
	}
}
