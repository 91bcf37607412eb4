package fleet

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/towerops/tower/internal/audit"
	"github.com/towerops/tower/internal/governance"
	"github.com/towerops/tower/internal/proposal"
	"github.com/towerops/tower/internal/store"
)

// ErrReasonRequired is returned (wrapped) when a rejection gives no reason.
var ErrReasonRequired = errors.New("say why you reject it: a reason is required")

// Decide records a person's verdict: approve (approved = true) or reject.
// Only a pending proposal can be decided, and only by someone its approval
// request names — by role, by name, or as the delegate of such a person
// (governance.ErrNotEligible otherwise). The reason is required to reject.
//
// An approval is added to the decision; the proposal moves to approved
// only when the request's tally is met (enough distinct people and, with
// segregation of duties, one who is neither the agent's owner nor the
// requester); until then it stays pending_approval and ApprovalProgress
// says what it still waits for. One eligible rejection rejects it. A
// proposal written before approval requests existed needs one approver
// of role approver or higher.
func (l *Lifecycle) Decide(ctx context.Context, id, user string, approved bool, reason string) (*proposal.Proposal, error) {
	if user == "" {
		return nil, errors.New("who decides? a user name is required")
	}
	if !approved && strings.TrimSpace(reason) == "" {
		return nil, ErrReasonRequired
	}
	now := l.now()
	verdict := "approved"
	if !approved {
		verdict = "rejected"
	}
	var out *proposal.Proposal
	err := l.Store.InTx(ctx, func(ctx context.Context, q store.Queries) error {
		p, err := q.ProposalGet(ctx, &store.ProposalGetParams{ID: id})
		if err != nil {
			return err
		}
		if p.Status != proposal.StatusPendingApproval {
			return fmt.Errorf("%w: proposal %s is %s; only a proposal pending approval can be %s",
				proposal.ErrIllegalTransition, id, p.Status, verdict)
		}
		req, hasReq, err := requestOf(ctx, q, p, now)
		if err != nil {
			return err
		}
		who, err := governance.Eligible(ctx, q, req, user, now)
		if err != nil {
			return err
		}
		dec := proposal.Decision{}
		if p.Decision != nil {
			dec = *p.Decision
		}
		if approved && governance.HasApproved(dec.Approvals, user) {
			return fmt.Errorf("%s: %w; %s", user, governance.ErrAlreadyApproved,
				governance.TallyOf(req, dec.Approvals).Progress(req))
		}
		dec.Approvals = append(dec.Approvals, proposal.Approval{By: user, Verdict: verdict, Reason: reason, At: now, OnBehalfOf: who.OnBehalfOf})
		if !approved {
			out, err = l.reject(ctx, q, p, &dec, req, hasReq, user, reason, who)
			return err
		}
		tally := governance.TallyOf(req, dec.Approvals)
		if !tally.Met {
			if out, err = q.ProposalDecisionSet(ctx, &store.ProposalDecisionSetParams{ID: id, Status: proposal.StatusPendingApproval, Decision: dec, At: now}); err != nil {
				return err
			}
			return audit.Append(ctx, q, audit.Entry{Actor: "user:" + user, Action: "proposal.approval", Subject: "proposal:" + id, At: now,
				Data: map[string]any{"on_behalf_of": who.OnBehalfOf, "approvers": tally.Approvers, "required": tally.Required,
					"missing": tally.Missing(req), "reason": reason}})
		}
		out, err = l.approve(ctx, q, p, &dec, hasReq, user, reason, who, tally)
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// requestOf reads the proposal's approval request, or makes the one an
// older proposal implies (hasReq false).
func requestOf(ctx context.Context, q store.Queries, p *proposal.Proposal, now time.Time) (*store.ApprovalRequest, bool, error) {
	req, err := q.ApprovalRequestGet(ctx, &store.ApprovalRequestGetParams{ProposalID: p.ID})
	if errors.Is(err, store.ErrNotFound) {
		r := governance.LegacyRequest(p, now)
		return &r, false, nil
	}
	if err != nil {
		return nil, false, err
	}
	if req.State != store.ApprovalOpen {
		return nil, false, fmt.Errorf("%w: the approval request of proposal %s is already %s", proposal.ErrIllegalTransition, p.ID, req.State)
	}
	return req, true, nil
}

func (l *Lifecycle) approve(ctx context.Context, q store.Queries, p *proposal.Proposal, dec *proposal.Decision, hasReq bool,
	user, reason string, who governance.Approver, tally governance.Tally) (*proposal.Proposal, error) {
	now := l.now()
	out, err := q.ProposalUpdate(ctx, &store.ProposalUpdateParams{ID: p.ID, From: proposal.StatusPendingApproval,
		To: proposal.StatusApproved, Decision: dec, At: now})
	if err != nil {
		return nil, err
	}
	if hasReq {
		if err := q.ApprovalRequestClose(ctx, &store.ApprovalRequestCloseParams{ProposalID: p.ID, State: store.ApprovalApproved, At: now}); err != nil {
			return nil, err
		}
	}
	if err := audit.Append(ctx, q, audit.Entry{Actor: "user:" + user, Action: "proposal.approved", Subject: "proposal:" + p.ID, At: now,
		Data: map[string]any{"reason": reason, "on_behalf_of": who.OnBehalfOf, "approvers": approverNames(dec.Approvals), "required": tally.Required}}); err != nil {
		return nil, err
	}
	if p.Revises == "" {
		a, err := q.AgentGet(ctx, &store.AgentGetParams{Name: p.Agent})
		switch {
		case err == nil:
			if err := (governance.Earner{Pack: l.Pack}).Approved(ctx, q, out, *a, now); err != nil {
				return nil, err
			}
		case !errors.Is(err, store.ErrNotFound):
			return nil, err
		}
	}
	if l.Enqueuer != nil {
		if err := l.Enqueuer.EnqueueExecute(ctx, q, []string{p.ID}); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func (l *Lifecycle) reject(ctx context.Context, q store.Queries, p *proposal.Proposal, dec *proposal.Decision, req *store.ApprovalRequest,
	hasReq bool, user, reason string, who governance.Approver) (*proposal.Proposal, error) {
	now := l.now()
	out, err := q.ProposalUpdate(ctx, &store.ProposalUpdateParams{ID: p.ID, From: proposal.StatusPendingApproval,
		To: proposal.StatusRejected, Decision: dec, At: now})
	if err != nil {
		return nil, err
	}
	if hasReq {
		if err := q.ApprovalRequestClose(ctx, &store.ApprovalRequestCloseParams{ProposalID: p.ID, State: store.ApprovalRejected, At: now}); err != nil {
			return nil, err
		}
	}
	if err := audit.Append(ctx, q, audit.Entry{Actor: "user:" + user, Action: "proposal.rejected", Subject: "proposal:" + p.ID, At: now,
		Data: map[string]any{"reason": reason, "on_behalf_of": who.OnBehalfOf, "level": req.Level}}); err != nil {
		return nil, err
	}
	if err := (governance.Earner{Pack: l.Pack}).Reset(ctx, q, out, "rejected", now); err != nil {
		return nil, err
	}
	if _, err := (governance.Breaker{Pack: l.Pack}).Check(ctx, q, p.Agent, now); err != nil {
		return nil, err
	}
	return out, nil
}

func approverNames(as []proposal.Approval) []string {
	var out []string
	for _, a := range as {
		if a.Verdict == "approved" {
			out = append(out, a.By)
		}
	}
	return out
}

// ApprovalProgress says where a proposal's approval stands, in a sentence
// for the person who just approved it ("1 of 2 approval(s) so far; still
// waiting for ..."); "" for a proposal that is not pending approval.
func (l *Lifecycle) ApprovalProgress(ctx context.Context, p *proposal.Proposal) (string, error) {
	if p.Status != proposal.StatusPendingApproval {
		return "", nil
	}
	req, _, err := requestOf(ctx, l.Store, p, l.now())
	if err != nil {
		return "", err
	}
	var approvals []proposal.Approval
	if p.Decision != nil {
		approvals = p.Decision.Approvals
	}
	return governance.TallyOf(req, approvals).Progress(req), nil
}
