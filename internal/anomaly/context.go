package anomaly

import "math"

// contextModel learns which short sequences of quantised values a series
// produces and says when it sees one it has never seen. It is Tower's own
// take on the idea behind the Contextual Anomaly Detector (CAD OSE, M.
// Smirnov, the third-best detector on the Numenta Anomaly Benchmark) and on
// the sequence memory of Numenta's HTM: an anomaly is a value that does not
// fit the context it arrives in, even when the value alone is ordinary —
// a machine that keeps its level but loses its rhythm, or a rhythm that
// stops.
//
// Values are quantised into `levels` equal bins over the range seen so far
// (running minimum and maximum: nothing about the future is needed). The
// context is the bins of the `order` previous values; the model counts
// every (context, bin) pair it has seen. A row's novelty is 1 when its pair
// was never seen before, 0 otherwise. The detector turns that 0/1 stream
// into a score with the same anomaly likelihood it uses for surprises:
// novel pairs are common while a series is young or noisy, so only a burst
// of them well above the series' own usual rate counts.
type contextModel struct {
	levels, order int
	lo, hi        float64
	n             int
	last          []int             // ring: bins of the last `order` values
	seen          map[uint64]uint32 // (context, bin) pairs seen, as keys
}

func newContextModel(levels, order int) *contextModel {
	return &contextModel{levels: levels, order: order, last: make([]int, order), seen: map[uint64]uint32{}}
}

// bin is v's bin over the range seen so far.
func (c *contextModel) bin(v float64) int {
	if c.hi <= c.lo {
		return 0
	}
	q := int(math.Floor((v - c.lo) / (c.hi - c.lo) * float64(c.levels)))
	return min(max(q, 0), c.levels-1)
}

// observe learns v and returns its novelty (1 for a pair never seen, else
// 0); ok is false while fewer than order values came before.
func (c *contextModel) observe(v float64) (novelty float64, ok bool) {
	if c.n == 0 {
		c.lo, c.hi = v, v
	}
	c.lo, c.hi = min(c.lo, v), max(c.hi, v)
	b := c.bin(v)
	slot := c.n % c.order // holds the oldest bin, about to be replaced
	c.n++
	if c.n <= c.order {
		c.last[slot] = b
		return 0, false
	}
	// The key spells the context oldest first, then the new bin, in base
	// levels+1 (order+1 digits: 5 digits of base 9 for the defaults).
	var key uint64
	for k := range c.order {
		key = key*uint64(c.levels+1) + uint64(c.last[(slot+k)%c.order]+1)
	}
	key = key*uint64(c.levels+1) + uint64(b+1)
	if c.seen[key] == 0 {
		novelty = 1
	}
	c.seen[key]++
	c.last[slot] = b
	return novelty, true
}
