package demo

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"time"
)

// dataSpan returns the first and last day a campaign has rows for.
func dataSpan(w *world, c *campaign) (time.Time, time.Time, int) {
	first := maxTime(c.start, w.start)
	last := minTime(c.end, w.now.AddDate(0, 0, -1))
	return first, last, int(last.Sub(first).Hours()/24) + 1
}

// dropPlans are the planted underperformers: one metric falls by a third
// to a half from a working day on, as it does when a landing page breaks,
// tracking is lost or a targeting change goes wrong.
var dropPlans = []struct {
	channel, metric string
}{
	{"email", "click_rate"}, {"email", "click_rate"}, {"email", "click_rate"}, {"email", "conversion_rate"},
	{"paid_search", "conversion_rate"}, {"paid_search", "conversion_rate"}, {"paid_search", "click_rate"},
	{"paid_social", "click_rate"}, {"paid_social", "click_rate"}, {"paid_social", "conversion_rate"},
	{"webinar", "click_rate"}, {"display", "click_rate"},
}

// harmPlans are the planted brand-harming sends: from a day on, an e-mail
// campaign draws complaints or unsubscribes far above what mailbox
// providers tolerate (a bought list, a misfired audience).
var harmPlans = []struct {
	metric string
	rate   float64
}{
	{"complaint_rate", 0.006}, {"unsubscribe_rate", 0.03},
}

// Planted volumes: enough clicks or conversions on a working day that a
// drop of a third shows within two days, as it does on a mid-sized
// programme (the detector needs counts, not luck).
const (
	dropClicksPerDay      = 400
	dropConversionsPerDay = 150
	harmSendsPerDay       = 3000
)

// workingDay moves d forward to the next Monday to Thursday, so the day
// after a planted change is a working day too.
func workingDay(d time.Time) time.Time {
	for d.Weekday() == time.Friday || d.Weekday() == time.Saturday || d.Weekday() == time.Sunday {
		d = d.AddDate(0, 0, 1)
	}
	return d
}

var abPlans = []struct {
	metric string
	arms   int
	winner string  // "" = same rate everywhere
	lift   float64 // winner's rate over the others'
}{
	{"click_rate", 2, "B", 0.30}, {"click_rate", 2, "A", 0.28}, {"click_rate", 3, "C", 0.35},
	{"conversion_rate", 2, "B", 0.45}, {"click_rate", 2, "", 0},
}

// plantCampaignFacts picks the campaigns that will fade and the ones that
// run A/B tests, and raises their volume so the effect is plain in the
// daily numbers.
func plantCampaignFacts(r *rand.Rand, w *world) {
	used := map[*campaign]bool{}
	choose := func(channel string, minDays int) *campaign {
		order := r.Perm(len(w.campaigns))
		for _, i := range order {
			c := w.campaigns[i]
			if _, _, n := dataSpan(w, c); c.channel == channel && !used[c] && n >= minDays {
				used[c] = true
				return c
			}
		}
		return nil
	}
	for _, p := range dropPlans {
		c := choose(p.channel, 42)
		if c == nil {
			continue
		}
		first, _, n := dataSpan(w, c)
		c.drop = &drop{metric: p.metric, from: workingDay(first.AddDate(0, 0, 21+r.IntN(n-35))), factor: 0.45 + 0.2*r.Float64()}
		need := dropClicksPerDay / c.clickRate
		if p.metric == "conversion_rate" {
			need = dropConversionsPerDay / (c.clickRate * c.convRate)
		}
		c.volume = math.Max(c.volume, need)
		c.budget = math.Round(expectedSpend(c)*float64(c.end.Sub(c.start).Hours()/24)*1.1/100) * 100
	}
	for _, p := range harmPlans {
		c := choose("email", 35)
		if c == nil {
			continue
		}
		first, _, n := dataSpan(w, c)
		c.harm = &harm{metric: p.metric, from: workingDay(first.AddDate(0, 0, 14+r.IntN(n-28))), rate: p.rate}
		c.volume = math.Max(c.volume, harmSendsPerDay)
		c.budget = math.Round(expectedSpend(c)*float64(c.end.Sub(c.start).Hours()/24)*1.1/100) * 100
	}
	for _, p := range abPlans {
		c := choose("email", 21)
		if c == nil {
			continue
		}
		names := []string{"A", "B", "C"}[:p.arms]
		base := c.clickRate
		if p.metric == "conversion_rate" {
			base = c.convRate
			c.volume = math.Max(c.volume, 7000)
		} else {
			c.volume = math.Max(c.volume, 1500*float64(p.arms))
		}
		for _, name := range names {
			rate := base
			if name == p.winner {
				rate = base * (1 + p.lift)
			}
			v := variant{name: name, clickRate: c.clickRate, conv: c.convRate}
			if p.metric == "conversion_rate" {
				v.conv = rate
			} else {
				v.clickRate = rate
			}
			c.variants = append(c.variants, v)
		}
		c.abMetric = p.metric
		c.segment += " (A/B test)"
		c.budget = math.Round(expectedSpend(c)*float64(c.end.Sub(c.start).Hours()/24)*1.1/100) * 100
	}
}

// metricParts returns a row's numerator and denominator for a metric.
func metricParts(metric string, d dayRow) (num, den int64) {
	if metric == "conversion_rate" {
		return d.convs, d.clicks
	}
	return d.clicks, d.delivered
}

var formulas = map[string]string{
	"click_rate":      "clicks / delivered",
	"conversion_rate": "conversions / clicks",
}

func ratio(num, den int64) float64 {
	if den == 0 {
		return 0
	}
	return math.Round(float64(num)/float64(den)*1e6) / 1e6
}

// campaignTruth writes the campaign facts from the rows actually drawn, so
// observed numbers in truth.json are exactly what campaign_days.csv sums to.
func campaignTruth(w *world) {
	byCampaign := map[string][]dayRow{}
	for _, d := range w.days {
		byCampaign[d.campaignID] = append(byCampaign[d.campaignID], d)
	}
	for _, c := range w.campaigns {
		rows := byCampaign[c.id]
		switch {
		case c.drop != nil:
			var bn, bd, an, ad int64
			for _, d := range rows {
				n, den := metricParts(c.drop.metric, d)
				if d.date.Before(c.drop.from) {
					bn, bd = bn+n, bd+den
				} else {
					an, ad = an+n, ad+den
				}
			}
			trueBefore := c.clickRate
			if c.drop.metric == "conversion_rate" {
				trueBefore = c.convRate
			}
			f := &UnderperformanceFact{CampaignID: c.id, Name: c.name, Channel: c.channel, Metric: c.drop.metric,
				Formula: formulas[c.drop.metric], Date: date(c.drop.from),
				TrueBefore: round6(trueBefore), TrueAfter: round6(trueBefore * c.drop.factor),
				ObservedBefore: ratio(bn, bd), ObservedAfter: ratio(an, ad), RelativeChange: round6(c.drop.factor - 1)}
			w.addFact(KindUnderperformance, fmt.Sprintf("%s: %s falls %.0f%% from %s", c.name, c.drop.metric,
				(1-c.drop.factor)*100, f.Date), &Fact{Underperformance: f})
		case c.harm != nil:
			harmTruth(w, c, rows)
		case c.variants != nil:
			metric := c.abMetric
			first, last, _ := dataSpan(w, c)
			f := &ABTestFact{CampaignID: c.id, Name: c.name, Metric: metric, Formula: formulas[metric],
				Start: date(first), End: date(last)}
			for _, v := range c.variants {
				var n, den int64
				for _, d := range rows {
					if d.variant == v.name {
						a, b := metricParts(metric, d)
						n, den = n+a, den+b
					}
				}
				rate := v.clickRate
				if metric == "conversion_rate" {
					rate = v.conv
				}
				f.Variants = append(f.Variants, ABVariant{Name: v.name, TrueRate: round6(rate), Trials: den, Successes: n, ObservedRate: ratio(n, den)})
			}
			f.Winner = bestVariant(f.Variants)
			summary := fmt.Sprintf("%s: variant %s wins on %s", c.name, f.Winner, metric)
			if f.Winner == "" {
				summary = fmt.Sprintf("%s: no real difference on %s; no winner should be called", c.name, metric)
			}
			w.addFact(KindABTest, summary, &Fact{ABTest: f})
		}
	}
}

// bestVariant names the variant with the strictly highest true rate, or
// "" when the top rates tie (the no-winner test).
func bestVariant(vs []ABVariant) string {
	best, tie := 0, false
	for i := 1; i < len(vs); i++ {
		switch {
		case vs[i].TrueRate > vs[best].TrueRate:
			best, tie = i, false
		case vs[i].TrueRate == vs[best].TrueRate:
			tie = true
		}
	}
	if tie {
		return ""
	}
	return vs[best].Name
}

func trueRate(f *ABTestFact, name string) float64 {
	for _, v := range f.Variants {
		if v.Name == name {
			return v.TrueRate
		}
	}
	return 0
}

func round6(x float64) float64 { return math.Round(x*1e6) / 1e6 }

// harmTruth records a brand-harm plant from the rows drawn.
func harmTruth(w *world, c *campaign, rows []dayRow) {
	var bn, bd, an, ad int64
	for _, d := range rows {
		n := d.complaints
		if c.harm.metric == "unsubscribe_rate" {
			n = d.unsubs
		}
		if d.date.Before(c.harm.from) {
			bn, bd = bn+n, bd+d.delivered
		} else {
			an, ad = an+n, ad+d.delivered
		}
	}
	before := baseComplaintRate
	if c.harm.metric == "unsubscribe_rate" {
		before = baseUnsubscribeRate
	}
	f := &HarmFact{CampaignID: c.id, Name: c.name, Channel: c.channel, Metric: c.harm.metric,
		Formula: strings.TrimSuffix(c.harm.metric, "_rate") + "s / delivered", Date: date(c.harm.from),
		TrueBefore: before, TrueAfter: c.harm.rate, ObservedBefore: ratio(bn, bd), ObservedAfter: ratio(an, ad)}
	w.addFact(KindBrandHarm, fmt.Sprintf("%s: %s jumps to %.1f%% from %s", c.name, c.harm.metric, c.harm.rate*100, f.Date),
		&Fact{Harm: f})
}
