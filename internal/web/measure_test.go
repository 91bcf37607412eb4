package web

import (
	"context"
	"html/template"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/towerops/tower/internal/measure"
	"github.com/towerops/tower/internal/proposal"
	"github.com/towerops/tower/internal/store"
	"github.com/towerops/tower/internal/store/postgres"
)

// The measure fixture is one week of January 2026, long before the
// world's own proposals (made when the test runs), so pages asked for
// that week or month show only it:
//
//	alpha (stale-consent, owner maria)
//	  a1 Mon 09:00 approved by approver at 11:00 (2 h), executed; expects $1,000 saved, measured $500
//	  a2 Mon 10:00 rejected at 14:00 (4 h)
//	  a3 Tue 08:00 allowed at autonomy auto, executed; expects $200 saved
//	  a4 Wed 08:00 waited for approval and expired
//	beta (template-qa, owner rob)
//	  b1 Tue 09:00 approved at 15:00 (6 h), executed, then undone; expects $3,000 pipeline
//	  b2 Thu 09:00 allowed, failed when executed
//
// By hand — alpha: 4 proposals; 1 accepted, 1 rejected, 1 expired, 1 on
// its own; accept rate 1/2; on its own 1 of 2 executed; 3 handed to
// people; decisions 2 h and 4 h (median 2 h, 90% 4 h); nothing undone or
// failed; $1,200 expected, $500 realised of the $1,000 measured (50%);
// 2 verdicts at 3 min = 6 min of review.
// beta: 2 proposals; 1 accepted; accept rate 1/1; 1 executed and undone
// (100%); 1 failed of 2 run (50%); 1 handed to people; 6 h to decide;
// $3,000 expected, not measured; 3 min of review.
// Fleet: 6 proposals; accept rate 2/3; $4,200 expected, $500 delivered,
// $3,200 pending; 9 min of review at $75/h = $11.25; net $488.75.
var fxWeek = time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC) // a Monday

func fxTime(day int, hour int) time.Time {
	return fxWeek.AddDate(0, 0, day).Add(time.Duration(hour) * time.Hour)
}

// addMeasureFixture writes the fixture's agents, proposals and outcome.
func addMeasureFixture(t *testing.T, st store.Store) {
	t.Helper()
	ctx := context.Background()
	if err := st.AgentsUpsert(ctx, &store.AgentsUpsertParams{Agents: []store.Agent{
		{Name: "alpha", Skill: "stale-consent", Owner: "maria", State: store.AgentActive, Source: "cli"},
		{Name: "beta", Skill: "template-qa", Owner: "rob", State: store.AgentActive, Source: "cli"},
	}}); err != nil {
		t.Fatal(err)
	}
	verdict := func(v string, at time.Time) *proposal.Decision {
		return &proposal.Decision{Effect: proposal.EffectRequireApproval, Approvals: []proposal.Approval{{By: "approver", Verdict: v, At: at}}}
	}
	auto := &proposal.Decision{Effect: proposal.EffectAllow, Autonomy: "auto"}
	mk := func(id, agent, skill string, st proposal.Status, made time.Time, d *proposal.Decision, v proposal.Value) proposal.Proposal {
		return proposal.Proposal{ID: id, Agent: agent, Skill: skill, Status: st, CreatedAt: made, UpdatedAt: made.Add(8 * time.Hour),
			ExpiresAt: made.Add(72 * time.Hour), Title: "fixture " + id, Rationale: "fixture", Key: "fx:" + id, Trigger: "schedule",
			Actions:  []proposal.Action{{Kind: proposal.Tag, Params: map[string]any{"tag": "fx"}, Targets: []proposal.Target{{Type: proposal.TargetPerson, ID: "1"}}}},
			Decision: d, ExpectedValue: v, Revision: 1, BlastRadius: 1}
	}
	ps := []proposal.Proposal{
		mk("p_fx_a1", "alpha", "stale-consent", proposal.StatusExecuted, fxTime(0, 9), verdict("approved", fxTime(0, 11)), proposal.Value{SavingsUSD: 1000, Assumptions: []string{"fixture: a saved send costs $1"}}),
		mk("p_fx_a2", "alpha", "stale-consent", proposal.StatusRejected, fxTime(0, 10), verdict("rejected", fxTime(0, 14)), proposal.Value{}),
		mk("p_fx_a3", "alpha", "stale-consent", proposal.StatusExecuted, fxTime(1, 8), auto, proposal.Value{SavingsUSD: 200}),
		mk("p_fx_a4", "alpha", "stale-consent", proposal.StatusExpired, fxTime(2, 8), &proposal.Decision{Effect: proposal.EffectRequireApproval}, proposal.Value{}),
		mk("p_fx_b1", "beta", "template-qa", proposal.StatusUndone, fxTime(1, 9), verdict("approved", fxTime(1, 15)), proposal.Value{PipelineUSD: 3000}),
		mk("p_fx_b2", "beta", "template-qa", proposal.StatusFailed, fxTime(3, 9), auto, proposal.Value{}),
	}
	if _, err := st.ProposalsInsert(ctx, &store.ProposalsInsertParams{Proposals: ps}); err != nil {
		t.Fatal(err)
	}
	for _, e := range []struct {
		id    string
		actor string
		at    time.Time
	}{{"p_fx_a1", "user:approver", fxTime(0, 12)}, {"p_fx_a3", "autonomy:auto", fxTime(1, 8)}, {"p_fx_b1", "user:approver", fxTime(1, 16)}} {
		if err := st.ExecutionRecord(ctx, &store.ExecutionRecordParams{Execution: store.Execution{Key: proposal.ActionKey(e.id, 0),
			ProposalID: e.id, Kind: proposal.Tag, Actor: e.actor, Result: "tagged 1 person", ExecutedAt: e.at}}); err != nil {
			t.Fatal(err)
		}
	}
	if err := st.OutcomesUpsert(ctx, &store.OutcomesUpsertParams{Outcomes: []store.Outcome{{ProposalID: "p_fx_a1",
		MeasuredAt: fxTime(9, 0), Value: proposal.Value{SavingsUSD: 500, Assumptions: []string{"fixture: half the sends were saved"}},
		Share: 0.5, Method: "fixture: counted by hand"}}}); err != nil {
		t.Fatal(err)
	}
}

// rowOf cuts the table row whose data-key is key out of a page.
func rowOf(t *testing.T, body, key string) string {
	t.Helper()
	i := strings.Index(body, `<tr data-key="`+key+`">`)
	if i < 0 {
		t.Fatalf("no row %q on the page", key)
	}
	row := body[i:]
	return row[:strings.Index(row, "</tr>")]
}

// cellsWant checks that row has each label's cell with the value.
func cellsWant(t *testing.T, what, row string, want map[string]string) {
	t.Helper()
	for label, v := range want {
		if !strings.Contains(row, `data-label="`+label+`">`+v) {
			t.Errorf("%s: %s is not %q:\n%s", what, label, v, row)
		}
	}
}

// TestScorecardsPage: the fixture's week per agent, its fleet row and
// charts match the figures counted by hand; every role may look; bad
// input is refused with a sentence that names it.
func TestScorecardsPage(t *testing.T) {
	testScorecardsPage(t, newWorld(t))
}

func testScorecardsPage(t *testing.T, w *world) {
	addMeasureFixture(t, w.st)
	week := "since=2026-01-05&until=2026-01-11"
	for _, r := range store.Roles() {
		if code, body, _ := w.signIn(r).get("/scorecards?" + week); code != http.StatusOK || !strings.Contains(body, `<tr data-key="alpha">`) {
			t.Fatalf("%s: /scorecards → %d", r, code)
		}
	}
	b := w.signIn(store.RoleViewer)
	// The defaults (the last 30 days, per agent, by day) over the world's
	// own proposals, made today: what the browser test looks for.
	_, body, _ := b.get("/scorecards")
	for _, want := range []string{`<table class="stack scorecards">`, `<tr data-key="`, "chart-kind-line", "chart-kind-pairs"} {
		if !strings.Contains(body, want) {
			t.Errorf("the default scorecards page lacks %q", want)
		}
	}
	_, body, _ = b.get("/value")
	for _, want := range []string{`<table class="stack value-table">`, `<tr data-key="`, "chart-kind-pairs"} {
		if !strings.Contains(body, want) {
			t.Errorf("this month's value page lacks %q", want)
		}
	}
	_, body, _ = b.get("/scorecards?by=agent&trend=day&" + week)
	cellsWant(t, "alpha", rowOf(t, body, "alpha"), map[string]string{
		"Proposals": "4", "Accepted": "1", "Edited": "0", "Rejected": "1", "Expired": "1",
		"Accept rate": "50.0%", "On its own": "50.0%", "Handed to people": "3", "Handed to agents": "0",
		"Promoted / demoted": "0 / 0", "Time to decision": "2 h / 4 h", "Undone": "0.0%", "Failed": "0.0%",
		"Expected": "$1,200", "Realised": "$500", "Realised of promised": "50.0%", "Review time": "6 min",
	})
	cellsWant(t, "beta", rowOf(t, body, "beta"), map[string]string{
		"Proposals": "2", "Accepted": "1", "Rejected": "0", "Accept rate": "100.0%", "On its own": "0.0%",
		"Handed to people": "1", "Time to decision": "6 h / 6 h", "Undone": "100.0%", "Failed": "50.0%",
		"Expected": "$3,000", "Realised": "—<div class=\"muted\">1 not measured yet</div>", "Realised of promised": "—", "Review time": "3 min",
	})
	cellsWant(t, "fleet", rowOf(t, body, "fleet"), map[string]string{"Proposals": "6", "Accept rate": "66.7%", "Expected": "$4,200", "Review time": "9 min"})
	for _, want := range []string{
		"Proposals made", "Accepted by people", // the trend charts
		"alpha: expected $1,200, realised $500", "beta: expected $3,000, realised $0", // the value chart
		// The trend's data table: Monday a1 a2, Tuesday a3 b1, Wednesday a4.
		`<th scope="row">2026-01-05</th><td>2</td></tr><tr><th scope="row">2026-01-06</th><td>2</td></tr><tr><th scope="row">2026-01-07</th><td>1</td>`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("the scorecards page lacks %q", want)
		}
	}
	if n := strings.Count(body, "<svg"); n < 3+2+1 { // 2 trend charts, a value chart, sparklines for 2 rows and the fleet
		t.Errorf("%d drawings on the page", n)
	}

	// Per owner, by week: maria's card is alpha's.
	_, body, _ = b.get("/scorecards?by=owner&trend=week&" + week)
	cellsWant(t, "maria", rowOf(t, body, "maria"), map[string]string{"Proposals": "4", "Accept rate": "50.0%"})

	for q, want := range map[string]string{
		"by=colour":                         `&#34;colour&#34; is not a grouping`,
		"trend=hourly":                      `&#34;hourly&#34; is not a trend`,
		"period=12":                         `&#34;12&#34; is not a period`,
		"since=5+Jan":                       `since &#34;5 Jan&#34; is not a date`,
		"until=2026-13-01":                  `until &#34;2026-13-01&#34; is not a date`,
		"since=2026-02-01&until=2026-01-01": "the period starts on 2026-02-01, after it ends on 2026-01-01",
		"since=2020-01-01&until=2026-01-01": "longer than 400 days",
	} {
		code, body, _ := b.get("/scorecards?" + q)
		if code != http.StatusBadRequest || !strings.Contains(body, want) {
			t.Errorf("/scorecards?%s → %d, want 400 saying %q", q, code, want)
		}
	}
	if code, _, loc := w.newBrowser().get("/scorecards"); code != http.StatusSeeOther || !strings.HasPrefix(loc, "/signin") {
		t.Errorf("signed out: %d → %q", code, loc)
	}
}

// TestValuePage: January's report matches the fixture counted by hand;
// a bad or future month is refused plainly.
func TestValuePage(t *testing.T) {
	w := newWorld(t)
	addMeasureFixture(t, w.st)
	for _, r := range store.Roles() {
		if code, _, _ := w.signIn(r).get("/value?month=2026-01"); code != http.StatusOK {
			t.Fatalf("%s: /value → %d", r, code)
		}
	}
	b := w.signIn(store.RoleViewer)
	_, body, _ := b.get("/value?month=2026-01")
	for _, want := range []string{
		"Value delivered, 2026-01",
		"<strong>6</strong> proposals", "<strong>3</strong> carried out",
		"<strong>$500</strong> delivered (measured, 1 proposals)",
		"<strong>$3,200</strong> expected from 2 not measured yet",
		"<strong>9 min</strong> of people's review, $11",
		"<strong>$489</strong> net",
		"a person spends 3 minutes on each decision", // the report's assumptions, and the tag model's
		template.HTMLEscapeString(measure.ModelFor(proposal.Tag).Estimate), template.HTMLEscapeString(measure.ModelFor(proposal.Tag).Realise),
		"stale-consent: expected $1,200, realised $500", // the chart
		`href="/value?month=2025-12"`, `href="/value?month=2026-02"`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("the value page lacks %q", want)
		}
	}
	cellsWant(t, "stale-consent", rowOf(t, body, "stale-consent"), map[string]string{"Proposals": "4", "Carried out": "2", "On their own": "1",
		"Expected": "$1,200", "Realised": "$500", "Realised of promised": "50.0%"})
	cellsWant(t, "template-qa", rowOf(t, body, "template-qa"), map[string]string{"Proposals": "2", "Carried out": "1", "Expected": "$3,000"})
	cellsWant(t, "marketing-ops", rowOf(t, body, "marketing-ops"), map[string]string{"Proposals": "6", "Carried out": "3", "Expected": "$4,200"})
	for q, want := range map[string]string{"month=January": `month &#34;January&#34; is not a month`, "month=2999-01": "2999-01 has not begun yet"} {
		if code, body, _ := b.get("/value?" + q); code != http.StatusBadRequest || !strings.Contains(body, want) {
			t.Errorf("/value?%s → %d, want 400 saying %q", q, code, want)
		}
	}
}

// TestAgentAndProposalValue: an agent's page and the agents list show
// its scorecard from measure; a proposal's Value section shows its
// estimate, its kinds' models and the outcome once measured.
func TestAgentAndProposalValue(t *testing.T) {
	w := newWorld(t)
	addMeasureFixture(t, w.st)
	b := w.signIn(store.RoleViewer)
	_, body, _ := b.get("/proposals/p_fx_a1")
	for _, want := range []string{`id="value-title">Value`, "$1,000 saved", "fixture: a saved send costs $1",
		"$500 saved", "measured 2026-01-14", "50.0% of the effect still in place", "How: fixture: counted by hand", "How each action is valued"} {
		if !strings.Contains(body, want) {
			t.Errorf("p_fx_a1's page lacks %q", want)
		}
	}
	if _, body, _ := b.get("/proposals/p_fx_a4"); !strings.Contains(body, "not measured yet: only what is carried out is measured") {
		t.Error("an expired proposal does not say it is not measured")
	}

	// This week alpha made 5 proposals, all rejected an hour after each
	// was made, and p_fx_a1 was measured again an hour ago: the agent's
	// page and the list score it, the briefing flags it and shows the
	// value measured.
	ctx := context.Background()
	now := time.Now().UTC()
	var ps []proposal.Proposal
	for i := range 5 {
		made := now.Add(-time.Duration(48+i) * time.Hour)
		ps = append(ps, proposal.Proposal{ID: proposal.NewID(made), Agent: "alpha", Skill: "stale-consent", Status: proposal.StatusRejected,
			CreatedAt: made, UpdatedAt: made.Add(time.Hour), ExpiresAt: made.Add(72 * time.Hour), Title: "week " + itoa(i), Rationale: "fixture",
			Key: "fx:week:" + itoa(i), Revision: 1, BlastRadius: 1,
			Actions:  []proposal.Action{{Kind: proposal.Tag, Params: map[string]any{"tag": "fx"}, Targets: []proposal.Target{{Type: proposal.TargetPerson, ID: "1"}}}},
			Decision: &proposal.Decision{Effect: proposal.EffectRequireApproval, Approvals: []proposal.Approval{{By: "approver", Verdict: "rejected", At: made.Add(time.Hour)}}}})
	}
	if _, err := w.st.ProposalsInsert(ctx, &store.ProposalsInsertParams{Proposals: ps}); err != nil {
		t.Fatal(err)
	}
	if err := w.st.OutcomesUpsert(ctx, &store.OutcomesUpsertParams{Outcomes: []store.Outcome{{ProposalID: "p_fx_a1",
		MeasuredAt: now.Add(-time.Hour), Value: proposal.Value{SavingsUSD: 650}, Share: 1, Method: "fixture: measured again"}}}); err != nil {
		t.Fatal(err)
	}
	_, body, _ = b.get("/agents/alpha")
	for _, want := range []string{"Scorecard over the last 30 days", "<strong>5</strong> proposals", "<strong>0.0%</strong> accepted by people (0 as proposed, 0 edited, 5 rejected)",
		"<strong>1 h</strong> median wait for a decision (90%: 1 h)"} {
		if !strings.Contains(body, want) {
			t.Errorf("alpha's page lacks %q", want)
		}
	}
	_, body, _ = b.get("/agents")
	row := body[strings.Index(body, `<tr data-agent="alpha">`):]
	row = row[:strings.Index(row, "</tr>")]
	if !strings.Contains(row, `data-label="Accept rate">0.0%`) || !strings.Contains(row, `<td class="num">5</td>`) {
		t.Errorf("alpha's row on the agents list:\n%s", row)
	}
	_, body, _ = b.get("/briefing")
	for _, want := range []string{`<li data-attention="alpha"><a href="/agents/alpha">alpha</a>: people accepted 0% of 5 decided</li>`,
		`<tr data-key="alpha">`, "Measured in this period: $650 saved from 1 proposals"} {
		if !strings.Contains(body, want) {
			t.Errorf("the briefing lacks %q", want)
		}
	}
}

// TestScorecardsPageOnPostgres: the same page, the same figures, on
// PostgreSQL (a scratch schema on the server of TOWER_TEST_POSTGRES_URL).
func TestScorecardsPageOnPostgres(t *testing.T) {
	base := os.Getenv("TOWER_TEST_POSTGRES_URL")
	if base == "" {
		t.Skip("TOWER_TEST_POSTGRES_URL is not set")
	}
	ctx := context.Background()
	dsn, drop, err := postgres.ScratchSchema(ctx, base, "tower_web")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = drop(context.WithoutCancel(ctx)) })
	testScorecardsPage(t, newWorldOn(t, dsn))
}
