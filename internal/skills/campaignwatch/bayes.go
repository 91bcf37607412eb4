package campaignwatch

import (
	"math"
	"math/rand/v2"
	"slices"

	"gonum.org/v1/gonum/stat/distuv"
)

// posteriorDraws is how many draws estimate a probability: enough for two
// decimals, cheap enough to run for every finding every day.
const posteriorDraws = 4000

// Posterior is a rate's distribution given a period's figures: a beta for
// rates (trials), a gamma for events per dollar (Poisson), from a Jeffreys
// prior, with the counts deflated by the design effect of day-to-day
// variation so two weeks of a wobbly campaign do not claim the certainty
// of one steady sample of the same size.
type Posterior struct {
	Alpha, Beta float64
	Poisson     bool
}

// posteriorOf builds the posterior of a period's rate with day-to-day
// variation tau.
func posteriorOf(pts []Point, poisson bool, tau float64) Posterior {
	s := statsOf(pts)
	if s.den <= 0 {
		return Posterior{Alpha: 0.5, Beta: 0.5, Poisson: poisson}
	}
	p := (s.num + 0.5) / (s.den + 1)
	// Design effect: the variance of the pooled rate over its counting
	// variance, 1 + tau²·p·Σn²/(Σn·(1-p)).
	q := 1 - p
	if poisson {
		q = 1
	}
	deff := 1 + tau*tau*p*s.sumDen2/(s.den*q)
	x, n := s.num/deff, s.den/deff
	if poisson {
		return Posterior{Alpha: 0.5 + x, Beta: n, Poisson: true}
	}
	return Posterior{Alpha: 0.5 + x, Beta: 0.5 + n - x}
}

func (p Posterior) sample(src rand.Source, n int) []float64 {
	out := make([]float64, n)
	if p.Poisson {
		g := distuv.Gamma{Alpha: p.Alpha, Beta: p.Beta, Src: src}
		for i := range out {
			out[i] = g.Rand()
		}
		return out
	}
	b := distuv.Beta{Alpha: p.Alpha, Beta: p.Beta, Src: src}
	for i := range out {
		out[i] = b.Rand()
	}
	return out
}

// Comparison says how a rate compares with a reference, as a person reads
// it: the probability it is worse, and by how much (median and 90%
// interval of the relative difference).
type Comparison struct {
	ProbWorse float64 `json:"prob_worse"`
	Relative  float64 `json:"relative"`
	Low       float64 `json:"low"`
	High      float64 `json:"high"`
}

// compareTo draws the rate and the reference (a posterior, or a fixed
// value when ref has Alpha 0) and summarises rate/ref - 1. bad says which
// direction is worse. The draws are seeded so the same figures give the
// same evidence every time.
func compareTo(rate, ref Posterior, fixed float64, bad Direction) Comparison {
	src := rand.NewPCG(17, 29)
	a := rate.sample(src, posteriorDraws)
	var b []float64
	if ref.Alpha > 0 {
		b = ref.sample(src, posteriorDraws)
	}
	rel := make([]float64, len(a))
	worse := 0
	for i := range a {
		r := fixed
		if b != nil {
			r = b[i]
		}
		if r <= 0 {
			r = math.SmallestNonzeroFloat64
		}
		rel[i] = a[i]/r - 1
		if (bad == Down && a[i] < r) || (bad == Up && a[i] > r) {
			worse++
		}
	}
	slices.Sort(rel)
	q := func(f float64) float64 { return rel[int(f*float64(len(rel)-1))] }
	return Comparison{ProbWorse: float64(worse) / float64(len(a)), Relative: q(0.5), Low: q(0.05), High: q(0.95)}
}
