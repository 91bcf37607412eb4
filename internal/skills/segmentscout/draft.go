package segmentscout

import (
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/towerops/tower/internal/proposal"
)

// draft proposes one new segment. Its key is the rule itself, so the same
// rule is never open twice for an agent, whatever its id or wording.
func draft(agent string, f *Found, c Candidate) proposal.Draft {
	s := c.Segment
	h := s.Holdout
	rep := f.Search
	extra := float64(s.All.Size) * math.Max(0, h.Rate-h.RestRate)
	name := capitalise(c.Plain)
	desc := fmt.Sprintf("People with %s: %s of them did %q in the last %d days, against %s of everyone else (lift %.1f; %.1f on people held out of the search). Found by %s.",
		c.Plain, pct(s.All.Rate), f.Event, f.Window, pct(s.All.RestRate), s.All.Lift, h.Lift, Name)
	facts := []proposal.Fact{
		{Name: "people in the segment (active in the window)", Value: s.All.Size, Source: "people, accounts and events"},
		{Name: "conversions in the segment", Value: s.All.Conversions, Source: fmt.Sprintf("%q events", f.Event)},
		{Name: "segment conversion rate", Value: round(s.All.Rate, 4)},
		{Name: "conversion rate of everyone else", Value: round(s.All.RestRate, 4)},
		{Name: "lift (segment rate ÷ rest)", Value: round(s.All.Lift, 2)},
		{Name: "lift, 95% interval", Value: fmt.Sprintf("%.2f to %.2f", s.All.LiftLow, s.All.LiftHigh)},
		{Name: "lift on the people searched", Value: fmt.Sprintf("%.2f (%.2f to %.2f)", s.Discovery.Lift, s.Discovery.LiftLow, s.Discovery.LiftHigh), Source: fmt.Sprintf("%d people", rep.DiscoveryRows)},
		{Name: "lift on people held out of the search", Value: fmt.Sprintf("%.2f (%.2f to %.2f)", h.Lift, h.LiftLow, h.LiftHigh), Source: fmt.Sprintf("%d people", rep.HoldoutRows)},
		{Name: "held-out p-value", Value: sig(h.P)},
		{Name: "groups tested in the search", Value: rep.Tested},
		{Name: "groups confirmed on held-out people", Value: rep.ConfirmedCount},
		{Name: "why it is new", Value: newWhy(f)},
	}
	for _, e := range rep.Excluded {
		facts = append(facts, proposal.Fact{Name: "left out: " + e.Column, Value: e.Reason})
	}
	for _, l := range f.Leaks {
		facts = append(facts, proposal.Fact{Name: "left out: " + l, Value: "a step of converting (90% or more of the people doing it convert), not a predictor"})
	}
	rationale := fmt.Sprintf("People with %s convert at %s against %s for everyone else (lift %.1f, 95%% interval %.1f to %.1f). "+
		"The group was found on %d people and confirmed on %d others the search never saw (lift there %.1f, %.1f to %.1f), "+
		"after %d groups were tested with the false discovery rate held at %g. %s "+
		"Saving it as a segment lets campaigns and routing target these %d people and keeps the list current as people change.",
		c.Plain, pct(s.All.Rate), pct(s.All.RestRate), s.All.Lift, s.All.LiftLow, s.All.LiftHigh,
		rep.DiscoveryRows, rep.HoldoutRows, h.Lift, h.LiftLow, h.LiftHigh, rep.Tested, rep.Options.FDR, newWhy(f), s.All.Size)
	return proposal.Draft{
		Agent:     agent,
		Title:     fmt.Sprintf("New segment: %s (%s convert, %.1f× the rest)", c.Plain, pct(s.All.Rate), s.All.Lift),
		Rationale: rationale,
		Actions: []proposal.Action{{Kind: proposal.CreateSegment, Params: map[string]any{
			"segment": c.ID, "name": name, "rule": c.Rule, "description": desc}}},
		Evidence: proposal.Evidence{Facts: facts, Series: []proposal.Series{{Name: "conversion rate", Unit: "share", Points: []proposal.Point{
			{X: "segment", Y: round(s.All.Rate, 4)}, {X: "everyone else", Y: round(s.All.RestRate, 4)},
			{X: "segment (held out)", Y: round(h.Rate, 4)}, {X: "everyone else (held out)", Y: round(h.RestRate, 4)}}}}},
		ExpectedValue: proposal.Value{Conversions: math.Round(extra*10) / 10, Assumptions: []string{
			fmt.Sprintf("%d people × (%s − %s), the held-out rates of the segment and of everyone else: the conversions the segment holds beyond what as many other people would bring", s.All.Size, pct(h.Rate), pct(h.RestRate)),
			"targeting realises it only insofar as what the rule measures causes the difference; a test campaign will tell",
		}},
		Confidence: math.Max(0.5, math.Min(0.99, 1-h.P*float64(max(1, rep.ToHoldout)))),
		Key:        "segment:" + c.Rule,
		TTL:        14 * 24 * time.Hour,
	}
}

func newWhy(f *Found) string {
	if f.Existing == 0 {
		return "No segment is saved yet."
	}
	return fmt.Sprintf("None of the %d saved segments holds 80%% of its people or overlaps it with Jaccard 0.7 or more.", f.Existing)
}

func pct(r float64) string {
	if r < 0.1 {
		return fmt.Sprintf("%.1f%%", 100*r)
	}
	return fmt.Sprintf("%.0f%%", 100*r)
}

func round(f float64, d int) float64 {
	p := math.Pow(10, float64(d))
	return math.Round(f*p) / p
}

func sig(p float64) string {
	if p < 1e-6 {
		return "< 0.000001"
	}
	return fmt.Sprintf("%.2g", p)
}

func capitalise(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
