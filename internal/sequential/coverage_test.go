package sequential

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestConfidenceSequenceCoverage checks the always-valid interval: over
// 30 daily looks, the interval on p_B − p_A must contain the true
// difference at every look at once in at least 95% of tests (alpha 0.05,
// two arms so the pair has all of it).
func TestConfidenceSequenceCoverage(t *testing.T) {
	tests := simCount(2000)
	r := rand.New(rand.NewPCG(4, 2017))
	missed := 0
	for range tests {
		s := randomScenario(r, []float64{1, 1 + 0.3*r.Float64()})
		truth := s.base*s.lifts[1] - s.base
		p := NewPair(0.05, 0.2)
		var a, b Counts
		for d := 1; d <= simDays; d++ {
			n := int64(s.volume)
			a = a.Add(Counts{Trials: n, Successes: binomial(r, n, s.base)})
			b = b.Add(Counts{Trials: n, Successes: binomial(r, n, s.base*s.lifts[1])})
			e := p.Look(a, b)
			if e.Ready && (truth < e.Lo || truth > e.Hi) {
				missed++
				break
			}
		}
	}
	rate := float64(missed) / float64(tests)
	t.Logf("confidence sequence missed the true difference at some look in %d of %d tests (%.2f%%)", missed, tests, 100*rate)
	if rate > 0.05 {
		t.Errorf("coverage %.2f%% is below 95%%", 100*(1-rate))
	}
}

// TestPValueNeverRises feeds a pair counts that first look different and
// then converge: the p-value must keep its lowest value and the interval
// only narrow.
func TestPValueNeverRises(t *testing.T) {
	p := NewPair(0.05, 0.2)
	looks := [][2]Counts{
		{{1000, 20}, {1000, 45}},
		{{2000, 50}, {2000, 70}},
		{{3000, 80}, {3000, 90}},
		{{6000, 170}, {6000, 170}},
	}
	prevP, prevLo, prevHi := 1.0, math.Inf(-1), math.Inf(1)
	for i, l := range looks {
		e := p.Look(l[0], l[1])
		if !e.Ready {
			t.Fatalf("look %d not ready with %v", i+1, l)
		}
		if e.P > prevP || e.Lo < prevLo || e.Hi > prevHi {
			t.Errorf("look %d: p %.4g (was %.4g), interval [%.4g, %.4g] (was [%.4g, %.4g])", i+1, e.P, prevP, e.Lo, e.Hi, prevLo, prevHi)
		}
		prevP, prevLo, prevHi = e.P, e.Lo, e.Hi
	}
	if prevP >= 1 {
		t.Errorf("the first look (2.0%% against 4.5%% on 1,000 each) should have lowered the p-value, it is %v", prevP)
	}
}

// TestLambdaFormula checks one look against the formula worked by hand:
// A 100/4000, B 160/4000, τ = 0.2 × 0.0325.
func TestLambdaFormula(t *testing.T) {
	p := NewPair(0.05, 0.2)
	e := p.Look(Counts{4000, 100}, Counts{4000, 160})
	pa, pb := 0.025, 0.04
	v := pa*(1-pa)/4000 + pb*(1-pb)/4000
	tau2 := math.Pow(0.2*0.0325, 2)
	d := pb - pa
	lambda := math.Sqrt(v/(v+tau2)) * math.Exp(tau2*d*d/(2*v*(v+tau2)))
	if math.Abs(e.P-1/lambda) > 1e-12 {
		t.Errorf("p = %v, want 1/Λ = %v", e.P, 1/lambda)
	}
	half := math.Sqrt(v * (v + tau2) / tau2 * math.Log((v+tau2)/(v*0.05*0.05)))
	if math.Abs(e.Lo-(d-half)) > 1e-12 || math.Abs(e.Hi-(d+half)) > 1e-12 {
		t.Errorf("interval [%v, %v], want %v ± %v", e.Lo, e.Hi, d, half)
	}
	if (e.P <= 0.05) != (e.Lo > 0) {
		t.Errorf("p-value %v and interval [%v, %v] disagree", e.P, e.Lo, e.Hi)
	}
}

// TestDecisions walks an experiment through its decisions.
func TestDecisions(t *testing.T) {
	if _, err := NewExperiment([]string{"A"}, Config{}); err == nil {
		t.Error("one arm accepted")
	}
	if _, err := NewExperiment([]string{"A", "A"}, Config{}); err == nil {
		t.Error("a repeated arm accepted")
	}

	// A clear winner with three arms: C beats A and B.
	e, _ := NewExperiment([]string{"A", "B", "C"}, Config{})
	r := e.Look(map[string]Counts{"A": {20000, 600}, "B": {20000, 610}, "C": {20000, 820}})
	if r.Decision != Winner || r.Winner != "C" {
		t.Errorf("got %s %q, want winner C", r.Decision, r.Winner)
	}
	if r.DecidedAt != 1 {
		t.Errorf("decided at look %d, want 1", r.DecidedAt)
	}

	// Only B is beaten (by C, but C is not clearly better than A): a loser.
	e, _ = NewExperiment([]string{"A", "B", "C"}, Config{})
	r = e.Look(map[string]Counts{"A": {20000, 700}, "B": {20000, 560}, "C": {20000, 760}})
	if r.Decision != Loser || len(r.Losers) != 1 || r.Losers[0] != "B" {
		t.Errorf("got %s losers %v, want loser B", r.Decision, r.Losers)
	}

	// Equal arms at the maximum with a lot of data: no difference.
	e, _ = NewExperiment([]string{"A", "B"}, Config{MaxLooks: 2, MinLift: 0.1})
	e.Look(map[string]Counts{"A": {100000, 3000}, "B": {100000, 3000}})
	if r := e.Look(map[string]Counts{"A": {400000, 12000}, "B": {400000, 12010}}); r.Decision != NoDifference {
		t.Errorf("got %s, want no_difference (pairs %+v)", r.Decision, r.Pairs)
	}

	// Equal arms at the maximum with little data: inconclusive.
	e, _ = NewExperiment([]string{"A", "B"}, Config{MaxLooks: 1})
	if r := e.Look(map[string]Counts{"A": {2000, 60}, "B": {2000, 61}}); r.Decision != Inconclusive {
		t.Errorf("got %s, want inconclusive", r.Decision)
	}

	// Before the maximum, equal arms continue.
	e, _ = NewExperiment([]string{"A", "B"}, Config{MaxLooks: 5})
	if r := e.Look(map[string]Counts{"A": {2000, 60}, "B": {2000, 61}}); r.Decision != Continue || r.DecidedAt != 0 {
		t.Errorf("got %s at %d, want continue", r.Decision, r.DecidedAt)
	}
}
