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

// openEndedDays is how many more days an open-ended campaign (no end
// date) is assumed to run, for the expected value.
const openEndedDays = 30

// Draft turns a verdict into a proposal; false while the test is
// undecided (no proposal, no noise).
func Draft(agent string, c foundation.Campaign, v *Verdict, opt Options, now time.Time) (proposal.Draft, bool) {
	switch v.Decision {
	case Winner:
		return winnerDraft(agent, c, v, now), true
	case Loser:
		return loserDraft(agent, c, v), true
	case Mixed:
		return mixedDraft(agent, c, v), true
	case NoDifference, Inconclusive:
		return endDraft(agent, c, v, opt), true
	}
	return proposal.Draft{}, false
}

// Lift is one arm's relative lift over another on a metric, with the
// always-valid interval and p-value of their pair.
type Lift struct {
	Over           string
	Lift, Lo, Hi   float64
	P, Alpha       float64
	Arm, OverCount sequential.Counts
}

// liftOf returns arm's lift over other from r's pair comparison.
func liftOf(r sequential.Result, arm, other string) Lift {
	for _, c := range r.Pairs {
		switch {
		case c.Baseline == other && c.Other == arm:
			return Lift{Over: other, Lift: c.Lift, Lo: c.LiftLo, Hi: c.LiftHi, P: c.P, Alpha: c.Alpha, Arm: c.B, OverCount: c.A}
		case c.Baseline == arm && c.Other == other:
			base := c.B.Rate()
			return Lift{Over: other, Lift: -c.Diff / base, Lo: -c.Hi / base, Hi: -c.Lo / base, P: c.P, Alpha: c.Alpha, Arm: c.A, OverCount: c.B}
		}
	}
	return Lift{Over: other, Lift: math.NaN(), Lo: math.Inf(-1), Hi: math.Inf(1), P: 1}
}

func winnerDraft(agent string, c foundation.Campaign, v *Verdict, now time.Time) proposal.Draft {
	r := v.Results[v.Metric.Name]
	var lifts []Lift
	var parts []string
	worstP := 0.0
	for _, a := range v.Arms {
		if a == v.Winner {
			continue
		}
		l := liftOf(r, v.Winner, a)
		lifts = append(lifts, l)
		worstP = math.Max(worstP, l.P)
		parts = append(parts, fmt.Sprintf("%s against %s's %s (%s, always-valid interval %s to %s)",
			pct(l.Arm.Rate()), a, pct(l.OverCount.Rate()), signed(l.Lift), signed(l.Lo), signed(l.Hi)))
	}
	split := v.Winner + "=100"
	ev, assumptions := expectedValue(c, v, now)
	msg := fmt.Sprintf("%s: variant %s wins the A/B test on %s after %d days: %s. Proposed: send all traffic to %s (traffic split %s).",
		c.Name, v.Winner, v.Metric.Label, v.DecidedDay, strings.Join(parts, "; "), v.Winner, split)
	facts := evidenceFacts(v)
	for _, l := range lifts {
		facts = append(facts,
			proposal.Fact{Name: fmt.Sprintf("lift of %s over %s", v.Winner, l.Over), Value: round(l.Lift*100, 1), Unit: "%", Source: v.Metric.Formula},
			proposal.Fact{Name: fmt.Sprintf("always-valid interval of the lift of %s over %s", v.Winner, l.Over),
				Value: fmt.Sprintf("%s to %s", signed(l.Lo), signed(l.Hi))},
			proposal.Fact{Name: fmt.Sprintf("always-valid p-value, %s against %s", v.Winner, l.Over), Value: round(l.P, 6),
				Source: fmt.Sprintf("significant at or below %.4g (this pair's share of alpha)", l.Alpha)})
	}
	return proposal.Draft{
		Agent: agent,
		Title: fmt.Sprintf("Send all traffic of %s to variant %s: %s %s", c.Name, v.Winner, v.Metric.Label, signed(lifts[0].Lift)),
		Rationale: msg + " The test is sequential and always valid: it was looked at every day, and the chance that a test with no real difference " +
			"ever shows a winner like this is within the agent's alpha.",
		Actions:       append(trafficActions(c, split), notifyAction(c, msg)),
		Evidence:      proposal.Evidence{Facts: facts, Series: series(v)},
		ExpectedValue: proposal.Value{Conversions: ev, Assumptions: assumptions},
		Confidence:    confidence(worstP),
		Key:           "experiment:" + c.ID + ":winner",
		// The sooner the traffic moves the more it is worth; a stale
		// proposal lapses and the next daily run proposes it again.
		TTL: 3 * 24 * time.Hour,
	}
}

func loserDraft(agent string, c foundation.Campaign, v *Verdict) proposal.Draft {
	var keep []string
	for _, a := range v.Arms {
		if !contains(v.Losers, a) {
			keep = append(keep, a)
		}
	}
	split := evenSplit(keep)
	msg := fmt.Sprintf("%s: variant %s is beaten on %s after %d days (%s) but no variant has beaten all the others yet. Proposed: stop sending %s and split the traffic %s.",
		c.Name, strings.Join(v.Losers, " and "), v.Metric.Label, v.DecidedDay, rates(v), strings.Join(v.Losers, " and "), split)
	return proposal.Draft{
		Agent: agent, Title: fmt.Sprintf("Drop variant %s from the A/B test of %s", strings.Join(v.Losers, ", "), c.Name),
		Rationale:  msg,
		Actions:    append(trafficActions(c, split), notifyAction(c, msg)),
		Evidence:   proposal.Evidence{Facts: evidenceFacts(v), Series: series(v)},
		Confidence: 0.9,
		Key:        "experiment:" + c.ID + ":loser:" + strings.Join(v.Losers, ","),
		TTL:        3 * 24 * time.Hour,
	}
}

func mixedDraft(agent string, c foundation.Campaign, v *Verdict) proposal.Draft {
	msg := fmt.Sprintf("%s: the A/B test shows a trade-off after %d days: %s; %s. "+
		"A variant that wins one metric loses (or differs) on the other, so which to keep is a judgment for the campaign's owner; no traffic is moved.",
		c.Name, v.DecidedDay, ratesOf(v, ClickRate), ratesOf(v, ConversionRate))
	return proposal.Draft{
		Agent: agent, Title: fmt.Sprintf("A/B test of %s: a trade-off between click rate and conversion rate", c.Name),
		Rationale:  msg,
		Actions:    []proposal.Action{notifyAction(c, msg)},
		Evidence:   proposal.Evidence{Facts: evidenceFacts(v), Series: series(v)},
		Confidence: 0.8,
		Key:        "experiment:" + c.ID + ":mixed",
	}
}

func endDraft(agent string, c foundation.Campaign, v *Verdict, opt Options) proposal.Draft {
	var msg, title string
	confidence := 0.9
	if v.Decision == NoDifference {
		title = fmt.Sprintf("End the A/B test of %s: no difference worth having", c.Name)
		msg = fmt.Sprintf("%s: after %d days (the maximum) no variant differs: the always-valid intervals rule out a lift of %s or more on click rate and conversion rate (%s). "+
			"Proposed: end the test and keep whichever variant is cheaper or simpler.", c.Name, v.DaysRun, pct(opt.MinLift), rates(v))
	} else {
		confidence = 0.7
		title = fmt.Sprintf("End the A/B test of %s: no winner after %d days", c.Name, v.DaysRun)
		msg = fmt.Sprintf("%s: after %d days (the maximum) no variant has won, but the data cannot rule out a lift of %s either (%s). "+
			"Proposed: end the test; a smaller difference is not worth the traffic, and a bigger test would need more volume.", c.Name, v.DaysRun, pct(opt.MinLift), rates(v))
	}
	return proposal.Draft{
		Agent: agent, Title: title, Rationale: msg,
		Actions: []proposal.Action{
			{Kind: proposal.UpdateField, Targets: []proposal.Target{campaignTarget(c)}, Params: map[string]any{"field": "traits.ab_test", "value": "ended"}},
			notifyAction(c, msg)},
		Evidence:   proposal.Evidence{Facts: evidenceFacts(v), Series: series(v)},
		Confidence: confidence,
		Key:        "experiment:" + c.ID + ":" + string(v.Decision),
		TTL:        14 * 24 * time.Hour,
	}
}

func campaignTarget(c foundation.Campaign) proposal.Target {
	return proposal.Target{Type: proposal.TargetCampaign, ID: c.ID, Label: c.Name}
}

// trafficActions sets the campaign's traffic split, which the connected
// e-mail platform reads ("B=100", "A=50,C=50").
func trafficActions(c foundation.Campaign, split string) []proposal.Action {
	return []proposal.Action{{Kind: proposal.UpdateField, Targets: []proposal.Target{campaignTarget(c)},
		Params: map[string]any{"field": "traits.traffic_split", "value": split}}}
}

// notifyAction tells the campaign's owner (the agent's owner when the
// campaign has none).
func notifyAction(c foundation.Campaign, msg string) proposal.Action {
	p := map[string]any{"message": msg}
	if c.OwnerID != "" {
		p["to"] = c.OwnerID
	}
	return proposal.Action{Kind: proposal.Notify, Targets: []proposal.Target{campaignTarget(c)}, Params: p}
}

// evenSplit shares 100 over arms, the remainder to the first ones.
func evenSplit(arms []string) string {
	parts := make([]string, len(arms))
	for i, a := range arms {
		share := 100 / len(arms)
		if i < 100%len(arms) {
			share++
		}
		parts[i] = fmt.Sprintf("%s=%d", a, share)
	}
	return strings.Join(parts, ",")
}

// confidence is one minus the largest always-valid p-value behind the
// decision, kept within [0.5, 0.99].
func confidence(p float64) float64 { return math.Max(0.5, math.Min(0.99, 1-p)) }

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}
