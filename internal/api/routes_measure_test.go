package api

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/towerops/tower/internal/auth"
	"github.com/towerops/tower/internal/measure"
	"github.com/towerops/tower/internal/proposal"
	"github.com/towerops/tower/internal/store"
)

// measureWorld is a workspace holding three proposals of the week of 5
// January 2026 and a viewer's client:
//
//	alpha  a1 Mon 09:00, approved at 11:00 (2 h), executed; expects $1,000 saved, measured $500
//	alpha  a2 Mon 10:00, rejected at 14:00 (4 h)
//	beta   b1 Tue 08:00, allowed at autonomy auto, executed; expects $200 saved
func measureWorld(t *testing.T) apiClient {
	t.Helper()
	ctx := context.Background()
	st := openTestStore(t)
	if err := st.AgentsUpsert(ctx, &store.AgentsUpsertParams{Agents: []store.Agent{
		{Name: "alpha", Skill: "stale-consent", Owner: "maria", State: store.AgentActive, Source: "cli"},
		{Name: "beta", Skill: "stale-consent", Owner: "rob", State: store.AgentActive, Source: "cli"},
	}}); err != nil {
		t.Fatal(err)
	}
	at := func(day, hour int) time.Time { return time.Date(2026, 1, 5+day, hour, 0, 0, 0, time.UTC) }
	verdict := func(v string, when time.Time) *proposal.Decision {
		return &proposal.Decision{Effect: proposal.EffectRequireApproval, Approvals: []proposal.Approval{{By: "ana", Verdict: v, At: when}}}
	}
	mk := func(id, agent string, s proposal.Status, made time.Time, d *proposal.Decision, saves float64) proposal.Proposal {
		return proposal.Proposal{ID: id, Agent: agent, Skill: "stale-consent", Status: s, CreatedAt: made, UpdatedAt: made.Add(5 * time.Hour),
			ExpiresAt: made.Add(72 * time.Hour), Title: id, Rationale: "fixture", Key: "fx:" + id, Trigger: "schedule", Revision: 1,
			Actions:  []proposal.Action{{Kind: proposal.Tag, Params: map[string]any{"tag": "fx"}, Targets: []proposal.Target{{Type: proposal.TargetPerson, ID: "1"}}}},
			Decision: d, ExpectedValue: proposal.Value{SavingsUSD: saves}}
	}
	if _, err := st.ProposalsInsert(ctx, &store.ProposalsInsertParams{Proposals: []proposal.Proposal{
		mk("p_fx_a1", "alpha", proposal.StatusExecuted, at(0, 9), verdict("approved", at(0, 11)), 1000),
		mk("p_fx_a2", "alpha", proposal.StatusRejected, at(0, 10), verdict("rejected", at(0, 14)), 0),
		mk("p_fx_b1", "beta", proposal.StatusExecuted, at(1, 8), &proposal.Decision{Effect: proposal.EffectAllow, Autonomy: "auto"}, 200),
	}}); err != nil {
		t.Fatal(err)
	}
	if err := st.OutcomesUpsert(ctx, &store.OutcomesUpsertParams{Outcomes: []store.Outcome{{ProposalID: "p_fx_a1", MeasuredAt: at(9, 0),
		Value: proposal.Value{SavingsUSD: 500}, Share: 0.5, Method: "fixture"}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := auth.CreateUser(ctx, st, "system", auth.NewUser{Name: "vera", Role: store.RoleViewer}); err != nil {
		t.Fatal(err)
	}
	secret, _, err := auth.CreateToken(ctx, st, "system", auth.NewToken{User: "vera", Name: "test"})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(New(st, nil, "test").Handler())
	t.Cleanup(srv.Close)
	return apiClient{t: t, srv: srv, secret: secret}
}

// TestAPIScorecards: the week's cards per agent, per fleet and by trend
// are the figures counted by hand above.
func TestAPIScorecards(t *testing.T) {
	t.Parallel()
	c := measureWorld(t)
	week := "since=2026-01-05&until=2026-01-11"
	var page Page[measure.Card]
	if code, body := c.do("GET", "/api/v1/scorecards?by=agent&"+week, "", &page); code != http.StatusOK {
		t.Fatalf("%d %s", code, body)
	}
	if len(page.Items) != 2 || page.Items[0].Key != "alpha" || page.Items[1].Key != "beta" {
		t.Fatalf("cards %+v, want alpha and beta", page.Items)
	}
	a, b := page.Items[0], page.Items[1]
	type fig struct {
		name      string
		got, want float64
	}
	for _, f := range []fig{
		{"alpha proposals", float64(a.Proposals), 2}, {"alpha accepted", float64(a.Accepted), 1}, {"alpha rejected", float64(a.Rejected), 1},
		{"alpha accept rate", a.AcceptRate, 0.5}, {"alpha decided", float64(a.Decided), 2},
		{"alpha p50 hours", a.DecisionP50, 2}, {"alpha p90 hours", a.DecisionP90, 4},
		{"alpha handed to people", float64(a.Handoffs.ToPeople), 2}, {"alpha executed", float64(a.Executed), 1},
		{"alpha expected", a.Expected.SavingsUSD, 1000}, {"alpha realised", a.Realised.SavingsUSD, 500},
		{"alpha realised ratio", a.RealisedRatio, 0.5}, {"alpha review hours", a.ReviewHours, 0.1},
		{"beta autonomous", float64(b.Autonomous), 1}, {"beta autonomous share", b.AutonomousShare, 1}, {"beta pending", float64(b.Pending), 1},
	} {
		if f.got != f.want {
			t.Errorf("%s = %v, want %v", f.name, f.got, f.want)
		}
	}
	if !a.Since.Equal(time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC)) || !a.Until.Equal(time.Date(2026, 1, 12, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("period %s to %s, want 5 to 12 January (the last day included)", a.Since, a.Until)
	}
	if code, _ := c.do("GET", "/api/v1/scorecards?by=fleet&trend=day&"+week, "", &page); code != http.StatusOK || len(page.Items) != 1 {
		t.Fatalf("fleet: %d, %d cards", code, len(page.Items))
	}
	f := page.Items[0]
	if f.Proposals != 3 || len(f.Trend) != 7 || f.Trend[0].Proposals != 2 || f.Trend[1].Proposals != 1 || f.Trend[2].Proposals != 0 {
		t.Errorf("fleet: %d proposals, trend of %d days %+v", f.Proposals, len(f.Trend), f.Trend)
	}
	if code, _ := c.do("GET", "/api/v1/scorecards?agent=beta&trend=week&"+week, "", &page); code != http.StatusOK || len(page.Items) != 1 ||
		page.Items[0].Key != "beta" || len(page.Items[0].Trend) != 1 {
		t.Errorf("beta by week: %d %+v", code, page.Items)
	}
	// Before the fixture: no cards, an empty list rather than null.
	if code, body := c.do("GET", "/api/v1/scorecards?since=2025-01-01&until=2025-01-31", "", nil); code != http.StatusOK || !strings.Contains(body, `"items":[]`) {
		t.Errorf("an empty period: %d %s", code, body)
	}
}

// TestAPIScorecardsRefuseBadInput: each bad parameter is a 400 of the
// standard shape naming where it is.
func TestAPIScorecardsRefuseBadInput(t *testing.T) {
	t.Parallel()
	c := measureWorld(t)
	for q, where := range map[string]string{
		"/api/v1/scorecards?by=colour":                         "query.by",
		"/api/v1/scorecards?trend=hour":                        "query.trend",
		"/api/v1/scorecards?since=5+Jan":                       "query.since",
		"/api/v1/scorecards?until=2026-02-30":                  "query.until",
		"/api/v1/scorecards?since=2026-02-01&until=2026-01-01": "query.since",
		"/api/v1/scorecards?since=2020-01-01&until=2026-01-01": "query.since",
		"/api/v1/value-report?month=July":                      "query.month",
		"/api/v1/value-report?month=2999-01":                   "query.month",
	} {
		code, body := c.do("GET", q, "", nil)
		var e ErrorResponse
		_ = json.Unmarshal([]byte(body), &e)
		if code != http.StatusBadRequest || e.Err.Code != codeInvalid || len(e.Err.Details) != 1 || e.Err.Details[0].Location != where {
			t.Errorf("%s → %d %s, want 400 invalid at %s", q, code, body, where)
		}
	}
}

// TestAPIValueReport: January's report and the value models.
func TestAPIValueReport(t *testing.T) {
	t.Parallel()
	c := measureWorld(t)
	var r measure.Report
	if code, body := c.do("GET", "/api/v1/value-report?month=2026-01", "", &r); code != http.StatusOK {
		t.Fatalf("%d %s", code, body)
	}
	// Delivered: a1's measured $500. Pending: b1's $200. Review: 2
	// verdicts at 3 minutes = 0.1 h at $75 = $7.50. Net $492.50.
	if r.Month != "2026-01" || r.Fleet.Proposals != 3 || r.DeliveredUSD != 500 || r.PendingUSD != 200 || r.ReviewUSD != 7.5 || r.NetUSD != 492.5 {
		t.Errorf("report %s: %d proposals, delivered %v, pending %v, review %v, net %v", r.Month, r.Fleet.Proposals, r.DeliveredUSD, r.PendingUSD, r.ReviewUSD, r.NetUSD)
	}
	if len(r.Skills) != 1 || r.Skills[0].Key != "stale-consent" || r.Skills[0].Executed != 2 {
		t.Errorf("skills %+v", r.Skills)
	}
	var models Page[valueModel]
	if code, body := c.do("GET", "/api/v1/value-models?limit=500", "", &models); code != http.StatusOK {
		t.Fatalf("%d %s", code, body)
	}
	want := measure.Models()
	if len(models.Items) != len(want) {
		t.Fatalf("%d models, want %d", len(models.Items), len(want))
	}
	for i, m := range models.Items {
		if m.Kind != string(want[i].Kind) || m.Estimate != want[i].Estimate || m.After != want[i].After.Hours() {
			t.Errorf("model %d: %+v, want %+v", i, m, want[i])
		}
	}
}
