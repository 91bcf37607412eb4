package measure

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/towerops/tower/internal/proposal"
	"github.com/towerops/tower/internal/store"
)

// ReviewCost is what a person's review time is assumed to cost.
type ReviewCost struct {
	MinutesPerDecision float64 `json:"minutes_per_decision"`
	HourlyUSD          float64 `json:"hourly_usd"`
}

// DefaultReviewCost: three minutes per decision at $75 an hour, a
// marketing-operations manager's loaded cost.
var DefaultReviewCost = ReviewCost{MinutesPerDecision: DefaultReviewMinutes, HourlyUSD: 75}

// Report is the workspace's value report for one month: what the agent
// fleet delivered, by team and skill, and what it cost in people's
// review time. Delivered figures are realised (measured after the fact);
// what is not measured yet is shown apart, as estimated.
type Report struct {
	Month  string     `json:"month"` // YYYY-MM
	Since  time.Time  `json:"since"`
	Until  time.Time  `json:"until"`
	Fleet  Card       `json:"fleet"`
	Teams  []Card     `json:"teams"`
	Skills []Card     `json:"skills"`
	Review ReviewCost `json:"review_cost"`

	// DeliveredUSD is realised savings and pipeline; DeliveredHours the
	// realised hours of manual work avoided; PendingUSD and PendingHours
	// what executed proposals not measured yet are expected to bring.
	DeliveredUSD   float64 `json:"delivered_usd"`
	DeliveredHours float64 `json:"delivered_hours"`
	PendingUSD     float64 `json:"pending_usd"`
	PendingHours   float64 `json:"pending_hours"`
	// ReviewUSD is the people's review hours at Review.HourlyUSD.
	ReviewUSD float64 `json:"review_usd"`
	// NetUSD is DeliveredUSD plus DeliveredHours at Review.HourlyUSD,
	// less ReviewUSD: what the fleet was worth after the time people put
	// into it.
	NetUSD float64 `json:"net_usd"`
	// Assumptions are every estimate's and measurement's stated
	// assumptions, and the report's own, deduplicated.
	Assumptions []string `json:"assumptions"`
}

// ValueReport builds the report for the calendar month (UTC) holding
// month, from proposals made in it.
func ValueReport(ctx context.Context, q store.Queries, month time.Time, cost ReviewCost) (*Report, error) {
	if cost.MinutesPerDecision <= 0 {
		cost.MinutesPerDecision = DefaultReviewCost.MinutesPerDecision
	}
	if cost.HourlyUSD <= 0 {
		cost.HourlyUSD = DefaultReviewCost.HourlyUSD
	}
	month = month.UTC()
	since := time.Date(month.Year(), month.Month(), 1, 0, 0, 0, 0, time.UTC)
	until := since.AddDate(0, 1, 0)
	h, err := Load(ctx, q, Filter{Since: since, Until: until})
	if err != nil {
		return nil, fmt.Errorf("value report for %s: %w", since.Format("2006-01"), err)
	}
	return reportOf(h, since, cost), nil
}

// reportOf computes the report from a loaded month.
func reportOf(h *History, since time.Time, cost ReviewCost) *Report {
	o := Options{ReviewMinutes: cost.MinutesPerDecision}
	r := &Report{Month: since.Format("2006-01"), Since: h.Since, Until: h.Until, Review: cost}
	o.By = ByFleet
	r.Fleet = Scorecards(h, o)[0]
	o.By = ByTeam
	r.Teams = Scorecards(h, o)
	o.By = BySkill
	r.Skills = Scorecards(h, o)
	f := r.Fleet
	r.DeliveredUSD = round(f.Realised.SavingsUSD+f.Realised.PipelineUSD, 2)
	r.DeliveredHours = round(f.Realised.HoursSaved, 2)
	r.PendingUSD = round(f.Expected.SavingsUSD+f.Expected.PipelineUSD-f.ExpectedMeasured.SavingsUSD-f.ExpectedMeasured.PipelineUSD, 2)
	r.PendingHours = round(f.Expected.HoursSaved-f.ExpectedMeasured.HoursSaved, 2)
	r.ReviewUSD = round(f.ReviewHours*cost.HourlyUSD, 2)
	r.NetUSD = round(r.DeliveredUSD+r.DeliveredHours*cost.HourlyUSD-r.ReviewUSD, 2)
	r.Assumptions = assumptionsOf(h, cost)
	return r
}

// assumptionsOf gathers the report's own assumptions and how each kind
// of action executed in the period is estimated and measured.
func assumptionsOf(h *History, cost ReviewCost) []string {
	out := []string{
		fmt.Sprintf("a person spends %g minutes on each decision (approve, reject or edit), at $%g an hour",
			cost.MinutesPerDecision, cost.HourlyUSD),
		fmt.Sprintf("an hour of manual work avoided is worth the same $%g", cost.HourlyUSD),
		"delivered value is what was measured after execution; what is not measured yet is shown as pending, at its estimate",
	}
	add := func(s string) {
		if s != "" && !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	// Per kind, not per proposal: each proposal's own figures and the
	// dated sentence of its measurement are on the proposal itself.
	for _, rec := range h.Records {
		if rec.Proposal.Status != proposal.StatusExecuted && rec.Proposal.Status != proposal.StatusUndone {
			continue
		}
		for _, a := range rec.Proposal.Actions {
			m := ModelFor(a.Kind)
			add(fmt.Sprintf("%s, estimated: %s", kindWords(a.Kind), m.Estimate))
			add(fmt.Sprintf("%s, realised: %s", kindWords(a.Kind), m.Realise))
		}
	}
	return out
}
