package campaignwatch

import (
	"math"
	"time"
)

// ScanConfig holds the change-point scan's settings.
type ScanConfig struct {
	// Window: a change may have started on any of the last Window days.
	Window int
	// BaselineDays: a candidate day is compared with at most this many
	// days before it.
	BaselineDays int
	// MinBaselinePoints: with fewer days of history there is no verdict.
	MinBaselinePoints int
	// MinExpected: the events expected at the baseline rate, both in the
	// baseline and in the recent days, before a verdict. Below it the
	// normal approximation of the log-rate is not to be trusted.
	MinExpected float64
	// Z: how many standard errors a change must be. 5 makes a false
	// alarm on one campaign's metric on one day a one-in-a-few-hundred-
	// thousand event (see FalseAlarmBound), so a team watching hundreds of
	// campaigns is not trained to ignore the agent.
	Z float64
	// MinChange: the smallest relative change worth a person's time.
	MinChange float64
	// TauFloor: the least day-to-day variation assumed (as a relative
	// standard deviation) beyond counting noise; real campaigns always
	// have some, even when a short history hides it.
	TauFloor float64
}

// DefaultScan is campaign-watch's configuration.
var DefaultScan = ScanConfig{Window: 14, BaselineDays: 56, MinBaselinePoints: 7, MinExpected: 30, Z: 5, MinChange: 0.2, TauFloor: 0.03}

// FalseAlarmBound is the chance, under no change and the scan's model,
// that one metric of one campaign raises a false alarm on one day: the
// one-sided normal tail beyond Z for each of the Window candidate days
// (a Bonferroni bound; the candidates overlap, so the true rate is lower).
func (c ScanConfig) FalseAlarmBound() float64 {
	return float64(c.Window) * 0.5 * math.Erfc(c.Z/math.Sqrt2)
}

// Change is a detected change of level.
type Change struct {
	// Start is the first day at the new level; Days how many days with
	// figures the recent period has (Start to the last day).
	Start time.Time
	Days  int
	// Before and After are the pooled rates of the baseline and of the
	// recent days; Relative is After/Before - 1 on the log scale's
	// estimate.
	Before, After float64
	Relative      float64
	// Z is the change in standard errors (negative: a fall); SE the
	// standard error of the change of the log-rate.
	Z, SE float64
	// Tau is the day-to-day variation used (relative standard deviation).
	Tau float64
	// Baseline and Recent are the two periods' days.
	Baseline, Recent []Point
}

// periodStats are a period's totals.
type periodStats struct {
	num, den, sumDen2 float64
}

func statsOf(pts []Point) periodStats {
	var s periodStats
	for _, p := range pts {
		s.num += p.Num
		s.den += p.Den
		s.sumDen2 += p.Den * p.Den
	}
	return s
}

// Scan looks for a change of level that began on one of the last
// cfg.Window days of pts (ordered by date). For each candidate first day
// k it compares the pooled rate of the days from k on with the pooled rate
// of the cfg.BaselineDays before k, on the log scale, with a variance of
// counting noise (binomial or Poisson, at the baseline rate, so it does
// not depend on the recent figures) plus day-to-day variation tau
// estimated from the baseline's own spread. The candidate with the largest
// change in the metric's bad direction is the change point; it is
// reported when it is at least cfg.Z standard errors and cfg.MinChange
// relative.
func Scan(pts []Point, m Metric, cfg ScanConfig) (Change, bool) {
	if len(pts) == 0 {
		return Change{}, false
	}
	last := pts[len(pts)-1].Date
	from := last.AddDate(0, 0, -(cfg.Window - 1))
	var best Change
	found := false
	for k := len(pts) - 1; k >= 0 && !pts[k].Date.Before(from); k-- {
		lo := k
		for lo > 0 && !pts[lo-1].Date.Before(pts[k].Date.AddDate(0, 0, -cfg.BaselineDays)) {
			lo--
		}
		c, ok := compare(pts[lo:k], pts[k:], m, cfg)
		if !ok {
			continue
		}
		if m.Bad == Up {
			c.Z = -c.Z
		}
		if !found || c.Z < best.Z {
			best, found = c, true
		}
	}
	if !found {
		return Change{}, false
	}
	if m.Bad == Up {
		best.Z = -best.Z
	}
	worse := best.Z <= -cfg.Z && best.Relative <= -cfg.MinChange
	if m.Bad == Up {
		worse = best.Z >= cfg.Z && best.Relative >= cfg.MinChange
	}
	return best, worse
}

// compare tests the recent days against the baseline days.
func compare(base, recent []Point, m Metric, cfg ScanConfig) (Change, bool) {
	if len(base) < cfg.MinBaselinePoints || len(recent) == 0 {
		return Change{}, false
	}
	b, r := statsOf(base), statsOf(recent)
	if b.den <= 0 || r.den <= 0 {
		return Change{}, false
	}
	// The baseline rate, nudged off zero so a metric that never happened
	// (no complaints yet) still has a finite log.
	p := (b.num + 0.5) / (b.den + 1)
	if m.Poisson {
		p = (b.num + 0.5) / b.den
	}
	eb, er := p*b.den, p*r.den
	if eb < cfg.MinExpected || er < cfg.MinExpected {
		return Change{}, false
	}
	tau := dayVariation(base, p, m.Poisson, cfg.TauFloor)
	count := 1/eb + 1/er // counting noise of the two log-rates
	if !m.Poisson {
		count -= 1/b.den + 1/r.den
	}
	// Day-to-day variation: each day's rate is off by a factor e^ε, ε
	// with variance tau²; a pooled rate averages those with weights
	// den_t / Σden.
	v := count + tau*tau*(b.sumDen2/(b.den*b.den)+r.sumDen2/(r.den*r.den))
	d := math.Log((r.num+0.5)/(r.den+0.5*boolf(!m.Poisson))) - math.Log((b.num+0.5)/(b.den+0.5*boolf(!m.Poisson)))
	// The signed root of the likelihood-ratio statistic, scaled by how
	// much day-to-day variation widens counting noise (quasi-likelihood),
	// keeps its normal tails even at a few dozen events, where a z on the
	// log-rate would cry wolf.
	dispersion := math.Max(1, v/count)
	pooled := (b.num + r.num) / (b.den + r.den)
	llr := deviance(b.num, b.den, pooled, m.Poisson) + deviance(r.num, r.den, pooled, m.Poisson)
	z := math.Copysign(math.Sqrt(math.Max(0, 2*llr/dispersion)), d)
	return Change{Start: recent[0].Date, Days: len(recent), Before: b.num / b.den, After: r.num / r.den,
		Relative: math.Expm1(d), Z: z, SE: math.Sqrt(v), Tau: tau, Baseline: base, Recent: recent}, true
}

// deviance is one period's share of the log-likelihood ratio between "its
// own rate" and "the common rate p": x events in n trials (binomial) or in
// an exposure n (Poisson).
func deviance(x, n, p float64, poisson bool) float64 {
	e := n * p
	if poisson {
		return xlogy(x, x/e) - (x - e)
	}
	return xlogy(x, x/e) + xlogy(n-x, (n-x)/(n-e))
}

// xlogy is x·log(y), zero when x is.
func xlogy(x, y float64) float64 {
	if x == 0 {
		return 0
	}
	return x * math.Log(y)
}

func boolf(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

// dayVariation estimates tau, the relative day-to-day variation beyond
// counting noise, from the baseline days by the method of moments: under
// the model a day's count has variance n·p·(1-p) + tau²·(n·p)², so the
// Pearson statistic's excess over its degrees of freedom measures tau².
// The estimate is nudged up by one standard deviation of the statistic
// (short histories understate spread), and never falls below floor.
func dayVariation(base []Point, p float64, poisson bool, floor float64) float64 {
	q, sumNP := 0.0, 0.0
	for _, pt := range base {
		mean := pt.Den * p
		v := mean
		if !poisson {
			v *= 1 - p
		}
		if v <= 0 {
			continue
		}
		q += (pt.Num - mean) * (pt.Num - mean) / v
		sumNP += mean * mean / v
	}
	df := float64(len(base) - 1)
	if df < 1 || sumNP <= 0 {
		return floor
	}
	tau2 := (q + math.Sqrt(2*df) - df) / sumNP
	return math.Max(floor, math.Sqrt(math.Max(0, tau2)))
}
