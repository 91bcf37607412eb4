package demo

import (
	"math"
	"math/rand/v2"
	"time"
)

// Random streams. Each part of the company draws from its own PCG stream so
// that a change in one generator does not reshuffle the others' output.
const (
	streamCompany uint64 = iota + 1
	streamPeople
	streamPlants
	streamConsent
	streamCampaigns
	streamEvents
	streamLicenses
	streamTemplates
	streamSegment
)

// newRand returns the generator for one stream of a seed.
func newRand(seed int64, stream uint64) *rand.Rand {
	return rand.New(rand.NewPCG(uint64(seed), stream*0x9e3779b97f4a7c15))
}

// pick returns a uniformly chosen element of xs.
func pick[T any](r *rand.Rand, xs []T) T { return xs[r.IntN(len(xs))] }

// chance reports true with probability p.
func chance(r *rand.Rand, p float64) bool { return r.Float64() < p }

// weighted returns an index drawn with the given (unnormalised) weights.
func weighted(r *rand.Rand, w []float64) int {
	total := 0.0
	for _, x := range w {
		total += x
	}
	u := r.Float64() * total
	for i, x := range w {
		if u < x {
			return i
		}
		u -= x
	}
	return len(w) - 1
}

// between returns a time uniformly drawn in [a, b), truncated to the second.
func between(r *rand.Rand, a, b time.Time) time.Time {
	d := b.Sub(a)
	if d <= time.Second {
		return a
	}
	return a.Add(time.Duration(r.Int64N(int64(d)))).Truncate(time.Second)
}

// binomial draws the number of successes in n trials of probability p:
// exactly for small n, by the normal approximation otherwise (campaign
// volumes are large enough that the difference is invisible).
func binomial(r *rand.Rand, n int64, p float64) int64 {
	if n <= 0 || p <= 0 {
		return 0
	}
	if p >= 1 {
		return n
	}
	if n < 60 {
		var k int64
		for i := int64(0); i < n; i++ {
			if r.Float64() < p {
				k++
			}
		}
		return k
	}
	mean := float64(n) * p
	sd := math.Sqrt(mean * (1 - p))
	k := int64(math.Round(mean + sd*r.NormFloat64()))
	return max(0, min(n, k))
}

// scaled returns frac of n, rounded, but never less than floor: planted
// facts must exist even in a small demo.
func scaled(n int, frac float64, floor int) int {
	return max(floor, int(math.Round(float64(n)*frac)))
}

// round2 rounds money to cents so CSV output stays short and exact.
func round2(x float64) float64 { return math.Round(x*100) / 100 }
