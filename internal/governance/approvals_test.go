package governance

import (
	"reflect"
	"testing"
	"time"

	"github.com/towerops/tower/internal/proposal"
	"github.com/towerops/tower/internal/store"
)

func match(rule string, eff proposal.Effect) proposal.Match {
	return proposal.Match{Rule: rule, Effect: eff}
}

func TestPlanFor(t *testing.T) {
	pack := &Pack{
		Approvals: ApprovalPlan{Roles: []string{"approver"}, SLA: 8 * time.Hour,
			Escalate: []EscalationLevel{{Users: []string{"lead"}}}},
		Rules: []Rule{
			{ID: "big", Effect: proposal.EffectRequireApproval, Approval: ApprovalPlan{Count: 2, SLA: 4 * time.Hour}},
			{ID: "merge", Effect: proposal.EffectRequireApproval, Approval: ApprovalPlan{Roles: []string{"architect"},
				SegregationOfDuties: true, OnTimeout: "deny",
				Escalate: []EscalationLevel{{Users: []string{"lead"}, SLA: time.Hour}, {Roles: []string{"admin"}}}}},
			{ID: "vip", Effect: proposal.EffectRequireApproval, Approval: ApprovalPlan{Users: []string{"dana"}, SLA: 30 * time.Minute}},
			{ID: "vip2", Effect: proposal.EffectRequireApproval, Approval: ApprovalPlan{Users: []string{"eve", "dana"}}},
			{ID: "ok", Effect: proposal.EffectAllow},
		},
	}
	defaults := ApprovalPlan{Roles: []string{"approver"}, Count: 1, SLA: 24 * time.Hour, OnTimeout: "expire"}
	for _, tc := range []struct {
		name    string
		pack    *Pack
		matched []proposal.Match
		want    ApprovalPlan
	}{
		{"nil pack: built-in defaults", nil, nil, defaults},
		{"nil pack with rules matched", nil, []proposal.Match{match("big", proposal.EffectRequireApproval)}, defaults},
		{"autonomy match: the pack's approvals", pack, []proposal.Match{match("autonomy:tag=approve", proposal.EffectRequireApproval)},
			ApprovalPlan{Roles: []string{"approver"}, Count: 1, SLA: 8 * time.Hour, OnTimeout: "expire",
				Escalate: []EscalationLevel{{Users: []string{"lead"}}}}},
		{"one rule, zero fields from the pack", pack, []proposal.Match{match("big", proposal.EffectRequireApproval)},
			ApprovalPlan{Roles: []string{"approver"}, Count: 2, SLA: 4 * time.Hour, OnTimeout: "expire",
				Escalate: []EscalationLevel{{Users: []string{"lead"}}}}},
		{"allow matches do not shape the plan", pack, []proposal.Match{match("ok", proposal.EffectAllow), match("big", proposal.EffectRequireApproval)},
			ApprovalPlan{Roles: []string{"approver"}, Count: 2, SLA: 4 * time.Hour, OnTimeout: "expire",
				Escalate: []EscalationLevel{{Users: []string{"lead"}}}}},
		{"strictest wins", pack, []proposal.Match{match("big", proposal.EffectRequireApproval), match("merge", proposal.EffectRequireApproval),
			match("caps", proposal.EffectRequireApproval)},
			ApprovalPlan{Roles: []string{"architect"}, Count: 2, SegregationOfDuties: true, SLA: 4 * time.Hour, OnTimeout: "deny",
				Escalate: []EscalationLevel{{Users: []string{"lead"}, SLA: time.Hour}, {Roles: []string{"admin"}}}}},
		{"users only stay users only, united", pack, []proposal.Match{match("vip", proposal.EffectRequireApproval), match("vip2", proposal.EffectRequireApproval)},
			ApprovalPlan{Users: []string{"dana", "eve"}, Count: 1, SLA: 30 * time.Minute, OnTimeout: "expire",
				Escalate: []EscalationLevel{{Users: []string{"lead"}}}}},
		{"users and roles", pack, []proposal.Match{match("vip", proposal.EffectRequireApproval), match("big", proposal.EffectRequireApproval)},
			ApprovalPlan{Roles: []string{"approver"}, Users: []string{"dana"}, Count: 2, SLA: 30 * time.Minute, OnTimeout: "expire",
				Escalate: []EscalationLevel{{Users: []string{"lead"}}}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := tc.pack.PlanFor(&proposal.Decision{Effect: proposal.EffectRequireApproval, Matched: tc.matched})
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("PlanFor\n got %+v\nwant %+v", got, tc.want)
			}
		})
	}
}

func TestHighestRole(t *testing.T) {
	for _, tc := range []struct {
		in   []string
		want string
	}{
		{nil, ""},
		{[]string{"approver", "admin", "architect"}, "admin"},
		{[]string{"marketer", "approver"}, "approver"},
		{[]string{"team-lead", "approver"}, "approver"},
	} {
		if got := highestRole(tc.in); got != tc.want {
			t.Errorf("highestRole(%v) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestRequestForAndApplyPlan(t *testing.T) {
	now := time.Date(2026, 6, 1, 9, 0, 0, 0, time.UTC)
	plan := ApprovalPlan{Roles: []string{"approver"}, Count: 2, SegregationOfDuties: true, SLA: 4 * time.Hour, OnTimeout: "deny",
		Escalate: []EscalationLevel{{Users: []string{"lead"}, SLA: time.Hour}, {Roles: []string{"admin"}}}}
	p := &proposal.Proposal{ID: "p_1", Agent: "a1"}
	r := RequestFor(p, store.Agent{Name: "a1", Owner: "maria"}, plan, "agent:a1", now)
	want := store.ApprovalRequest{ProposalID: "p_1", Agent: "a1", Owner: "maria", Requester: "agent:a1",
		Chain: []store.ApprovalLevel{{Roles: []string{"approver"}, SLA: 4 * time.Hour}, {Users: []string{"lead"}, SLA: time.Hour},
			{Roles: []string{"admin"}, SLA: 4 * time.Hour}},
		Required: 2, SoD: true, OnTimeout: "deny", DueAt: now.Add(4 * time.Hour), State: store.ApprovalOpen, CreatedAt: now, UpdatedAt: now}
	if !reflect.DeepEqual(r, want) {
		t.Errorf("RequestFor\n got %+v\nwant %+v", r, want)
	}
	var d proposal.Decision
	ApplyPlan(&d, ApprovalPlan{Roles: []string{"architect"}, Users: []string{"dana"}, Count: 2, SegregationOfDuties: true})
	if !reflect.DeepEqual(d.Approvers, []string{"role:architect", "user:dana"}) || d.Required != 2 || !d.SegregationOfDuties {
		t.Errorf("ApplyPlan: %+v", d)
	}
	ApplyPlan(&d, ApprovalPlan{})
	if !reflect.DeepEqual(d.Approvers, []string{"role:approver"}) || d.Required != 1 || d.SegregationOfDuties {
		t.Errorf("ApplyPlan of an empty plan: %+v", d)
	}
}

func TestTallyOf(t *testing.T) {
	ok := func(by, behalf string) proposal.Approval {
		return proposal.Approval{By: by, Verdict: "approved", OnBehalfOf: behalf}
	}
	for _, tc := range []struct {
		name      string
		required  int
		sod       bool
		approvals []proposal.Approval
		approvers int
		met       bool
	}{
		{"none", 1, false, nil, 0, false},
		{"one of one", 1, false, []proposal.Approval{ok("ana", "")}, 1, true},
		{"one of two", 2, false, []proposal.Approval{ok("ana", "")}, 1, false},
		{"two of two", 2, false, []proposal.Approval{ok("ana", ""), ok("bo", "")}, 2, true},
		{"the same person twice counts once", 2, false, []proposal.Approval{ok("ana", ""), ok("ana", "")}, 1, false},
		{"a delegate for someone who approved counts once", 2, false, []proposal.Approval{ok("bo", ""), ok("ana", "bo")}, 1, false},
		{"a person for themselves and as a delegate counts once", 2, false, []proposal.Approval{ok("ana", ""), ok("ana", "bo")}, 1, false},
		{"a delegate and another person", 2, false, []proposal.Approval{ok("ana", "bo"), ok("cy", "")}, 2, true},
		{"owner alone under SoD", 1, true, []proposal.Approval{ok("maria", "")}, 1, false},
		{"requester alone under SoD", 1, true, []proposal.Approval{ok("rob", "")}, 1, false},
		{"owner's delegate alone under SoD", 1, true, []proposal.Approval{ok("ana", "maria")}, 1, false},
		{"owner and requester under SoD", 2, true, []proposal.Approval{ok("maria", ""), ok("rob", "")}, 2, false},
		{"owner and another under SoD", 1, true, []proposal.Approval{ok("maria", ""), ok("cy", "")}, 2, true},
		{"owner alone without SoD", 1, false, []proposal.Approval{ok("maria", "")}, 1, true},
		{"rejections do not count", 1, false, []proposal.Approval{{By: "ana", Verdict: "rejected"}}, 0, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := &store.ApprovalRequest{ProposalID: "p", Owner: "maria", Requester: "user:rob", Required: tc.required, SoD: tc.sod}
			got := TallyOf(r, tc.approvals)
			if got.Approvers != tc.approvers || got.Met != tc.met {
				t.Errorf("tally = %+v, want %d approvers, met %v", got, tc.approvers, tc.met)
			}
			if msg := got.Missing(r); (msg == "") != tc.met {
				t.Errorf("Missing = %q with met %v", msg, tc.met)
			}
		})
	}
}
