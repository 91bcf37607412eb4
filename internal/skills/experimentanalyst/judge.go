package experimentanalyst

import (
	"fmt"
	"slices"
	"time"

	"github.com/towerops/tower/internal/foundation"
	"github.com/towerops/tower/internal/sequential"
)

// Metric is a rate a test is judged on.
type Metric struct {
	Name    string // "click_rate", "conversion_rate"
	Label   string // for people: "click rate"
	Formula string
	parts   func(d foundation.CampaignDay) sequential.Counts
}

// The two metrics every test is judged on. Click rate is what a subject
// line or creative changes first; conversion rate (per click) is what a
// landing page or offer changes. Judging both, each at half the error
// budget, finds either kind of winner without letting two looks at the
// data double the false-winner rate.
var (
	ClickRate = Metric{Name: "click_rate", Label: "click rate", Formula: "clicks / delivered",
		parts: func(d foundation.CampaignDay) sequential.Counts {
			return sequential.Counts{Trials: d.Delivered, Successes: d.Clicks}
		}}
	ConversionRate = Metric{Name: "conversion_rate", Label: "conversion rate", Formula: "conversions / clicks",
		parts: func(d foundation.CampaignDay) sequential.Counts {
			return sequential.Counts{Trials: d.Clicks, Successes: d.Conversions}
		}}
	metrics = []Metric{ClickRate, ConversionRate}
)

// Options are an agent's settings.
type Options struct {
	Alpha      float64 // the chance of any false call over the test's life; split over both metrics
	MinLift    float64 // smallest relative lift worth acting on
	MixingLift float64 // τ of the mSPRT as a share of the pooled rate
	MaxDays    int     // the test ends (no difference or inconclusive) after this many days
}

// Decision is the verdict on a whole test, over both metrics.
type Decision string

// The decisions. Mixed is a winner on one metric that loses on the other:
// a person must choose, so only a note is proposed.
const (
	Continue     Decision = "continue"
	Winner       Decision = "winner"
	Loser        Decision = "loser"
	Mixed        Decision = "mixed"
	NoDifference Decision = "no_difference"
	Inconclusive Decision = "inconclusive"
)

// Verdict is what the analyst concludes about one campaign's test.
type Verdict struct {
	Arms     []string
	Decision Decision
	Metric   Metric   // the metric that decided (click rate when none did)
	Winner   string   // for Winner and Mixed
	Losers   []string // for Loser
	First    time.Time
	Last     time.Time // the last day looked at
	DaysRun  int       // calendar days from First to Last, inclusive
	// DecidedDay is the day (1 = First) the decision was first reached;
	// 0 while continuing.
	DecidedDay int
	// Results are each metric's state at the last look.
	Results map[string]sequential.Result
	// Cumulative holds each metric's cumulative counts per arm after each
	// day, for the evidence chart.
	Cumulative map[string][]map[string]sequential.Counts
	Dates      []time.Time
}

// Judge replays a test's days one look per calendar day, from its first
// day to now, as a daily run would have seen them, and returns the
// verdict. Whole-campaign rows (variant "") are ignored. It needs rows for
// at least two variants.
func Judge(days []foundation.CampaignDay, now time.Time, opt Options) (*Verdict, error) {
	byDate := map[time.Time][]foundation.CampaignDay{}
	armSet := map[string]bool{}
	var first, last time.Time
	for _, d := range days {
		if d.Variant == "" || d.Date.After(now) {
			continue
		}
		date := d.Date.UTC().Truncate(24 * time.Hour)
		byDate[date] = append(byDate[date], d)
		armSet[d.Variant] = true
		if first.IsZero() || date.Before(first) {
			first = date
		}
		if date.After(last) {
			last = date
		}
	}
	arms := make([]string, 0, len(armSet))
	for a := range armSet {
		arms = append(arms, a)
	}
	slices.Sort(arms) // "A" (the control by convention) first
	if len(arms) < 2 {
		return nil, fmt.Errorf("not an A/B test: %d variant(s) in the daily metrics", len(arms))
	}
	exps := map[string]*sequential.Experiment{}
	for _, m := range metrics {
		e, err := sequential.NewExperiment(arms, sequential.Config{Alpha: opt.Alpha / float64(len(metrics)),
			MinLift: opt.MinLift, MixingLift: opt.MixingLift, MaxLooks: opt.MaxDays})
		if err != nil {
			return nil, err
		}
		exps[m.Name] = e
	}
	v := &Verdict{Arms: arms, First: first, Last: last, Results: map[string]sequential.Result{},
		Cumulative: map[string][]map[string]sequential.Counts{}}
	cum := map[string]map[string]sequential.Counts{}
	for _, m := range metrics {
		cum[m.Name] = map[string]sequential.Counts{}
	}
	var prev Decision = Continue
	var prevWinner string
	for day, date := 1, first; !date.After(last); day, date = day+1, date.AddDate(0, 0, 1) {
		for _, d := range byDate[date] {
			for _, m := range metrics {
				cum[m.Name][d.Variant] = cum[m.Name][d.Variant].Add(m.parts(d))
			}
		}
		for _, m := range metrics {
			v.Results[m.Name] = exps[m.Name].Look(cum[m.Name])
			v.Cumulative[m.Name] = append(v.Cumulative[m.Name], clone(cum[m.Name]))
		}
		v.Dates = append(v.Dates, date)
		combine(v)
		if v.Decision != prev || v.Winner != prevWinner {
			v.DecidedDay = 0
			if v.Decision != Continue {
				v.DecidedDay = day
			}
			prev, prevWinner = v.Decision, v.Winner
		}
		v.DaysRun = day
	}
	return v, nil
}

// combine sets the verdict from both metrics' results: a winner on one
// metric that is not a loser on the other wins; a winner that loses on the
// other metric (or two different winners) is mixed; otherwise losers, and
// at the maximum duration "no difference" only when both metrics show no
// difference.
func combine(v *Verdict) {
	click, conv := v.Results[ClickRate.Name], v.Results[ConversionRate.Name]
	v.Decision, v.Metric, v.Winner, v.Losers = Continue, ClickRate, "", nil
	switch {
	case click.Decision == sequential.Winner && conv.Decision == sequential.Winner && click.Winner != conv.Winner:
		v.Decision, v.Winner = Mixed, click.Winner
	case click.Decision == sequential.Winner:
		v.Decision, v.Winner = Winner, click.Winner
		if slices.Contains(conv.Losers, click.Winner) {
			v.Decision = Mixed
		}
	case conv.Decision == sequential.Winner:
		v.Decision, v.Metric, v.Winner = Winner, ConversionRate, conv.Winner
		if slices.Contains(click.Losers, conv.Winner) {
			v.Decision = Mixed
		}
	case click.Decision == sequential.Loser || conv.Decision == sequential.Loser:
		m, r := ClickRate, click
		if click.Decision != sequential.Loser {
			m, r = ConversionRate, conv
		}
		v.Decision, v.Metric, v.Losers = Loser, m, r.Losers
		// An arm that loses on one metric but beats another arm on the
		// other is a trade-off, not a loser.
		other := conv
		if m.Name == ConversionRate.Name {
			other = click
		}
		for _, l := range r.Losers {
			if beatsSomeone(other, l) {
				v.Decision, v.Losers = Mixed, nil
				break
			}
		}
	case click.Decision == sequential.NoDifference && conv.Decision == sequential.NoDifference:
		v.Decision = NoDifference
	case click.Decision == sequential.NoDifference || click.Decision == sequential.Inconclusive:
		v.Decision = Inconclusive
	}
}

// beatsSomeone reports whether arm is significantly better than some other
// arm in r.
func beatsSomeone(r sequential.Result, arm string) bool {
	for _, c := range r.Pairs {
		if !c.Significant {
			continue
		}
		if c.Other == arm && c.Lo > 0 || c.Baseline == arm && c.Hi < 0 {
			return true
		}
	}
	return false
}

func clone(m map[string]sequential.Counts) map[string]sequential.Counts {
	out := make(map[string]sequential.Counts, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}
