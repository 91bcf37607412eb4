package fleet

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/towerops/tower/internal/governance"
	"github.com/towerops/tower/internal/proposal"
	"github.com/towerops/tower/internal/store"
	"github.com/towerops/tower/internal/store/eachbackend"
)

// seedPeople registers the people of the approval tests: approvers ana,
// bo and maria (the agent's owner), marketers cy and lead, and dora, a
// disabled approver.
func seedPeople(t *testing.T, st store.Store) {
	t.Helper()
	users := []store.User{{Name: "ana", Role: store.RoleApprover}, {Name: "bo", Role: store.RoleApprover},
		{Name: "maria", Role: store.RoleApprover}, {Name: "cy", Role: store.RoleMarketer}, {Name: "lead", Role: store.RoleMarketer},
		{Name: "dora", Role: store.RoleApprover, Disabled: true}}
	if err := st.UsersUpsert(context.Background(), &store.UsersUpsertParams{Users: users}); err != nil {
		t.Fatal(err)
	}
}

// pendingTag writes a pending proposal of agent a1 (owner maria) with the
// approval request plan gives it; withRequest false leaves it without
// one, as proposals written before approval requests existed.
func pendingTag(t *testing.T, st store.Store, key string, plan governance.ApprovalPlan, withRequest bool) *proposal.Proposal {
	t.Helper()
	p := proposal.New(proposal.Draft{Agent: "a1", Title: "tag " + key, Key: key, Confidence: 0.9,
		Actions: []proposal.Action{{Kind: proposal.Tag, Targets: []proposal.Target{{Type: proposal.TargetPerson, ID: "1"}, {Type: proposal.TargetPerson, ID: "2"}},
			Params: map[string]any{"tag": "vip"}}}}, "test-fleet", t0)
	p.Status = proposal.StatusPendingApproval
	d := proposal.Decision{Effect: proposal.EffectRequireApproval, Autonomy: "approve", Rules: []string{"test"}, DecidedAt: t0}
	governance.ApplyPlan(&d, plan)
	p.Decision = &d
	err := st.InTx(context.Background(), func(ctx context.Context, q store.Queries) error {
		if _, err := q.ProposalsInsert(ctx, &store.ProposalsInsertParams{Proposals: []proposal.Proposal{p}}); err != nil {
			return err
		}
		if !withRequest {
			return nil
		}
		r := governance.RequestFor(&p, store.Agent{Name: "a1", Owner: "maria"}, plan, "agent:a1", t0)
		return q.ApprovalRequestsInsert(ctx, &store.ApprovalRequestsInsertParams{Requests: []store.ApprovalRequest{r}})
	})
	if err != nil {
		t.Fatal(err)
	}
	return &p
}

type step struct {
	user    string
	approve bool
	reason  string
	wantErr error  // nil: no error
	errHas  string // the error says this
	status  proposal.Status
}

func TestDecideFollowsTheApprovalRequest(t *testing.T) {
	for _, tc := range []struct {
		name        string
		plan        governance.ApprovalPlan
		noRequest   bool
		delegations []store.DelegationSetParams
		steps       []step
		finalState  string // the request's state at the end ("" with no request)
		onBehalfOf  string // of the last approval
	}{
		{name: "two of role approver", plan: governance.ApprovalPlan{Roles: []string{"approver"}, Count: 2}, steps: []step{
			{user: "ana", approve: true, status: proposal.StatusPendingApproval},
			{user: "ana", approve: true, wantErr: governance.ErrAlreadyApproved, errHas: "1 of 2"},
			{user: "bo", approve: true, status: proposal.StatusApproved},
		}, finalState: store.ApprovalApproved},
		{name: "owner alone cannot approve under SoD", plan: governance.ApprovalPlan{SegregationOfDuties: true}, steps: []step{
			{user: "maria", approve: true, status: proposal.StatusPendingApproval},
			{user: "ana", approve: true, status: proposal.StatusApproved},
		}, finalState: store.ApprovalApproved},
		{name: "owner may approve without SoD", plan: governance.ApprovalPlan{}, steps: []step{
			{user: "maria", approve: true, status: proposal.StatusApproved},
		}, finalState: store.ApprovalApproved},
		{name: "a delegate approves on behalf", plan: governance.ApprovalPlan{Users: []string{"lead"}},
			delegations: []store.DelegationSetParams{{From: "lead", To: "cy", Until: t0.Add(48 * time.Hour)}},
			steps: []step{
				{user: "ana", approve: true, wantErr: governance.ErrNotEligible, errHas: "lead"},
				{user: "cy", approve: true, status: proposal.StatusApproved},
			}, finalState: store.ApprovalApproved, onBehalfOf: "lead"},
		{name: "an expired delegation does not count", plan: governance.ApprovalPlan{Users: []string{"lead"}},
			delegations: []store.DelegationSetParams{{From: "lead", To: "cy", Until: t0.Add(-time.Hour)}},
			steps: []step{
				{user: "cy", approve: true, wantErr: governance.ErrNotEligible},
				{user: "lead", approve: true, status: proposal.StatusApproved},
			}, finalState: store.ApprovalApproved},
		{name: "not eligible: a marketer, a disabled approver", plan: governance.ApprovalPlan{}, steps: []step{
			{user: "cy", approve: true, wantErr: governance.ErrNotEligible, errHas: "role approver"},
			{user: "dora", approve: false, reason: "no", wantErr: governance.ErrNotEligible, errHas: "disabled"},
			{user: "bo", approve: true, status: proposal.StatusApproved},
		}, finalState: store.ApprovalApproved},
		{name: "rejection needs a reason; one rejection rejects", plan: governance.ApprovalPlan{Count: 2}, steps: []step{
			{user: "ana", approve: true, status: proposal.StatusPendingApproval},
			{user: "bo", approve: false, wantErr: ErrReasonRequired},
			{user: "bo", approve: false, reason: "wrong segment", status: proposal.StatusRejected},
			{user: "maria", approve: true, wantErr: proposal.ErrIllegalTransition},
		}, finalState: store.ApprovalRejected},
		{name: "older proposal without a request: one approver", noRequest: true, steps: []step{
			{user: "cy", approve: true, wantErr: governance.ErrNotEligible},
			{user: "ops", approve: true, status: proposal.StatusApproved}, // not a registered user: the local command line
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			eachbackend.Run(t, func(t *testing.T, st store.Store) {
				ctx := context.Background()
				seed(t, st, store.Agent{Name: "a1"})
				seedPeople(t, st)
				for _, d := range tc.delegations {
					if err := st.DelegationSet(ctx, &d); err != nil {
						t.Fatal(err)
					}
				}
				p := pendingTag(t, st, "k", tc.plan, !tc.noRequest)
				lc := &Lifecycle{Store: st, Now: func() time.Time { return t0.Add(time.Hour) }}
				var got *proposal.Proposal
				for i, s := range tc.steps {
					out, err := lc.Decide(ctx, p.ID, s.user, s.approve, s.reason)
					if s.wantErr != nil {
						if !errors.Is(err, s.wantErr) || !strings.Contains(errString(err), s.errHas) {
							t.Fatalf("step %d (%s): err = %v, want %v saying %q", i, s.user, err, s.wantErr, s.errHas)
						}
						continue
					}
					if err != nil {
						t.Fatalf("step %d (%s): %v", i, s.user, err)
					}
					if out.Status != s.status {
						t.Fatalf("step %d (%s): status %s, want %s", i, s.user, out.Status, s.status)
					}
					got = out
				}
				read, err := st.ProposalGet(ctx, &store.ProposalGetParams{ID: p.ID})
				if err != nil || read.Status != got.Status || len(read.Decision.Approvals) != len(got.Decision.Approvals) {
					t.Fatalf("stored %+v, %v; returned %+v", read, err, got)
				}
				last := got.Decision.Approvals[len(got.Decision.Approvals)-1]
				if last.OnBehalfOf != tc.onBehalfOf {
					t.Errorf("last approval on behalf of %q, want %q", last.OnBehalfOf, tc.onBehalfOf)
				}
				r, err := st.ApprovalRequestGet(ctx, &store.ApprovalRequestGetParams{ProposalID: p.ID})
				if tc.finalState == "" {
					if !errors.Is(err, store.ErrNotFound) {
						t.Errorf("a request appeared: %+v, %v", r, err)
					}
				} else if err != nil || r.State != tc.finalState {
					t.Errorf("request %+v, %v; want state %s", r, err, tc.finalState)
				}
				verifyAudit(t, st)
			})
		})
	}
}

func errString(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

// TestDecideAuditsPartialApprovalsAndSaysWhatIsMissing: a partial approval
// is audited as proposal.approval, the final one as proposal.approved,
// and the progress sentence names what is still missing.
func TestDecideAuditsPartialApprovalsAndSaysWhatIsMissing(t *testing.T) {
	eachbackend.Run(t, func(t *testing.T, st store.Store) {
		ctx := context.Background()
		seed(t, st, store.Agent{Name: "a1"})
		seedPeople(t, st)
		p := pendingTag(t, st, "k", governance.ApprovalPlan{Count: 2, SegregationOfDuties: true}, true)
		lc := &Lifecycle{Store: st, Now: func() time.Time { return t0.Add(time.Hour) }}
		out, err := lc.Decide(ctx, p.ID, "maria", true, "")
		if err != nil {
			t.Fatal(err)
		}
		msg, err := lc.ApprovalProgress(ctx, out)
		if err != nil || !strings.Contains(msg, "1 of 2") || !strings.Contains(msg, "segregation of duties") || !strings.Contains(msg, "maria") {
			t.Fatalf("progress %q, %v", msg, err)
		}
		if out, err = lc.Decide(ctx, p.ID, "ana", true, ""); err != nil || out.Status != proposal.StatusApproved {
			t.Fatalf("second approval: %+v, %v", out, err)
		}
		entries, err := st.AuditList(ctx, &store.AuditListParams{})
		if err != nil {
			t.Fatal(err)
		}
		var actions []string
		for _, e := range entries {
			actions = append(actions, e.Action+" by "+e.Actor)
		}
		want := []string{"proposal.approval by user:maria", "proposal.approved by user:ana"}
		if strings.Join(actions, ", ") != strings.Join(want, ", ") {
			t.Errorf("audit %v, want %v", actions, want)
		}
	})
}

// TestEscalationWidensWhoMayApprove: at level 0 only approvers may; once
// escalated to lead, lead may too, and approvers still may.
func TestEscalationWidensWhoMayApprove(t *testing.T) {
	eachbackend.Run(t, func(t *testing.T, st store.Store) {
		ctx := context.Background()
		seed(t, st, store.Agent{Name: "a1"})
		seedPeople(t, st)
		p := pendingTag(t, st, "k", governance.ApprovalPlan{Escalate: []governance.EscalationLevel{{Users: []string{"lead"}}}}, true)
		lc := &Lifecycle{Store: st, Now: func() time.Time { return t0.Add(time.Hour) }}
		if _, err := lc.Decide(ctx, p.ID, "lead", true, ""); !errors.Is(err, governance.ErrNotEligible) {
			t.Fatalf("lead before escalation: %v", err)
		}
		e := &governance.Escalator{Store: st, Now: func() time.Time { return t0.Add(25 * time.Hour) }}
		if n, err := e.Tick(ctx); err != nil || n != 1 {
			t.Fatalf("escalate: %d, %v", n, err)
		}
		out, err := lc.Decide(ctx, p.ID, "lead", true, "")
		if err != nil || out.Status != proposal.StatusApproved {
			t.Fatalf("lead after escalation: %+v, %v", out, err)
		}
	})
}
