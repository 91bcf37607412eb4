package storetest

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/towerops/tower/internal/proposal"
	"github.com/towerops/tower/internal/store"
)

// approvalTests check approval requests and delegations
// (store.Governance).
var approvalTests = []test{
	{"ApprovalRequestsRoundTrip", testApprovalRoundTrip},
	{"ApprovalRequestsInsertConflict", testApprovalInsertConflict},
	{"ApprovalRequestsListFiltersAndPages", testApprovalList},
	{"ApprovalRequestsDueOrder", testApprovalDue},
	{"ApprovalRequestEscalateCAS", testApprovalEscalate},
	{"ApprovalRequestEscalateRacesFireOnce", testApprovalEscalateRace},
	{"ApprovalRequestClose", testApprovalClose},
	{"ApprovalConflictFailsTx", testApprovalConflictFailsTx},
	{"ProposalDecisionSet", testProposalDecisionSet},
	{"Delegations", testDelegations},
}

var at0 = time.Date(2026, 5, 4, 9, 0, 0, 123456789, time.UTC)

func approvalRequest(id string, due time.Time) store.ApprovalRequest {
	return store.ApprovalRequest{
		ProposalID: id, Agent: "a1", Owner: "maria", Requester: "agent:a1",
		Chain: []store.ApprovalLevel{
			{Roles: []string{"approver"}, SLA: 4 * time.Hour},
			{Users: []string{"lead"}, SLA: 2 * time.Hour},
			{Roles: []string{"admin"}, Users: []string{"head"}, SLA: time.Hour},
		},
		Required: 2, SoD: true, OnTimeout: "deny", DueAt: due,
		CreatedAt: at0, UpdatedAt: at0,
	}
}

func insertRequests(t *testing.T, q store.Governance, rs ...store.ApprovalRequest) {
	t.Helper()
	if err := q.ApprovalRequestsInsert(ctx(t), &store.ApprovalRequestsInsertParams{Requests: rs}); err != nil {
		t.Fatalf("ApprovalRequestsInsert: %v", err)
	}
}

func getRequest(t *testing.T, q store.Governance, id string) store.ApprovalRequest {
	t.Helper()
	return *must[*store.ApprovalRequest](t)(q.ApprovalRequestGet(ctx(t), &store.ApprovalRequestGetParams{ProposalID: id}))
}

func checkRequest(t *testing.T, got, want store.ApprovalRequest) {
	t.Helper()
	checkTime(t, want.ProposalID+" DueAt", got.DueAt, want.DueAt)
	checkTime(t, want.ProposalID+" CreatedAt", got.CreatedAt, want.CreatedAt)
	checkTime(t, want.ProposalID+" UpdatedAt", got.UpdatedAt, want.UpdatedAt)
	got.DueAt, got.CreatedAt, got.UpdatedAt = time.Time{}, time.Time{}, time.Time{}
	want.DueAt, want.CreatedAt, want.UpdatedAt = time.Time{}, time.Time{}, time.Time{}
	checkEqual(t, want.ProposalID, got, want)
}

func testApprovalRoundTrip(t *testing.T, s store.Store) {
	r := approvalRequest("p_1", at0.Add(4*time.Hour))
	plain := store.ApprovalRequest{ProposalID: "p_2", DueAt: at0, CreatedAt: at0, UpdatedAt: at0} // defaults
	insertRequests(t, s, r, plain)
	r.State = store.ApprovalOpen
	checkRequest(t, getRequest(t, s, "p_1"), r)
	plain.State, plain.Required, plain.OnTimeout, plain.Chain = store.ApprovalOpen, 1, "expire", []store.ApprovalLevel{}
	checkRequest(t, getRequest(t, s, "p_2"), plain)
	_, err := s.ApprovalRequestGet(ctx(t), &store.ApprovalRequestGetParams{ProposalID: "p_none"})
	wantNotFound(t, "ApprovalRequestGet(p_none)", err)
}

func testApprovalInsertConflict(t *testing.T, s store.Store) {
	insertRequests(t, s, approvalRequest("p_1", at0))
	err := s.ApprovalRequestsInsert(ctx(t), &store.ApprovalRequestsInsertParams{Requests: []store.ApprovalRequest{
		approvalRequest("p_2", at0), approvalRequest("p_1", at0)}})
	if !errors.Is(err, store.ErrConflict) {
		t.Fatalf("second request for p_1: err = %v, want ErrConflict", err)
	}
	// The batch is all or nothing.
	_, err = s.ApprovalRequestGet(ctx(t), &store.ApprovalRequestGetParams{ProposalID: "p_2"})
	wantNotFound(t, "p_2 after a failed batch", err)
	err = s.ApprovalRequestsInsert(ctx(t), &store.ApprovalRequestsInsertParams{Requests: []store.ApprovalRequest{
		approvalRequest("p_3", at0), approvalRequest("p_3", at0)}})
	if !errors.Is(err, store.ErrConflict) {
		t.Fatalf("the same proposal twice in a batch: err = %v, want ErrConflict", err)
	}
}

func testApprovalList(t *testing.T, s store.Store) {
	var rs []store.ApprovalRequest
	for i, id := range seq("p", 7) {
		r := approvalRequest(id, at0.Add(time.Duration(7-i)*time.Minute))
		if i%2 == 1 {
			r.Agent = "a2"
		}
		rs = append(rs, r)
	}
	insertRequests(t, s, rs...)
	if err := s.ApprovalRequestClose(ctx(t), &store.ApprovalRequestCloseParams{ProposalID: "p-003", State: store.ApprovalApproved, At: at0}); err != nil {
		t.Fatal(err)
	}
	key := func(r store.ApprovalRequest) string { return r.ProposalID }
	all := must[[]store.ApprovalRequest](t)(s.ApprovalRequestsList(ctx(t), &store.ApprovalRequestsListParams{}))
	checkEqual(t, "all", ids(all, key), seq("p", 7))
	open := must[[]store.ApprovalRequest](t)(s.ApprovalRequestsList(ctx(t), &store.ApprovalRequestsListParams{State: store.ApprovalOpen}))
	checkEqual(t, "open", ids(open, key), []string{"p-001", "p-002", "p-004", "p-005", "p-006", "p-007"})
	a2 := must[[]store.ApprovalRequest](t)(s.ApprovalRequestsList(ctx(t), &store.ApprovalRequestsListParams{Agent: "a2"}))
	checkEqual(t, "agent a2", ids(a2, key), []string{"p-002", "p-004", "p-006"})
	var paged []string
	after := ""
	for {
		page := must[[]store.ApprovalRequest](t)(s.ApprovalRequestsList(ctx(t), &store.ApprovalRequestsListParams{After: after, Limit: 3}))
		if len(page) == 0 {
			break
		}
		paged = append(paged, ids(page, key)...)
		after = page[len(page)-1].ProposalID
	}
	checkEqual(t, "paged by After", paged, seq("p", 7))
}

func testApprovalDue(t *testing.T, s store.Store) {
	// Due times run backwards to the ids, and two share a time.
	insertRequests(t, s,
		approvalRequest("p_a", at0.Add(3*time.Hour)),
		approvalRequest("p_b", at0.Add(2*time.Hour)),
		approvalRequest("p_c", at0.Add(time.Hour)),
		approvalRequest("p_d", at0.Add(time.Hour)),
		approvalRequest("p_e", at0.Add(5*time.Hour)))
	if err := s.ApprovalRequestClose(ctx(t), &store.ApprovalRequestCloseParams{ProposalID: "p_b", State: store.ApprovalRejected}); err != nil {
		t.Fatal(err)
	}
	key := func(r store.ApprovalRequest) string { return r.ProposalID }
	due := must[[]store.ApprovalRequest](t)(s.ApprovalRequestsDue(ctx(t), &store.ApprovalRequestsDueParams{Now: at0.Add(3 * time.Hour)}))
	checkEqual(t, "due at +3h (inclusive, closed left out)", ids(due, key), []string{"p_c", "p_d", "p_a"})
	due = must[[]store.ApprovalRequest](t)(s.ApprovalRequestsDue(ctx(t), &store.ApprovalRequestsDueParams{Now: at0.Add(3 * time.Hour), Limit: 1}))
	checkEqual(t, "due limit 1", ids(due, key), []string{"p_c"})
	due = must[[]store.ApprovalRequest](t)(s.ApprovalRequestsDue(ctx(t), &store.ApprovalRequestsDueParams{Now: at0}))
	checkEqual(t, "nothing due yet", len(due), 0)
}

func testApprovalEscalate(t *testing.T, s store.Store) {
	insertRequests(t, s, approvalRequest("p_1", at0))
	next := at0.Add(2 * time.Hour)
	if err := s.ApprovalRequestEscalate(ctx(t), &store.ApprovalRequestEscalateParams{ProposalID: "p_1", FromLevel: 0, ToLevel: 1, DueAt: next, At: at0.Add(time.Minute)}); err != nil {
		t.Fatal(err)
	}
	got := getRequest(t, s, "p_1")
	if got.Level != 1 || got.State != store.ApprovalOpen {
		t.Errorf("after escalate: level %d state %s, want 1 open", got.Level, got.State)
	}
	checkTime(t, "DueAt after escalate", got.DueAt, next)
	checkTime(t, "UpdatedAt after escalate", got.UpdatedAt, at0.Add(time.Minute))
	// A second sweeper that read level 0 loses.
	err := s.ApprovalRequestEscalate(ctx(t), &store.ApprovalRequestEscalateParams{ProposalID: "p_1", FromLevel: 0, ToLevel: 1, DueAt: next.Add(time.Hour)})
	if !errors.Is(err, store.ErrConflict) {
		t.Fatalf("stale escalate: err = %v, want ErrConflict", err)
	}
	checkTime(t, "DueAt after stale escalate", getRequest(t, s, "p_1").DueAt, next)
	err = s.ApprovalRequestEscalate(ctx(t), &store.ApprovalRequestEscalateParams{ProposalID: "p_none", FromLevel: 0, ToLevel: 1, DueAt: next})
	wantNotFound(t, "escalate unknown", err)
	if err := s.ApprovalRequestClose(ctx(t), &store.ApprovalRequestCloseParams{ProposalID: "p_1", State: store.ApprovalExpired}); err != nil {
		t.Fatal(err)
	}
	err = s.ApprovalRequestEscalate(ctx(t), &store.ApprovalRequestEscalateParams{ProposalID: "p_1", FromLevel: 1, ToLevel: 2, DueAt: next})
	if !errors.Is(err, store.ErrConflict) {
		t.Fatalf("escalate closed: err = %v, want ErrConflict", err)
	}
}

// testApprovalEscalateRace runs eight sweepers on the same request at once:
// exactly one moves it.
func testApprovalEscalateRace(t *testing.T, s store.Store) {
	insertRequests(t, s, approvalRequest("p_1", at0))
	var wg sync.WaitGroup
	var mu sync.Mutex
	won, lost := 0, 0
	for range 8 {
		wg.Go(func() {
			err := s.InTx(ctx(t), func(ctx context.Context, q store.Queries) error {
				return q.ApprovalRequestEscalate(ctx, &store.ApprovalRequestEscalateParams{ProposalID: "p_1", FromLevel: 0, ToLevel: 1, DueAt: at0.Add(time.Hour)})
			})
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err == nil:
				won++
			case errors.Is(err, store.ErrConflict):
				lost++
			default:
				t.Errorf("escalate: %v", err)
			}
		})
	}
	wg.Wait()
	if won != 1 || lost != 7 {
		t.Errorf("won %d, lost %d; want 1 and 7", won, lost)
	}
}

func testApprovalClose(t *testing.T, s store.Store) {
	insertRequests(t, s, approvalRequest("p_1", at0))
	if err := s.ApprovalRequestClose(ctx(t), &store.ApprovalRequestCloseParams{ProposalID: "p_1", State: store.ApprovalSuperseded, At: at0.Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	got := getRequest(t, s, "p_1")
	checkEqual(t, "state", got.State, store.ApprovalSuperseded)
	checkTime(t, "UpdatedAt", got.UpdatedAt, at0.Add(time.Hour))
	err := s.ApprovalRequestClose(ctx(t), &store.ApprovalRequestCloseParams{ProposalID: "p_1", State: store.ApprovalApproved})
	if !errors.Is(err, store.ErrConflict) {
		t.Fatalf("closing twice: err = %v, want ErrConflict", err)
	}
	checkEqual(t, "state after second close", getRequest(t, s, "p_1").State, store.ApprovalSuperseded)
	err = s.ApprovalRequestClose(ctx(t), &store.ApprovalRequestCloseParams{ProposalID: "p_none", State: store.ApprovalApproved})
	wantNotFound(t, "close unknown", err)
}

// testApprovalConflictFailsTx: a lost compare-and-set inside InTx rolls
// back what the transaction wrote before it.
func testApprovalConflictFailsTx(t *testing.T, s store.Store) {
	insertRequests(t, s, approvalRequest("p_1", at0))
	err := s.InTx(ctx(t), func(ctx context.Context, q store.Queries) error {
		if err := q.DelegationSet(ctx, &store.DelegationSetParams{From: "ana", To: "bo", Until: at0.Add(time.Hour)}); err != nil {
			return err
		}
		_ = q.ApprovalRequestEscalate(ctx, &store.ApprovalRequestEscalateParams{ProposalID: "p_1", FromLevel: 2, ToLevel: 3, DueAt: at0})
		return nil
	})
	if !errors.Is(err, store.ErrTxFailed) {
		t.Fatalf("InTx after a lost CAS: err = %v, want ErrTxFailed", err)
	}
	ds := must[[]store.Delegation](t)(s.DelegationsList(ctx(t), &store.DelegationsListParams{}))
	checkEqual(t, "delegations after rollback", len(ds), 0)
}

func testProposalDecisionSet(t *testing.T, s store.Store) {
	p := newProposal("p_1", "a1", "k1", proposal.StatusPendingApproval, at0)
	p.Decision = &proposal.Decision{Effect: proposal.EffectRequireApproval, Required: 2, DecidedAt: at0}
	insertProposals(t, s, p)
	d := *p.Decision
	d.Approvals = []proposal.Approval{{By: "ana", Verdict: "approved", At: at0.Add(time.Minute)}}
	got := must[*proposal.Proposal](t)(s.ProposalDecisionSet(ctx(t), &store.ProposalDecisionSetParams{
		ID: "p_1", Status: proposal.StatusPendingApproval, Decision: d, At: at0.Add(time.Minute)}))
	if got.Status != proposal.StatusPendingApproval || len(got.Decision.Approvals) != 1 {
		t.Errorf("returned %s with %d approvals, want pending with 1", got.Status, len(got.Decision.Approvals))
	}
	read := must[*proposal.Proposal](t)(s.ProposalGet(ctx(t), &store.ProposalGetParams{ID: "p_1"}))
	want := p
	want.Decision = &d
	want.UpdatedAt = at0.Add(time.Minute)
	checkEqual(t, "approval read back", read.Decision.Approvals[0].By, "ana")
	read.Decision.Approvals[0].At, want.Decision.Approvals = time.Time{}, []proposal.Approval{{By: "ana", Verdict: "approved"}}
	checkProposal(t, *read, want)

	_, err := s.ProposalDecisionSet(ctx(t), &store.ProposalDecisionSetParams{ID: "p_1", Status: proposal.StatusApproved, Decision: d})
	if !errors.Is(err, store.ErrConflict) {
		t.Errorf("wrong status: err = %v, want ErrConflict", err)
	}
	_, err = s.ProposalDecisionSet(ctx(t), &store.ProposalDecisionSetParams{ID: "p_none", Status: proposal.StatusPendingApproval, Decision: d})
	wantNotFound(t, "ProposalDecisionSet(p_none)", err)
}

func testDelegations(t *testing.T, s store.Store) {
	set := func(from, to string, until time.Time) {
		t.Helper()
		if err := s.DelegationSet(ctx(t), &store.DelegationSetParams{From: from, To: to, Until: until, At: at0}); err != nil {
			t.Fatalf("DelegationSet(%s→%s): %v", from, to, err)
		}
	}
	set("zoe", "ana", at0.Add(48*time.Hour))
	set("bo", "cy", at0.Add(time.Hour))
	set("ana", "bo", at0.Add(24*time.Hour))
	set("ana", "dee", at0.Add(72*time.Hour)) // replaces ana→bo
	key := func(d store.Delegation) string { return fmt.Sprintf("%s>%s", d.From, d.To) }
	all := must[[]store.Delegation](t)(s.DelegationsList(ctx(t), &store.DelegationsListParams{}))
	checkEqual(t, "all", ids(all, key), []string{"ana>dee", "bo>cy", "zoe>ana"})
	checkTime(t, "ana until", all[0].Until, at0.Add(72*time.Hour))
	checkTime(t, "ana created", all[0].CreatedAt, at0)
	inForce := must[[]store.Delegation](t)(s.DelegationsList(ctx(t), &store.DelegationsListParams{At: at0.Add(time.Hour)}))
	checkEqual(t, "in force at +1h (until is exclusive)", ids(inForce, key), []string{"ana>dee", "zoe>ana"})
	set("zoe", "", time.Time{}) // clear
	all = must[[]store.Delegation](t)(s.DelegationsList(ctx(t), &store.DelegationsListParams{}))
	checkEqual(t, "after clearing zoe", ids(all, key), []string{"ana>dee", "bo>cy"})
	if err := s.DelegationSet(ctx(t), &store.DelegationSetParams{From: "ana", To: "ana", Until: at0.Add(time.Hour)}); err == nil {
		t.Error("a delegation to oneself was accepted")
	}
}
