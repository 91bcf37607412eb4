package campaignwatch

import (
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/towerops/tower/internal/proposal"
	"github.com/towerops/tower/internal/store"
)

// How long each kind of proposal stays open. A halt or a drop is news
// for a week; after that, if it still holds, it is proposed again.
const (
	alertTTL  = 7 * 24 * time.Hour
	remedyTTL = 3 * 24 * time.Hour
	haltTTL   = 24 * time.Hour
)

// chartDays is how much history the evidence charts show.
const chartDays = 42

// Drafts turns a report into proposals: a halt (pause plus a note to the
// owner) for a crossed hard limit; a warning for a crossed warning line;
// for the strongest finding, an alert to the owner and, unless the whole
// channel moved, a remedy for a person to approve (a budget shift to the
// best peer on paid channels, otherwise a pause when the fall is severe);
// a resume when a paused campaign's figures are back to normal.
func (r *Report) Drafts(agent string) []proposal.Draft {
	if !r.Live {
		return nil
	}
	var out []proposal.Draft
	c := r.Campaign.Campaign
	active := c.Status != store.CampaignPaused
	for _, b := range r.Breaches {
		switch {
		case b.Halt && active:
			out = append(out, r.haltDraft(agent, b))
			active = false
		case !b.Halt:
			out = append(out, r.warnDraft(agent, b))
		}
	}
	if len(r.Findings) > 0 {
		f := r.Findings[0]
		out = append(out, r.alertDraft(agent, f))
		if active && !f.ChannelWide {
			if d, ok := r.remedyDraft(agent, f); ok {
				out = append(out, d)
			}
		}
	}
	if r.Recovered {
		out = append(out, r.resumeDraft(agent))
	}
	return out
}

func (r *Report) target() proposal.Target {
	c := r.Campaign.Campaign
	return proposal.Target{Type: proposal.TargetCampaign, ID: c.ID, Label: c.Name}
}

func (r *Report) notify(message string) proposal.Action {
	return proposal.Action{Kind: proposal.Notify, Targets: []proposal.Target{r.target()},
		Params: map[string]any{"to": r.Campaign.Campaign.OwnerID, "message": message}}
}

func (r *Report) haltDraft(agent string, b Breach) proposal.Draft {
	c := r.Campaign.Campaign
	why := fmt.Sprintf("%s was %s over the last %s (%s of %s), over the %s limit since %s; the chance the true rate is under the limit is %s.",
		capital(b.Metric.Label), pct(b.Rate), plural(daysIn(b), "day"), num(b.Num), num(b.Den), pct(b.Limit), b.Since.Format(time.DateOnly), pct(1-b.Prob))
	return proposal.Draft{
		Agent: agent,
		Title: fmt.Sprintf("Halt %s: %s %s, over the %s limit", c.Name, b.Metric.Label, pct(b.Rate), pct(b.Limit)),
		Rationale: why + " Every further send costs sender reputation with Gmail, Yahoo and Microsoft for every campaign on this domain, " +
			"so the default policy halts it at once. Find the cause (a bought or stale list, a misfired audience, a missing unsubscribe link) before resuming.",
		Actions: []proposal.Action{
			{Kind: proposal.PauseCampaign, Targets: []proposal.Target{r.target()},
				Params: map[string]any{"reason": why, "hard_limit": b.Metric.Name}},
			r.notify(fmt.Sprintf("Tower halted %s: %s", c.Name, why)),
		},
		Evidence:      proposal.Evidence{Facts: breachFacts(b), Series: breachSeries(b)},
		ExpectedValue: proposal.Value{Assumptions: []string{"a halt protects the sending domain's reputation; its value is the sends it keeps out of spam folders, which Tower does not price"}},
		Confidence:    round2(b.Prob),
		Key:           "campaign-watch:" + c.ID + ":halt",
		TTL:           haltTTL,
	}
}

func (r *Report) warnDraft(agent string, b Breach) proposal.Draft {
	c := r.Campaign.Campaign
	msg := fmt.Sprintf("%s of %s is %s, over the %s warning line (since %s).", capital(b.Metric.Label), c.Name, pct(b.Rate), pct(b.Limit), b.Since.Format(time.DateOnly))
	return proposal.Draft{
		Agent:      agent,
		Title:      fmt.Sprintf("Warning: %s %s on %s", b.Metric.Label, pct(b.Rate), c.Name),
		Rationale:  msg + " It is not yet at the limit where Tower halts the campaign; look at who is being mailed.",
		Actions:    []proposal.Action{r.notify(msg)},
		Evidence:   proposal.Evidence{Facts: breachFacts(b), Series: breachSeries(b)},
		Confidence: round2(b.Prob),
		Key:        "campaign-watch:" + c.ID + ":warn:" + b.Metric.Name,
		TTL:        alertTTL,
	}
}

func breachFacts(b Breach) []proposal.Fact {
	return []proposal.Fact{
		{Name: b.Metric.Label, Value: round6(b.Rate), Source: fmt.Sprintf("%s: %s of %s", b.Metric.Formula, num(b.Num), num(b.Den))},
		{Name: "limit", Value: b.Limit},
		{Name: "over the limit since", Value: b.Since.Format(time.DateOnly)},
		{Name: "probability the true rate is over the limit", Value: round2(b.Prob), Source: "beta posterior from the industry average, weighted as 500 sends"},
	}
}

// breachSeries is the metric's daily rate; the limit is a fact beside it.
func breachSeries(b Breach) []proposal.Series {
	s := proposal.Series{Name: b.Metric.Label, Unit: "rate"}
	for _, p := range lastDays(b.Points, chartDays) {
		s.Points = append(s.Points, proposal.Point{X: p.Date.Format(time.DateOnly), Y: round6(p.Rate())})
	}
	return []proposal.Series{s}
}

func (r *Report) alertDraft(agent string, f Finding) proposal.Draft {
	c := r.Campaign.Campaign
	msg := fmt.Sprintf("%s of %s %s %s since %s (%s → %s); %s likely worse than its own baseline.",
		capital(f.Metric.Label), c.Name, moved(f.Change.Relative), pct(math.Abs(f.Change.Relative)), f.Change.Start.Format(time.DateOnly),
		rateText(f.Metric, f.Change.Before), rateText(f.Metric, f.Change.After), pct(f.Own.ProbWorse))
	if f.Peers.Count > 0 {
		msg += fmt.Sprintf(" Its %d peers on %s: median %s over the same days.", f.Peers.Count, c.Channel, rateText(f.Metric, f.Peers.MedianRate))
	}
	if f.ChannelWide {
		msg += " The peers moved as much, so look for a cause outside this campaign (tracking, a platform change)."
	}
	return proposal.Draft{
		Agent:      agent,
		Title:      fmt.Sprintf("%s: %s %s %s since %s", c.Name, f.Metric.Label, moved(f.Change.Relative), pct(math.Abs(f.Change.Relative)), f.Change.Start.Format(time.DateOnly)),
		Rationale:  msg + " " + r.otherFindings(),
		Actions:    []proposal.Action{r.notify(msg)},
		Evidence:   r.findingEvidence(f),
		Confidence: round2(f.Own.ProbWorse),
		Key:        "campaign-watch:" + c.ID + ":alert:" + f.Metric.Name,
		TTL:        alertTTL,
	}
}

// otherFindings lists the other metrics that changed, if any.
func (r *Report) otherFindings() string {
	var parts []string
	for _, f := range r.Findings[1:] {
		parts = append(parts, fmt.Sprintf("%s %s %s", f.Metric.Label, moved(f.Change.Relative), pct(math.Abs(f.Change.Relative))))
	}
	if len(parts) == 0 {
		return ""
	}
	return "Also: " + strings.Join(parts, "; ") + "."
}

// remedyDraft proposes what to do: move budget to the best peer on a
// paid channel, else pause a campaign that fell by a third or more.
func (r *Report) remedyDraft(agent string, f Finding) (proposal.Draft, bool) {
	c := r.Campaign.Campaign
	spent, daily := r.spend(f.Change.Start)
	remaining := c.Budget - spent
	ev := r.findingEvidence(f)
	base := proposal.Draft{Agent: agent, Evidence: ev, Confidence: round2(f.Own.ProbWorse),
		Key: "campaign-watch:" + c.ID + ":remedy", TTL: remedyTTL}
	if b := r.Best; b != nil && remaining >= 200 {
		amount := math.Floor(remaining/2/100) * 100
		gain := amount * (b.ConversionsPerUSD - b.Own)
		base.Title = fmt.Sprintf("Move %s of %s's budget to %s", proposal.Dollars(amount), c.Name, b.Campaign.Campaign.Name)
		base.Rationale = fmt.Sprintf("%s %s %s since %s. Of its %s budget, %s is left. %s, on the same channel, turned a dollar into %.4f conversions over the same days against %.4f here, "+
			"so half the remainder would buy about %.0f more conversions there.", capital(f.Metric.Label), moved(f.Change.Relative), pct(math.Abs(f.Change.Relative)),
			f.Change.Start.Format(time.DateOnly), proposal.Dollars(c.Budget), proposal.Dollars(remaining), b.Campaign.Campaign.Name, b.ConversionsPerUSD, b.Own, gain)
		base.Actions = []proposal.Action{{Kind: proposal.ShiftBudget,
			Targets: []proposal.Target{r.target(), {Type: proposal.TargetCampaign, ID: b.Campaign.Campaign.ID, Label: b.Campaign.Campaign.Name}},
			Params:  map[string]any{"amount": amount}}}
		base.ExpectedValue = proposal.Value{Conversions: math.Round(gain*10) / 10, Assumptions: []string{
			"both campaigns keep the conversions per dollar they had since the change day",
			"the receiving campaign can spend the amount at that rate before it ends",
		}}
		base.Evidence.Facts = append(base.Evidence.Facts,
			proposal.Fact{Name: "budget left", Value: round2(remaining), Unit: "USD", Source: "budget minus spend to date"},
			proposal.Fact{Name: "best peer", Value: b.Campaign.Campaign.Name},
			proposal.Fact{Name: "best peer conversions per dollar", Value: round6(b.ConversionsPerUSD)},
			proposal.Fact{Name: "this campaign's conversions per dollar", Value: round6(b.Own)})
		return base, true
	}
	if f.Change.Relative > -1.0/3 && f.Metric.Bad == Down {
		return proposal.Draft{}, false
	}
	why := fmt.Sprintf("%s %s %s since %s", f.Metric.Label, moved(f.Change.Relative), pct(math.Abs(f.Change.Relative)), f.Change.Start.Format(time.DateOnly))
	base.Title = fmt.Sprintf("Pause %s: %s", c.Name, why)
	base.Rationale = fmt.Sprintf("%s. It spends about %s a day; pausing it while the cause is found (a broken landing page, lost tracking, a targeting change) keeps that money for campaigns that work. Resume it when fixed.",
		capital(why), proposal.Dollars(daily))
	base.Actions = []proposal.Action{{Kind: proposal.PauseCampaign, Targets: []proposal.Target{r.target()}, Params: map[string]any{"reason": capital(why)}}}
	base.ExpectedValue = proposal.Value{SavingsUSD: math.Round(daily * 7 * math.Abs(f.Change.Relative)), Assumptions: []string{
		"a week of spend at the current daily rate, counting only the share lost to the fall, is not wasted",
	}}
	return base, true
}

// spend returns the campaign's spend to date and its average daily spend
// since from.
func (r *Report) spend(from time.Time) (total, daily float64) {
	n := 0
	var recent float64
	for _, d := range r.Campaign.Days {
		total += d.Spend
		if !d.Date.Before(from) {
			recent += d.Spend
			n++
		}
	}
	if n > 0 {
		daily = recent / float64(n)
	}
	return total, daily
}

func (r *Report) resumeDraft(agent string) proposal.Draft {
	c := r.Campaign.Campaign
	return proposal.Draft{
		Agent:     agent,
		Title:     fmt.Sprintf("Resume %s: its figures are back to normal", c.Name),
		Rationale: fmt.Sprintf("%s is paused, but its latest figures (to %s) show no metric below its baseline and no limit crossed.", c.Name, r.Campaign.Days[len(r.Campaign.Days)-1].Date.Format(time.DateOnly)),
		Actions: []proposal.Action{{Kind: proposal.ResumeCampaign, Targets: []proposal.Target{r.target()},
			Params: map[string]any{"reason": "figures back to normal"}}},
		Evidence:   proposal.Evidence{Facts: []proposal.Fact{{Name: "status", Value: c.Status}, {Name: "last day with figures", Value: r.Campaign.Days[len(r.Campaign.Days)-1].Date.Format(time.DateOnly)}}},
		Confidence: 0.7,
		Key:        "campaign-watch:" + c.ID + ":resume",
		TTL:        alertTTL,
	}
}

// findingEvidence is a finding's facts and charts: the daily series, the
// baseline with its band, the change day and the peers' median.
func (r *Report) findingEvidence(f Finding) proposal.Evidence {
	c := f.Change
	facts := []proposal.Fact{
		{Name: "metric", Value: f.Metric.Label, Source: f.Metric.Formula},
		{Name: "change point", Value: c.Start.Format(time.DateOnly), Source: "the first day at the new level, from a change-point scan over the last " + plural(r.Cfg.Window, "day")},
		{Name: "baseline", Value: round6(c.Before), Source: fmt.Sprintf("%s to %s", c.Baseline[0].Date.Format(time.DateOnly), c.Baseline[len(c.Baseline)-1].Date.Format(time.DateOnly))},
		{Name: "since the change", Value: round6(c.After), Source: fmt.Sprintf("%s, %d days", c.Start.Format(time.DateOnly), c.Days)},
		{Name: "relative change", Value: round4(c.Relative)},
		{Name: "standard errors", Value: round2(c.Z), Source: fmt.Sprintf("flagged beyond %.0f", r.Cfg.Z)},
		{Name: "probability worse than its baseline", Value: round2(f.Own.ProbWorse), Source: "beta-binomial (gamma-Poisson for costs) posteriors"},
		{Name: "change, 90% interval", Value: fmt.Sprintf("%s to %s", signedPct(f.Own.Low), signedPct(f.Own.High))},
		{Name: "day-to-day variation", Value: round4(c.Tau), Source: "estimated from the baseline"},
		{Name: "false-alarm rate", Value: fmt.Sprintf("at most %.1g per metric per campaign-day", r.Cfg.FalseAlarmBound())},
	}
	if f.Peers.Count > 0 {
		facts = append(facts,
			proposal.Fact{Name: "peers on the channel", Value: f.Peers.Count},
			proposal.Fact{Name: "peers' median over the same days", Value: round6(f.Peers.MedianRate)},
			proposal.Fact{Name: "peers' median change", Value: round4(f.Peers.MedianChange)},
			proposal.Fact{Name: "probability worse than the peers' median", Value: round2(f.Peers.Compared.ProbWorse)})
	}
	for _, g := range r.Findings {
		if g.Metric.Name != f.Metric.Name {
			facts = append(facts, proposal.Fact{Name: "also changed: " + g.Metric.Label, Value: round4(g.Change.Relative), Source: "since " + g.Change.Start.Format(time.DateOnly)})
		}
	}
	// The console draws a series with its "baseline low" and "baseline
	// high" companions as a band, and marks the "change point" fact.
	pts := seriesOf(f.Metric, r.Campaign.Days)
	p := c.Before
	obs := proposal.Series{Name: f.Metric.Label, Unit: "rate"}
	lo := proposal.Series{Name: f.Metric.Label + " baseline low", Unit: "rate"}
	hi := proposal.Series{Name: f.Metric.Label + " baseline high", Unit: "rate"}
	for _, pt := range lastDays(pts, chartDays) {
		x := pt.Date.Format(time.DateOnly)
		obs.Points = append(obs.Points, proposal.Point{X: x, Y: round6(pt.Rate())})
		// Two standard deviations of a day's rate at the baseline:
		// counting noise plus day-to-day variation.
		sd := math.Sqrt(1/math.Max(pt.Den*p, 1e-9) + c.Tau*c.Tau)
		lo.Points = append(lo.Points, proposal.Point{X: x, Y: round6(p * math.Exp(-2*sd))})
		hi.Points = append(hi.Points, proposal.Point{X: x, Y: round6(p * math.Exp(2*sd))})
	}
	series := []proposal.Series{obs, lo, hi}
	return proposal.Evidence{Facts: facts, Series: series}
}

func lastDays(pts []Point, n int) []Point {
	if len(pts) > n {
		return pts[len(pts)-n:]
	}
	return pts
}

func daysIn(b Breach) int {
	n := 0
	var num float64
	for i := len(b.Points) - 1; i >= 0 && num < b.Num; i-- {
		num += b.Points[i].Num
		n++
	}
	return max(1, n)
}
