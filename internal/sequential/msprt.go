package sequential

import "math"

// Counts are one arm's cumulative trials and successes (for click rate:
// delivered and clicks; for conversion rate: clicks and conversions).
type Counts struct {
	Trials    int64
	Successes int64
}

// Rate is Successes/Trials, 0 with no trials.
func (c Counts) Rate() float64 {
	if c.Trials <= 0 {
		return 0
	}
	return float64(c.Successes) / float64(c.Trials)
}

// Add returns the sum of two counts.
func (c Counts) Add(d Counts) Counts {
	return Counts{Trials: c.Trials + d.Trials, Successes: c.Successes + d.Successes}
}

// MinSuccesses is how many successes and failures each arm needs before a
// pair is judged at all: below it the normal approximation behind the test
// is poor. Waiting never costs validity (the test is valid at any look).
const MinSuccesses = 10

// Pair is the mSPRT of B against A, fed cumulative counts at each look.
// The zero value is not ready; use NewPair.
type Pair struct {
	alpha      float64 // this pair's share of the error budget
	mixingLift float64 // τ as a share of the pooled rate

	looks int
	p     float64 // always-valid p-value: running minimum of 1/Λ(0)
	lo    float64 // confidence sequence on p_B − p_A, running intersection
	hi    float64
}

// NewPair starts a pair test at error rate alpha with mixing spread
// mixingLift (τ = mixingLift × pooled rate).
func NewPair(alpha, mixingLift float64) *Pair {
	return &Pair{alpha: alpha, mixingLift: mixingLift, p: 1, lo: math.Inf(-1), hi: math.Inf(1)}
}

// Estimate is the state of a pair after a look.
type Estimate struct {
	A, B Counts
	// Diff is p̂_B − p̂_A; Lift is Diff / p̂_A (relative lift of B over A).
	Diff, Lift float64
	// Lo, Hi bound p_B − p_A (always-valid, 1−alpha of this pair);
	// LiftLo, LiftHi are the same divided by p̂_A.
	Lo, Hi         float64
	LiftLo, LiftHi float64
	// P is the always-valid p-value for "no difference"; it never rises.
	P float64
	// Ready is false until both arms have MinSuccesses successes and
	// failures; before that nothing is judged.
	Ready bool
}

// Look feeds the cumulative counts of both arms at the end of a period and
// returns the updated estimate.
func (t *Pair) Look(a, b Counts) Estimate {
	t.looks++
	e := Estimate{A: a, B: b, Diff: b.Rate() - a.Rate(), P: t.p, Lo: t.lo, Hi: t.hi}
	if !enough(a) || !enough(b) {
		e.LiftLo, e.LiftHi = math.Inf(-1), math.Inf(1)
		e.Lift = relative(e.Diff, a.Rate())
		return e
	}
	e.Ready = true
	pa, pb := a.Rate(), b.Rate()
	v := pa*(1-pa)/float64(a.Trials) + pb*(1-pb)/float64(b.Trials)
	pooled := float64(a.Successes+b.Successes) / float64(a.Trials+b.Trials)
	tau := t.mixingLift * pooled
	tau2 := tau * tau
	// ln Λ(0) = ½ ln(V/(V+τ²)) + τ²θ̂²/(2V(V+τ²)).
	logLambda := 0.5*math.Log(v/(v+tau2)) + tau2*e.Diff*e.Diff/(2*v*(v+tau2))
	t.p = math.Min(t.p, math.Min(1, math.Exp(-logLambda)))
	half := math.Sqrt(v * (v + tau2) / tau2 * math.Log((v+tau2)/(v*t.alpha*t.alpha)))
	lo, hi := math.Max(t.lo, e.Diff-half), math.Min(t.hi, e.Diff+half)
	if lo > hi {
		// The running intersection is empty: the approximation has
		// broken down (it happens only far in the tail). Keep today's
		// interval rather than report nothing.
		lo, hi = e.Diff-half, e.Diff+half
	}
	t.lo, t.hi = lo, hi
	e.P, e.Lo, e.Hi = t.p, lo, hi
	e.Lift = relative(e.Diff, pa)
	e.LiftLo, e.LiftHi = relative(lo, pa), relative(hi, pa)
	return e
}

// Significant reports whether the pair has rejected "no difference" at its
// alpha at some look (so it stays rejected).
func (t *Pair) Significant() bool { return t.p <= t.alpha }

func enough(c Counts) bool {
	return c.Successes >= MinSuccesses && c.Trials-c.Successes >= MinSuccesses
}

func relative(diff, base float64) float64 {
	if base <= 0 {
		return math.Inf(1)
	}
	return diff / base
}
