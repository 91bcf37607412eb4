package experimentanalyst

import (
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/towerops/tower/internal/foundation"
	"github.com/towerops/tower/internal/proposal"
	"github.com/towerops/tower/internal/sequential"
)

// evidenceFacts lists what a person can check: how the test was judged,
// then each arm's trials, successes and rate on both metrics.
func evidenceFacts(v *Verdict) []proposal.Fact {
	facts := []proposal.Fact{
		{Name: "metric that decided", Value: v.Metric.Label, Source: v.Metric.Formula},
		{Name: "how it was judged", Value: "always-valid mixture sequential test (mSPRT), looked at daily; click rate and conversion rate each at half of alpha, every pair of variants at its Bonferroni share"},
		{Name: "test started", Value: v.First.Format(time.DateOnly), Source: "campaign days"},
		{Name: "days run", Value: v.DaysRun, Unit: "days"},
		{Name: "last day looked at", Value: v.Last.Format(time.DateOnly)},
	}
	if v.DecidedDay > 0 {
		facts = append(facts, proposal.Fact{Name: "decided on day", Value: v.DecidedDay,
			Source: v.First.AddDate(0, 0, v.DecidedDay-1).Format(time.DateOnly)})
	}
	for _, m := range metrics {
		r := v.Results[m.Name]
		for _, a := range v.Arms {
			n := r.Arms[a]
			trials, successes := "delivered", "clicks"
			if m.Name == ConversionRate.Name {
				trials, successes = "clicks", "conversions"
			}
			facts = append(facts,
				proposal.Fact{Name: fmt.Sprintf("%s: %s", a, trials), Value: n.Trials, Source: "campaign days, variant " + a},
				proposal.Fact{Name: fmt.Sprintf("%s: %s", a, successes), Value: n.Successes, Source: "campaign days, variant " + a},
				proposal.Fact{Name: fmt.Sprintf("%s: %s", a, m.Label), Value: round(n.Rate()*100, 3), Unit: "%", Source: m.Formula})
		}
	}
	// Clicks are counted under both metrics; keep the first of each name.
	seen := map[string]bool{}
	out := facts[:0]
	for _, f := range facts {
		if !seen[f.Name] {
			seen[f.Name] = true
			out = append(out, f)
		}
	}
	return out
}

// series is the cumulative rate of each arm after each day, on the
// deciding metric: the lines a person watches converge or part.
func series(v *Verdict) []proposal.Series {
	cum := v.Cumulative[v.Metric.Name]
	out := make([]proposal.Series, 0, len(v.Arms))
	for _, a := range v.Arms {
		s := proposal.Series{Name: fmt.Sprintf("%s, cumulative %s", a, v.Metric.Label), Unit: "%"}
		for i, day := range cum {
			if day[a].Trials == 0 {
				continue
			}
			s.Points = append(s.Points, proposal.Point{X: v.Dates[i].Format(time.DateOnly), Y: round(day[a].Rate()*100, 4)})
		}
		out = append(out, s)
	}
	return out
}

// expectedValue estimates the extra conversions from sending every
// variant's traffic to the winner for the rest of the campaign.
func expectedValue(c foundation.Campaign, v *Verdict, now time.Time) (float64, []string) {
	cum := v.Cumulative[v.Metric.Name]
	lastN := min(7, len(cum))
	var from map[string]sequential.Counts // nil: counts from the start
	if len(cum) > lastN {
		from = cum[len(cum)-lastN-1]
	}
	to := cum[len(cum)-1]
	r := v.Results[v.Metric.Name]
	win := r.Arms[v.Winner].Rate()
	extraPerDay := 0.0
	for _, a := range v.Arms {
		if a == v.Winner {
			continue
		}
		perDay := float64(to[a].Trials-from[a].Trials) / float64(lastN)
		extraPerDay += perDay * (win - r.Arms[a].Rate())
	}
	assumptions := []string{fmt.Sprintf("the other variants' volume stays at its average of the last %d days and moves to %s", lastN, v.Winner)}
	if v.Metric.Name == ClickRate.Name {
		conv := v.Results[ConversionRate.Name]
		var clicks, convs int64
		for _, n := range conv.Arms {
			clicks, convs = clicks+n.Trials, convs+n.Successes
		}
		rate := 0.0
		if clicks > 0 {
			rate = float64(convs) / float64(clicks)
		}
		extraPerDay *= rate
		assumptions = append(assumptions, fmt.Sprintf("the extra clicks convert at the test's conversion rate so far, %s", pct(rate)))
	}
	remaining := openEndedDays
	if !c.EndDate.IsZero() {
		remaining = max(0, int(c.EndDate.Sub(day(now)).Hours()/24))
		assumptions = append(assumptions, fmt.Sprintf("%d days left until the campaign ends on %s", remaining, c.EndDate.Format(time.DateOnly)))
	} else {
		assumptions = append(assumptions, fmt.Sprintf("the campaign has no end date; %d more days assumed", openEndedDays))
	}
	assumptions = append(assumptions, "the observed rates hold; a test stopped early tends to overstate the lift, so treat this as an upper estimate")
	return round(math.Max(0, extraPerDay*float64(remaining)), 1), assumptions
}

// rates lists each arm's rate on the deciding metric.
func rates(v *Verdict) string { return ratesOf(v, v.Metric) }

func ratesOf(v *Verdict, m Metric) string {
	r := v.Results[m.Name]
	parts := make([]string, 0, len(v.Arms))
	for _, a := range v.Arms {
		parts = append(parts, fmt.Sprintf("%s %s", a, pct(r.Arms[a].Rate())))
	}
	return m.Label + " " + strings.Join(parts, ", ")
}

func pct(f float64) string {
	if f != 0 && math.Abs(f) < 0.1 {
		return fmt.Sprintf("%.2f%%", f*100)
	}
	return fmt.Sprintf("%.1f%%", f*100)
}

func signed(f float64) string {
	switch {
	case math.IsInf(f, 1):
		return "+∞"
	case math.IsInf(f, -1):
		return "−∞"
	case math.IsNaN(f):
		return "n/a"
	}
	return fmt.Sprintf("%+.1f%%", f*100)
}

func round(f float64, digits int) float64 {
	p := math.Pow(10, float64(digits))
	return math.Round(f*p) / p
}
