package briefing

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/towerops/tower/internal/proposal"
	"github.com/towerops/tower/internal/store"
	"github.com/towerops/tower/internal/store/eachbackend"
)

// measureFixture adds to fixture two agents whose week went badly, all
// of it before the 24-hour window (so the rest of the digest is as
// TestBuild counts it), and three outcomes:
//
//	picky: 6 proposals 100 to 95 hours ago; 2 approved and executed, 4 rejected
//	flaky: one ran on its own 80 hours ago, another failed 78 hours ago
//	outcomes: p_06 $800 saved measured 2 hours ago (in the window);
//	          p_11 measured 30 hours ago and p_05 in an hour (both out)
func measureFixture(t *testing.T, st store.Store) {
	t.Helper()
	ctx := context.Background()
	if err := st.AgentsUpsert(ctx, &store.AgentsUpsertParams{Agents: []store.Agent{
		{Name: "picky", Skill: "stale-consent", Owner: "rob", State: store.AgentActive, Source: "cli"},
		{Name: "flaky", Skill: "stale-consent", Owner: "rob", State: store.AgentActive, Source: "cli"}}}); err != nil {
		t.Fatal(err)
	}
	mk := func(id, agent string, s proposal.Status, created time.Time, d *proposal.Decision) proposal.Proposal {
		return proposal.Proposal{ID: id, Skill: "stale-consent", Agent: agent, Status: s, CreatedAt: created, UpdatedAt: created.Add(2 * time.Hour),
			ExpiresAt: created.Add(proposal.DefaultTTL), Title: "proposal " + id, Key: "k:" + id, Preview: []proposal.Change{},
			Actions:  []proposal.Action{{Kind: proposal.Tag, Targets: []proposal.Target{{Type: proposal.TargetPerson, ID: "1"}}, Params: map[string]any{}}},
			Decision: d}
	}
	var ps []proposal.Proposal
	for i := range 6 {
		made := ago(time.Duration(100-i) * time.Hour)
		v, s := "rejected", proposal.StatusRejected
		if i < 2 {
			v, s = "approved", proposal.StatusExecuted
		}
		ps = append(ps, mk(fmt.Sprintf("p_picky_%d", i), "picky", s, made, &proposal.Decision{Effect: proposal.EffectRequireApproval,
			Approvals: []proposal.Approval{{By: "maria", Verdict: v, At: made.Add(time.Hour)}}}))
	}
	auto := &proposal.Decision{Effect: proposal.EffectAllow, Autonomy: "auto"}
	ps = append(ps, mk("p_flaky_1", "flaky", proposal.StatusExecuted, ago(80*time.Hour), auto),
		mk("p_flaky_2", "flaky", proposal.StatusFailed, ago(78*time.Hour), auto))
	if _, err := st.ProposalsInsert(ctx, &store.ProposalsInsertParams{Proposals: ps}); err != nil {
		t.Fatal(err)
	}
	if err := st.OutcomesUpsert(ctx, &store.OutcomesUpsertParams{Outcomes: []store.Outcome{
		{ProposalID: "p_06", MeasuredAt: ago(2 * time.Hour), Value: proposal.Value{SavingsUSD: 800}, Share: 1, Method: "fixture"},
		{ProposalID: "p_11", MeasuredAt: ago(30 * time.Hour), Value: proposal.Value{SavingsUSD: 5}, Share: 1, Method: "fixture"},
		{ProposalID: "p_05", MeasuredAt: ago(-time.Hour), Value: proposal.Value{SavingsUSD: 50}, Share: 1, Method: "fixture"},
	}}); err != nil {
		t.Fatal(err)
	}
}

// TestScorecardsAndAttention: the week's scorecards, the agents that
// need attention and the realised value, counted by hand, on both
// backends.
//
// The week before now holds: picky 6 proposals (2 of 6 decided accepted:
// 33% — under half with at least 5 decided); bounce-na 5 (p_01 p_05 p_06
// p_09 p_11; p_06 accepted, 1 decided; 4 carried out, p_05 p_09 p_11 on
// their own, p_09 undone: 25%); tasks 5 (p_02 p_03 p_04 p_07 p_10; p_08
// is ten days old; p_07 rejected, 1 decided, nothing run); flaky 2 (1
// carried out, 1 failed: 50%).
func TestScorecardsAndAttention(t *testing.T) {
	eachbackend.Run(t, func(t *testing.T, st store.Store) {
		fixture(t, st)
		measureFixture(t, st)
		d, err := Build(context.Background(), st, "maria", now, 24*time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		var order []string
		for _, c := range d.Scorecards {
			order = append(order, fmt.Sprintf("%s=%d", c.Key, c.Proposals))
		}
		eq(t, "scorecards, busiest first", strings.Join(order, ","), "picky=6,bounce-na=5,tasks=5,flaky=2")
		eq(t, "scored", d.Counts.Scored, 4)
		bn := d.Scorecards[1]
		eq(t, "bounce-na executed", bn.Executed, 4)
		eq(t, "bounce-na on its own", bn.Autonomous, 3)
		eq(t, "bounce-na undo rate", bn.UndoRate, 0.25)
		eq(t, "bounce-na promotions", bn.Handoffs.Promotions, 1)
		eq(t, "bounce-na expected", bn.Expected.SavingsUSD, 200+999+7)
		var att []string
		for _, a := range d.Attention {
			att = append(att, a.Agent+": "+strings.Join(a.Reasons, "; "))
		}
		eq(t, "attention", strings.Join(att, " | "),
			"picky: people accepted 33% of 6 decided | bounce-na: 1 of 4 carried out were undone (25%) | flaky: 1 of 2 runs failed (50%)")
		eq(t, "attention count", d.Counts.Attention, 3)
		eq(t, "attention link", d.Attention[0].Link, "/agents/picky")
		eq(t, "realised", d.Realised, Realised{SavingsUSD: 800, Proposals: 1})
		// The rest of the digest is as TestBuild counts it.
		eq(t, "proposed", d.Counts.Proposed, 7)
		eq(t, "value", d.Value, Value{PipelineUSD: 1000, SavingsUSD: 200, HoursSaved: 1.5, Proposals: 2, Estimated: true})
	})
}

// TestScorecardsText: the text names the attention list, every agent's
// week and the value realised next to the value expected.
func TestScorecardsText(t *testing.T) {
	st := eachbackend.SQLite(t)
	fixture(t, st)
	measureFixture(t, st)
	d, err := Build(context.Background(), st, "maria", now, 24*time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	txt := d.Text()
	for _, want := range []string{
		"Agents that need attention (3)\n  picky: people accepted 33% of 6 decided\n  bounce-na: 1 of 4 carried out were undone (25%)\n  flaky: 1 of 2 runs failed (50%)\n",
		"Agents' scorecards, last 7 days (4)\n",
		"  picky: 6 proposals · 33% accepted of 6 decided · 2 carried out, 0% on its own, 0% undone\n",
		"  bounce-na: 5 proposals · 100% accepted of 1 decided · 4 carried out, 75% on its own, 25% undone\n",
		"  tasks: 5 proposals · 0% accepted of 1 decided\n",
		"  flaky: 2 proposals · 1 carried out, 100% on its own, 0% undone · 1 failed\n",
		"Value delivered (estimated from what agents expected)\n  $1,000 pipeline, $200 saved, 1.5 hours saved from 2 executed proposals\n",
		"Value realised (measured in this period)\n  $800 saved from 1 measured proposals\n",
	} {
		if !strings.Contains(txt, want) {
			t.Errorf("text lacks %q:\n%s", want, txt)
		}
	}
	b, _ := json.Marshal(d)
	for _, k := range []string{`"scorecards":[{"by":"agent","key":"picky"`, `"attention":[{"agent":"picky","reasons":["people accepted 33% of 6 decided"]`, `"realised":{"pipeline_usd":0,"savings_usd":800`} {
		if !strings.Contains(string(b), k) {
			t.Errorf("JSON lacks %s", k)
		}
	}
	// With nothing in the week, the lists are empty, not null.
	empty, err := Build(context.Background(), st, "maria", ago(24*365*time.Hour), time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	if b, _ := json.Marshal(empty); !strings.Contains(string(b), `"scorecards":[],"attention":[]`) {
		t.Errorf("an empty digest: %s", b)
	}
	if txt := empty.Text(); !strings.Contains(txt, "No agent proposed anything this week.") || !strings.Contains(txt, "Nothing was measured in this period.") {
		t.Errorf("an empty digest's text:\n%s", txt)
	}
}
