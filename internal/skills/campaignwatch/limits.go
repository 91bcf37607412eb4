package campaignwatch

import (
	"time"

	"gonum.org/v1/gonum/stat/distuv"
)

// Limits are the hard limits on brand-harming rates: crossing Halt stops
// the campaign (under the default policy, on its own); crossing Warn
// tells its owner.
type Limits struct {
	ComplaintHalt, ComplaintWarn     float64
	UnsubscribeHalt, UnsubscribeWarn float64
	BounceHalt, BounceWarn           float64
	// Confidence is how sure Tower must be that the true rate is over a
	// limit (not a handful of unlucky sends) before it acts.
	Confidence float64
	// PriorSends is how many sends' worth of weight the industry's
	// average rate carries before a campaign's own figures: one complaint
	// in the 24 messages of a small sales sequence's Sunday is not a 4%
	// complaint rate.
	PriorSends float64
}

// priorRate is the industry average of a brand-harm metric (Mailchimp's
// benchmarks: complaints 0.012%, unsubscribes 0.25%, hard bounces 0.40%).
func priorRate(name string) float64 {
	switch name {
	case "complaint_rate":
		return 0.00012
	case "unsubscribe_rate":
		return 0.0025
	}
	return 0.004
}

// DefaultLimits come from mailbox providers' rules and ESP practice:
// Gmail and Yahoo enforce against senders at a 0.3% spam-complaint rate
// and ask for under 0.1%; the average unsubscribe rate is about 0.25%, so
// 1% is four times the norm and 0.5% twice; hard bounces average 0.4%,
// and 5% means a list that should never have been mailed (2% a warning).
var DefaultLimits = Limits{
	ComplaintHalt: 0.003, ComplaintWarn: 0.001,
	UnsubscribeHalt: 0.01, UnsubscribeWarn: 0.005,
	BounceHalt: 0.05, BounceWarn: 0.02,
	Confidence: 0.95,
	PriorSends: 500,
}

// Breach is a campaign over a limit.
type Breach struct {
	Metric Metric
	Limit  float64
	Halt   bool // over the halt limit (else the warning one)
	// Since is the first of the run of days ending on the last day whose
	// own rate is over the limit; Rate is the rate over the days checked
	// (the last one, or the last two when one day is too few to be sure).
	Since    time.Time
	Rate     float64
	Num, Den float64
	// Prob is the probability the true rate is over the limit.
	Prob   float64
	Points []Point
}

func (l Limits) of(name string) (halt, warn float64) {
	switch name {
	case "complaint_rate":
		return l.ComplaintHalt, l.ComplaintWarn
	case "unsubscribe_rate":
		return l.UnsubscribeHalt, l.UnsubscribeWarn
	case "hard_bounce_rate":
		return l.BounceHalt, l.BounceWarn
	}
	return 0, 0
}

// checkLimit tests one metric's latest days against its limits and
// returns the most severe breach.
func checkLimit(m Metric, pts []Point, l Limits) (Breach, bool) {
	halt, warn := l.of(m.Name)
	if halt == 0 || len(pts) == 0 {
		return Breach{}, false
	}
	for _, limit := range []float64{halt, warn} {
		for _, n := range []int{1, 2} {
			if len(pts) < n {
				break
			}
			var num, den float64
			for _, p := range pts[len(pts)-n:] {
				num, den = num+p.Num, den+p.Den
			}
			// P(rate > limit) under a beta posterior whose prior is the
			// industry average, weighted as l.PriorSends sends.
			a0 := priorRate(m.Name) * l.PriorSends
			prob := distuv.Beta{Alpha: a0 + num, Beta: l.PriorSends - a0 + den - num}.Survival(limit)
			if prob < l.Confidence {
				continue
			}
			since := pts[len(pts)-1].Date
			for i := len(pts) - 1; i >= 0 && pts[i].Rate() > limit; i-- {
				since = pts[i].Date
			}
			return Breach{Metric: m, Limit: limit, Halt: limit == halt, Since: since, Rate: num / den,
				Num: num, Den: den, Prob: prob, Points: pts}, true
		}
	}
	return Breach{}, false
}
