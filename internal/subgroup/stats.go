package subgroup

import (
	"math"
	"slices"
)

// Stats are a subgroup's figures on one set of rows: its size and
// conversions, the rate of everyone else, the lift (rate in ÷ rate out)
// with a 95% interval, and the one-sided p-value of the test that the rate
// inside is above the rate outside.
type Stats struct {
	Size        int     `json:"size"`
	Conversions int     `json:"conversions"`
	Rate        float64 `json:"rate"`
	RestRate    float64 `json:"rest_rate"`
	Lift        float64 `json:"lift"`
	LiftLow     float64 `json:"lift_low"`
	LiftHigh    float64 `json:"lift_high"`
	P           float64 `json:"p_value"`
}

// z95 is the two-sided 95% normal quantile used for the lift intervals.
const z95 = 1.959963984540054

// compare computes Stats for n rows with p conversions inside, against
// the rest of a part of N rows with P conversions.
func compare(n, p, N, P int) Stats {
	s := Stats{Size: n, Conversions: p}
	no, po := N-n, P-p
	if n > 0 {
		s.Rate = float64(p) / float64(n)
	}
	if no > 0 {
		s.RestRate = float64(po) / float64(no)
	}
	s.P = upperP(n, p, no, po)
	s.Lift, s.LiftLow, s.LiftHigh = katz(n, p, no, po)
	return s
}

// upperP is the one-sided p-value of the pooled two-proportion z test that
// p1/n1 is above p2/n2. Subgroups are searched for rates above the rest,
// so only that direction is a discovery.
func upperP(n1, p1, n2, p2 int) float64 {
	return pOfZ(zscore(n1, p1, n2, p2))
}

// zscore is the statistic of that test (0 when it is undefined).
func zscore(n1, p1, n2, p2 int) float64 {
	if n1 == 0 || n2 == 0 {
		return 0
	}
	pool := float64(p1+p2) / float64(n1+n2)
	se := math.Sqrt(pool * (1 - pool) * (1/float64(n1) + 1/float64(n2)))
	if se == 0 {
		return 0
	}
	return (float64(p1)/float64(n1) - float64(p2)/float64(n2)) / se
}

// pOfZ is the upper tail of the standard normal.
func pOfZ(z float64) float64 { return 0.5 * math.Erfc(z/math.Sqrt2) }

// katz is the rate ratio (p1/n1)/(p2/n2) with the Katz log interval; a
// zero count gets the usual half-count correction so the interval stays
// finite.
func katz(n1, p1, n2, p2 int) (ratio, lo, hi float64) {
	if n1 == 0 || n2 == 0 {
		return math.NaN(), math.NaN(), math.NaN()
	}
	a, b, c1, c2 := float64(p1), float64(p2), float64(n1), float64(n2)
	if p1 == 0 || p2 == 0 {
		a, b, c1, c2 = a+0.5, b+0.5, c1+0.5, c2+0.5
	}
	ratio = (a / c1) / (b / c2)
	se := math.Sqrt(1/a - 1/c1 + 1/b - 1/c2)
	return ratio, ratio * math.Exp(-z95*se), ratio * math.Exp(z95*se)
}

// bhCutoff returns the largest p-value that the Benjamini–Hochberg
// procedure at false discovery rate q rejects, among ps out of m
// hypotheses in all (ps may hold only the smallest of the m p-values: the
// others cannot be rejected anyway). It returns -1 when none is rejected.
func bhCutoff(ps []float64, m int, q float64) float64 {
	sorted := slices.Clone(ps)
	slices.Sort(sorted)
	cut := -1.0
	for k, p := range sorted {
		if p <= float64(k+1)*q/float64(m) {
			cut = p
		}
	}
	return cut
}

// zOfP is the z whose upper tail is p.
func zOfP(p float64) float64 {
	if p <= 0 {
		return math.Inf(1)
	}
	return math.Sqrt2 * math.Erfcinv(2*p)
}
