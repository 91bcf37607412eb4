package briefing

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/towerops/tower/internal/audit"
	"github.com/towerops/tower/internal/proposal"
	"github.com/towerops/tower/internal/store"
	"github.com/towerops/tower/internal/store/eachbackend"
)

// now is the fixture's "now"; the window is the 24 hours before it.
var now = time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC)

func ago(d time.Duration) time.Time { return now.Add(-d) }

// fixture writes a small fleet by hand: agents in every state, proposals
// in and out of the window in every status that matters, approval
// requests for and not for maria, and agent changes in the audit log.
func fixture(t *testing.T, st store.Store) {
	t.Helper()
	ctx := context.Background()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(st.UsersUpsert(ctx, &store.UsersUpsertParams{Users: []store.User{
		{Name: "maria", Role: store.RoleApprover}, {Name: "rob", Role: store.RoleApprover}, {Name: "vic", Role: store.RoleViewer}}}))
	agent := func(name, owner string, state store.AgentState, reason string) store.Agent {
		return store.Agent{Name: name, Skill: "stale-consent", Owner: owner, State: state, StateReason: reason, Source: "cli"}
	}
	must(st.AgentsUpsert(ctx, &store.AgentsUpsertParams{Agents: []store.Agent{
		agent("bounce-na", "maria", store.AgentActive, ""), agent("tasks", "rob", store.AgentActive, ""),
		agent("paused-one", "rob", store.AgentPaused, "holiday freeze"),
		agent("tripped-one", "maria", store.AgentTripped, "circuit breaker: 3 undone")}}))

	type spec struct {
		id, agent    string
		status       proposal.Status
		kind         proposal.Kind
		created, upd time.Time
		effect       proposal.Effect
		autonomy     string
		approvedAt   time.Time
		value        proposal.Value
		approvers    []string // approval request chain users; nil roles approver
		request      bool
	}
	specs := []spec{
		{id: "p_01", agent: "bounce-na", status: proposal.StatusPendingApproval, kind: proposal.Tag, created: ago(2 * time.Hour),
			effect: proposal.EffectRequireApproval, autonomy: "approve", value: proposal.Value{PipelineUSD: 5000}, request: true},
		{id: "p_02", agent: "tasks", status: proposal.StatusPendingApproval, kind: proposal.Tag, created: ago(3 * time.Hour),
			effect: proposal.EffectRequireApproval, autonomy: "approve", value: proposal.Value{SavingsUSD: 100}, request: true, approvers: []string{"rob"}},
		{id: "p_03", agent: "tasks", status: proposal.StatusAllowed, kind: proposal.Notify, created: ago(4 * time.Hour),
			effect: proposal.EffectAllow, autonomy: "auto"},
		{id: "p_04", agent: "tasks", status: proposal.StatusPendingApproval, kind: proposal.CreateTask, created: ago(5 * time.Hour),
			effect: proposal.EffectRequireApproval, autonomy: "approve", request: true},
		{id: "p_05", agent: "bounce-na", status: proposal.StatusExecuted, kind: proposal.Suppress, created: ago(48 * time.Hour), upd: ago(6 * time.Hour),
			effect: proposal.EffectAllow, autonomy: "auto", value: proposal.Value{SavingsUSD: 200, HoursSaved: 1.5}},
		{id: "p_06", agent: "bounce-na", status: proposal.StatusExecuted, kind: proposal.Tag, created: ago(20 * time.Hour), upd: ago(7 * time.Hour),
			effect: proposal.EffectRequireApproval, autonomy: "approve", approvedAt: ago(8 * time.Hour), value: proposal.Value{PipelineUSD: 1000}},
		{id: "p_07", agent: "tasks", status: proposal.StatusRejected, kind: proposal.Tag, created: ago(21 * time.Hour), upd: ago(9 * time.Hour),
			effect: proposal.EffectRequireApproval, autonomy: "approve"},
		{id: "p_08", agent: "tasks", status: proposal.StatusExpired, kind: proposal.Tag, created: ago(240 * time.Hour), upd: ago(72 * time.Hour),
			effect: proposal.EffectRequireApproval, autonomy: "approve"},
		{id: "p_09", agent: "bounce-na", status: proposal.StatusUndone, kind: proposal.Suppress, created: ago(30 * time.Hour), upd: ago(1 * time.Hour),
			effect: proposal.EffectAllow, autonomy: "auto", value: proposal.Value{SavingsUSD: 999}},
		{id: "p_10", agent: "tasks", status: proposal.StatusPendingApproval, kind: proposal.UpdateField, created: ago(10 * time.Hour),
			effect: proposal.EffectRequireApproval, autonomy: "suggest", request: true, approvers: []string{"rob"}},
		{id: "p_11", agent: "bounce-na", status: proposal.StatusExecuted, kind: proposal.Suppress, created: ago(50 * time.Hour), upd: ago(30 * time.Hour),
			effect: proposal.EffectAllow, autonomy: "auto", value: proposal.Value{SavingsUSD: 7}},
	}
	var ps []proposal.Proposal
	var reqs []store.ApprovalRequest
	for _, s := range specs {
		if s.upd.IsZero() {
			s.upd = s.created
		}
		target := proposal.Target{Type: proposal.TargetPerson, ID: "1"}
		params := map[string]any{}
		switch s.kind {
		case proposal.Notify:
			target = proposal.Target{Type: proposal.TargetOwner, ID: "o1"}
			params["message"] = "bounces are up"
		case proposal.CreateTask:
			target = proposal.Target{Type: proposal.TargetOwner, ID: "o1"}
		}
		p := proposal.Proposal{ID: s.id, Skill: "stale-consent", Agent: s.agent, Status: s.status, CreatedAt: s.created, UpdatedAt: s.upd,
			ExpiresAt: s.created.Add(proposal.DefaultTTL), Title: "proposal " + s.id, Key: "k:" + s.id,
			Actions:       []proposal.Action{{Kind: s.kind, Targets: []proposal.Target{target}, Params: params}},
			ExpectedValue: s.value, Preview: []proposal.Change{},
			Decision: &proposal.Decision{Effect: s.effect, Autonomy: s.autonomy, Rules: []string{"autonomy"}, DecidedAt: s.created}}
		if !s.approvedAt.IsZero() {
			p.Decision.Approvals = []proposal.Approval{{By: "maria", Verdict: "approved", At: s.approvedAt}}
		}
		ps = append(ps, p)
		if s.request {
			lvl := store.ApprovalLevel{Roles: []string{"approver"}, SLA: 24 * time.Hour}
			if s.approvers != nil {
				lvl = store.ApprovalLevel{Users: s.approvers, SLA: 24 * time.Hour}
			}
			reqs = append(reqs, store.ApprovalRequest{ProposalID: s.id, Agent: s.agent, Owner: "nobody", Requester: "agent:" + s.agent,
				Chain: []store.ApprovalLevel{lvl}, Required: 1, OnTimeout: "expire", DueAt: s.created.Add(24 * time.Hour),
				State: store.ApprovalOpen, CreatedAt: s.created, UpdatedAt: s.created})
		}
	}
	if _, err := st.ProposalsInsert(ctx, &store.ProposalsInsertParams{Proposals: ps}); err != nil {
		t.Fatal(err)
	}
	must(st.ApprovalRequestsInsert(ctx, &store.ApprovalRequestsInsertParams{Requests: reqs}))
	must(st.ExecutionRecord(ctx, &store.ExecutionRecordParams{Execution: store.Execution{Key: "p_09/0", ProposalID: "p_09",
		Kind: proposal.Suppress, Actor: "autonomy:auto", ExecutedAt: ago(12 * time.Hour)}}))
	must(audit.Append(ctx, st,
		audit.Entry{Actor: "user:rob", Action: "agent.reset", Subject: "agent:tripped-one", At: ago(30 * time.Hour), Data: map[string]any{"was": "old"}},
		audit.Entry{Actor: "system", Action: "autonomy.promoted", Subject: "agent:bounce-na", At: ago(20 * time.Hour),
			Data: map[string]any{"kind": "suppress", "from": "approve", "to": "auto", "reason": "10 approvals in a row without edit"}},
		audit.Entry{Actor: "agent:tasks", Action: "proposal.proposed", Subject: "proposal:p_03", At: ago(4 * time.Hour)},
		audit.Entry{Actor: "system", Action: "agent.tripped", Subject: "agent:tripped-one", At: ago(3 * time.Hour),
			Data: map[string]any{"reason": "circuit breaker: 3 undone"}},
		audit.Entry{Actor: "user:rob", Action: "agent.state", Subject: "agent:paused-one", At: ago(2 * time.Hour),
			Data: map[string]any{"state": "paused", "reason": "holiday freeze"}},
		audit.Entry{Actor: "user:rob", Action: "agent.state", Subject: "agent:tasks", At: ago(-time.Hour),
			Data: map[string]any{"state": "active"}}, // after "now": not in the window
	))
}

func ids(items []Item) []string {
	out := []string{}
	for _, it := range items {
		out = append(out, it.ID)
	}
	return out
}

func eq[T comparable](t *testing.T, what string, got, want T) {
	t.Helper()
	if got != want {
		t.Errorf("%s = %v, want %v", what, got, want)
	}
}

// TestBuild checks every section and count of maria's briefing against
// the fixture, counted by hand, on both backends.
func TestBuild(t *testing.T) {
	eachbackend.Run(t, func(t *testing.T, st store.Store) {
		fixture(t, st)
		ctx := context.Background()
		d, err := Build(ctx, st, "maria", now, 24*time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		eq(t, "role", d.Role, store.RoleApprover)
		eq(t, "since", d.Since, ago(24*time.Hour))
		// p_01 and p_04 are maria's to decide (role approver); p_02 and
		// p_10 are rob's alone. The more valuable comes first.
		eq(t, "decisions", strings.Join(ids(d.Decisions), ","), "p_01,p_04")
		eq(t, "decision link", d.Decisions[0].Link, "/proposals/p_01")
		eq(t, "decision mine", d.Decisions[0].Mine, true)
		// p_03 is an alert, p_10 a suggestion; p_04 (a task) is already
		// among maria's decisions.
		eq(t, "flags", strings.Join(ids(d.Flags), ","), "p_03,p_10")
		eq(t, "flag why", d.Flags[0].Why, "alert")
		// p_05 executed on its own 6 h ago; p_09 12 h ago, undone since.
		// p_06 needed maria; p_11 ran before the window.
		eq(t, "on their own", strings.Join(ids(d.OnTheirOwn), ","), "p_05,p_09")
		eq(t, "undone one executed at", d.OnTheirOwn[1].At, ago(12*time.Hour))
		c := d.Counts
		eq(t, "waiting", c.Waiting, 2)
		eq(t, "proposed", c.Proposed, 7) // p_01 p_02 p_03 p_04 p_06 p_07 p_10
		eq(t, "flags", c.Flags, 2)
		eq(t, "executed", c.Executed, 3) // p_05 p_06 p_09
		eq(t, "on their own", c.OnTheirOwn, 2)
		eq(t, "approved", c.Approved, 1)
		eq(t, "rejected", c.Rejected, 1)
		eq(t, "expired", c.Expired, 0) // p_08 expired three days ago
		eq(t, "undone", c.Undone, 1)
		eq(t, "failed", c.Failed, 0)
		// Value: p_05 and p_06 (p_09 was undone, p_11 is older).
		eq(t, "value", d.Value, Value{PipelineUSD: 1000, SavingsUSD: 200, HoursSaved: 1.5, Proposals: 2, Estimated: true})
		var changes []string
		for _, ch := range d.AgentChanges {
			changes = append(changes, ch.Agent+" "+ch.Change+" "+ch.Kind)
		}
		eq(t, "agent changes", strings.Join(changes, "; "), "bounce-na promoted suppress; tripped-one tripped ; paused-one paused ")
		eq(t, "promotion", d.AgentChanges[0].To, "auto")
		var stopped []string
		for _, s := range d.Stopped {
			stopped = append(stopped, s.Agent+"="+string(s.State))
		}
		eq(t, "stopped", strings.Join(stopped, ","), "tripped-one=tripped,paused-one=paused")

		// A viewer decides nothing, so the task is one of their flags.
		v, err := Build(ctx, st, "vic", now, 24*time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		eq(t, "viewer decisions", len(v.Decisions), 0)
		eq(t, "viewer flags", strings.Join(ids(v.Flags), ","), "p_03,p_04,p_10")
		eq(t, "viewer executed", v.Counts.Executed, 3)

		// A shorter window: the last 5 hours hold p_01..p_03; p_04, made
		// exactly 5 hours ago, is out (a window is open at its start).
		s, err := Build(ctx, st, "maria", now, 5*time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		eq(t, "5h proposed", s.Counts.Proposed, 3)
		eq(t, "5h executed", s.Counts.Executed, 0)
		eq(t, "5h changes", len(s.AgentChanges), 2)

		if _, err := Build(ctx, st, "nobody", now, time.Hour); err == nil {
			t.Error("a briefing for an unknown user")
		}
	})
}

// TestDigestJSONAndText: the JSON uses snake_case and never null lists,
// and the text names every section with the figures.
func TestDigestJSONAndText(t *testing.T) {
	st := eachbackend.SQLite(t)
	fixture(t, st)
	d, err := Build(context.Background(), st, "maria", now, 24*time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(d)
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{`"on_their_own":[`, `"agent_changes":[`, `"pipeline_usd":1000`, `"estimated":true`, `"waiting":2`} {
		if !strings.Contains(string(b), k) {
			t.Errorf("JSON lacks %s: %s", k, b)
		}
	}
	empty, err := Build(context.Background(), st, "maria", ago(24*365*time.Hour), time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	if b, _ := json.Marshal(empty); strings.Contains(string(b), "null") {
		t.Errorf("an empty digest has null lists: %s", b)
	}
	txt := d.Text()
	for _, want := range []string{"Briefing for maria (approver)", "Waiting for your decision (2)", "p_01  proposal p_01 — bounce-na · $5,000 pipeline",
		"Flagged by agents (2)", "[alert]", "Done by agents on their own (2)", "bounce-na promoted for suppress (approve → auto) by system",
		"tripped-one is tripped now: circuit breaker: 3 undone", "$1,000 pipeline, $200 saved, 1.5 hours saved from 2 executed proposals"} {
		if !strings.Contains(txt, want) {
			t.Errorf("text lacks %q:\n%s", want, txt)
		}
	}
}
