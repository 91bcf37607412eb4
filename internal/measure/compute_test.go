package measure

import (
	"slices"
	"testing"
	"time"

	"github.com/towerops/tower/internal/proposal"
	"github.com/towerops/tower/internal/store"
)

// The fixture: two agents over one week, every way a proposal can end.
// Each expected figure below is counted by hand from this list.
var (
	fxSince = time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC) // a Thursday
	fxUntil = fxSince.AddDate(0, 0, 7)
)

func fxAt(day int, hour float64) time.Time {
	return fxSince.AddDate(0, 0, day).Add(time.Duration(hour * float64(time.Hour)))
}

func fxRecord(id, agent string, status proposal.Status, made time.Time, effect proposal.Effect, approvals ...proposal.Approval) Record {
	owner, team, skill := "ann", "marketing-ops", "s1"
	if agent == "a2" {
		owner, team, skill = "bob", "growth", "s2"
	}
	p := proposal.Proposal{ID: id, Agent: agent, Skill: skill, Status: status, CreatedAt: made, UpdatedAt: made.Add(time.Hour),
		Actions:  []proposal.Action{{Kind: proposal.Tag}},
		Decision: &proposal.Decision{Effect: effect, Approvals: approvals}}
	return Record{Proposal: p, Made: made, Owner: owner, Team: team}
}

func approved(by string, at time.Time) proposal.Approval {
	return proposal.Approval{By: by, Verdict: "approved", At: at}
}

func fxHistory() *History {
	req, allow := proposal.EffectRequireApproval, proposal.EffectAllow
	p1 := fxRecord("p1", "a1", proposal.StatusExecuted, fxAt(0, 9), req, approved("ann", fxAt(0, 11)))
	p1.Proposal.ExpectedValue = proposal.Value{HoursSaved: 1, Assumptions: []string{"6 minutes a record"}}
	p1.Executions = []store.Execution{{ProposalID: "p1"}}
	p1.Outcome = &store.Outcome{ProposalID: "p1", Value: proposal.Value{HoursSaved: 0.5}, Share: 0.5, Method: "half still in place"}
	p2 := fxRecord("p2", "a1", proposal.StatusRejected, fxAt(0, 9), req,
		proposal.Approval{By: "ann", Verdict: "rejected", At: fxAt(0, 19)})
	p3 := fxRecord("p3", "a1", proposal.StatusExecuted, fxAt(0, 10), allow)
	p3.Proposal.ExpectedValue = proposal.Value{SavingsUSD: 1200}
	p3.Outcome = &store.Outcome{ProposalID: "p3", Value: proposal.Value{SavingsUSD: 600}, Share: 0.5}
	p4 := fxRecord("p4", "a1", proposal.StatusUndone, fxAt(0, 10), allow)
	p4.Proposal.ExpectedValue = proposal.Value{SavingsUSD: 100}
	// p5 was edited by ann a day after the agent made it; bob approved the
	// revision 30 hours after the agent's proposal.
	p5 := fxRecord("p5", "a1", proposal.StatusExecuted, fxAt(1, 0), req, approved("bob", fxAt(2, 6)))
	p5.Proposal.Revision, p5.Proposal.EditedBy, p5.Proposal.CreatedAt = 2, "ann", fxAt(1, 5)
	p5.Proposal.ExpectedValue = proposal.Value{HoursSaved: 2}
	p6 := fxRecord("p6", "a1", proposal.StatusExpired, fxAt(1, 8), req)
	p7 := fxRecord("p7", "a1", proposal.StatusPendingApproval, fxAt(2, 8), req)
	p8 := fxRecord("p8", "a2", proposal.StatusDenied, fxAt(2, 9), proposal.EffectDeny)
	p9 := fxRecord("p9", "a2", proposal.StatusFailed, fxAt(2, 10), req, approved("bob", fxAt(2, 14)))
	p9.Proposal.Trigger = "manual"
	return &History{Since: fxSince, Until: fxUntil,
		Records: []Record{p1, p2, p3, p4, p5, p6, p7, p8, p9},
		Changes: []AutonomyChange{
			{Agent: "a1", Skill: "s1", Owner: "ann", Team: "marketing-ops", Kind: proposal.Tag, Promoted: true, At: fxAt(1, 12)},
			{Agent: "a1", Skill: "s1", Owner: "ann", Team: "marketing-ops", Kind: proposal.Tag, At: fxAt(3, 12)},
		}}
}

func TestComputeFleet(t *testing.T) {
	c := Compute(fxHistory(), 0)
	want := Card{By: ByFleet, Since: fxSince, Until: fxUntil,
		Proposals: 9, Accepted: 2, Edited: 1, Rejected: 1, Expired: 1, Denied: 1, Waiting: 1, Autonomous: 2,
		AcceptRate: 0.75, EditRate: 0.25, AutonomousShare: 0.5,
		Handoffs: Handoffs{ToPeople: 6, ToAgent: 1, Promotions: 1, Demotions: 1},
		Decided:  4, DecisionP50: 4, DecisionP90: 30,
		Executed: 4, Undone: 1, Failed: 1, UndoRate: 0.25, ErrorRate: 0.2,
		Expected:         proposal.Value{SavingsUSD: 1300, HoursSaved: 3},
		Realised:         proposal.Value{SavingsUSD: 600, HoursSaved: 0.5},
		ExpectedMeasured: proposal.Value{SavingsUSD: 1200, HoursSaved: 1},
		Measured:         2, Pending: 2, RealisedRatio: 0.5,
		ReviewHours: 0.25, // 4 verdicts and 1 edit at 3 minutes
	}
	checkCard(t, c, want)
}

func TestScorecardsByAgentAndKindAndTrend(t *testing.T) {
	cards := Scorecards(fxHistory(), Options{By: ByAgent, Trend: TrendDay})
	if len(cards) != 2 || cards[0].Key != "a1" || cards[1].Key != "a2" {
		t.Fatalf("cards by agent: %+v", keys(cards))
	}
	a2 := cards[1]
	if a2.Proposals != 2 || a2.Accepted != 1 || a2.Denied != 1 || a2.Failed != 1 || a2.ErrorRate != 1 ||
		a2.AcceptRate != 1 || a2.Handoffs.ToAgent != 1 || a2.Handoffs.Promotions != 0 {
		t.Errorf("a2: %+v", a2)
	}
	a1 := cards[0]
	if a1.Proposals != 7 || a1.Handoffs.Promotions != 1 || a1.Handoffs.Demotions != 1 || a1.Executed != 4 {
		t.Errorf("a1: %+v", a1)
	}
	var perDay []int
	for _, d := range a1.Trend {
		perDay = append(perDay, d.Proposals)
	}
	if want := []int{4, 2, 1, 0, 0, 0, 0}; !slices.Equal(perDay, want) {
		t.Errorf("a1 proposals per day %v, want %v", perDay, want)
	}
	if a1.Trend[1].Handoffs.Promotions != 1 || a1.Trend[3].Handoffs.Demotions != 1 {
		t.Errorf("promotion on day 2 and demotion on day 4: %+v / %+v", a1.Trend[1].Handoffs, a1.Trend[3].Handoffs)
	}

	weeks := Scorecards(fxHistory(), Options{By: ByFleet, Trend: TrendWeek})[0].Trend
	// 2026-10-01 is a Thursday: the first week is cut to Thu–Sun, the
	// second runs Monday 5th to the end of the period (Wednesday 7th).
	if len(weeks) != 2 || !weeks[0].Since.Equal(fxSince) || !weeks[1].Since.Equal(fxAt(4, 0)) ||
		!weeks[1].Until.Equal(fxUntil) || weeks[0].Proposals != 9 || weeks[1].Proposals != 0 {
		t.Errorf("weeks: %+v", weeks)
	}

	byKind := Scorecards(fxHistory(), Options{By: ByKind})
	if len(byKind) != 1 || byKind[0].Key != string(proposal.Tag) || byKind[0].Proposals != 9 || byKind[0].Handoffs.Promotions != 1 {
		t.Errorf("by kind: %+v", byKind)
	}
	byTeam := Scorecards(fxHistory(), Options{By: ByTeam})
	if len(byTeam) != 2 || byTeam[0].Key != "growth" || byTeam[0].Proposals != 2 || byTeam[1].Proposals != 7 {
		t.Errorf("by team: %+v", keys(byTeam))
	}
}

func TestReportOf(t *testing.T) {
	r := reportOf(fxHistory(), fxSince, DefaultReviewCost)
	// Delivered $600 and 0.5 h (at $75: $37.50); review 0.25 h at $75 is
	// $18.75; pending: p4's $100 and p5's 2 hours.
	if r.DeliveredUSD != 600 || r.DeliveredHours != 0.5 || r.ReviewUSD != 18.75 || r.NetUSD != 618.75 ||
		r.PendingUSD != 100 || r.PendingHours != 2 || r.Month != "2026-10" {
		t.Errorf("report: %+v", r)
	}
	if len(r.Teams) != 2 || len(r.Skills) != 2 {
		t.Errorf("teams %v skills %v", keys(r.Teams), keys(r.Skills))
	}
	found := map[string]bool{}
	for _, a := range r.Assumptions {
		found[a] = true
	}
	m := ModelFor(proposal.Tag)
	if !found["tag, estimated: "+m.Estimate] || !found["tag, realised: "+m.Realise] || len(r.Assumptions) != 5 {
		t.Errorf("assumptions: %q", r.Assumptions)
	}
}

func TestQuantileNearestRank(t *testing.T) {
	h := func(n float64) time.Duration { return time.Duration(n * float64(time.Hour)) }
	ds := []time.Duration{h(30), h(2), h(10), h(4)}
	if quantile(ds, 0.5) != h(4) || quantile(ds, 0.9) != h(30) || quantile(nil, 0.5) != 0 || quantile(ds[:1], 0.9) != h(30) {
		t.Errorf("quantiles of %v", ds)
	}
}

func checkCard(t *testing.T, got, want Card) {
	t.Helper()
	got.Trend = nil
	if got.Expected.Assumptions != nil || got.Realised.Assumptions != nil {
		t.Errorf("card values carry assumptions: %+v", got)
	}
	if got.Proposals != want.Proposals || got.Accepted != want.Accepted || got.Edited != want.Edited ||
		got.Rejected != want.Rejected || got.Expired != want.Expired || got.Denied != want.Denied ||
		got.Waiting != want.Waiting || got.Autonomous != want.Autonomous {
		t.Errorf("buckets: got %+v", got)
	}
	if got.AcceptRate != want.AcceptRate || got.EditRate != want.EditRate || got.AutonomousShare != want.AutonomousShare ||
		got.UndoRate != want.UndoRate || got.ErrorRate != want.ErrorRate || got.RealisedRatio != want.RealisedRatio {
		t.Errorf("rates: got accept %v edit %v auto %v undo %v error %v realised %v", got.AcceptRate, got.EditRate,
			got.AutonomousShare, got.UndoRate, got.ErrorRate, got.RealisedRatio)
	}
	if got.Handoffs != want.Handoffs {
		t.Errorf("handoffs %+v, want %+v", got.Handoffs, want.Handoffs)
	}
	if got.Decided != want.Decided || got.DecisionP50 != want.DecisionP50 || got.DecisionP90 != want.DecisionP90 {
		t.Errorf("decisions %d p50 %v p90 %v", got.Decided, got.DecisionP50, got.DecisionP90)
	}
	if got.Executed != want.Executed || got.Undone != want.Undone || got.Failed != want.Failed ||
		got.Measured != want.Measured || got.Pending != want.Pending || got.ReviewHours != want.ReviewHours {
		t.Errorf("executions: got %+v", got)
	}
	if !sameValue(got.Expected, want.Expected) || !sameValue(got.Realised, want.Realised) || !sameValue(got.ExpectedMeasured, want.ExpectedMeasured) {
		t.Errorf("values: expected %+v realised %+v measured %+v", got.Expected, got.Realised, got.ExpectedMeasured)
	}
}

func sameValue(a, b proposal.Value) bool {
	return a.SavingsUSD == b.SavingsUSD && a.PipelineUSD == b.PipelineUSD && a.HoursSaved == b.HoursSaved && a.Conversions == b.Conversions
}

func keys(cs []Card) []string {
	var out []string
	for _, c := range cs {
		out = append(out, c.Key)
	}
	return out
}
