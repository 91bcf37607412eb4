package fleet

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/towerops/tower/internal/audit"
	"github.com/towerops/tower/internal/proposal"
	"github.com/towerops/tower/internal/store"
)

// ErrReasonRequired is returned (wrapped) when a rejection gives no reason.
var ErrReasonRequired = errors.New("say why you reject it: a reason is required")

// Decide records a person's verdict: approve (approved = true) or reject.
// Only a pending proposal can be decided; the reason is required to reject.
func (l *Lifecycle) Decide(ctx context.Context, id, user string, approved bool, reason string) (*proposal.Proposal, error) {
	if user == "" {
		return nil, errors.New("who decides? a user name is required")
	}
	if !approved && strings.TrimSpace(reason) == "" {
		return nil, ErrReasonRequired
	}
	now := l.now()
	to, verdict := proposal.StatusApproved, "approved"
	if !approved {
		to, verdict = proposal.StatusRejected, "rejected"
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
		dec := proposal.Decision{}
		if p.Decision != nil {
			dec = *p.Decision
		}
		dec.Approvals = append(dec.Approvals, proposal.Approval{By: user, Verdict: verdict, Reason: reason, At: now})
		out, err = q.ProposalUpdate(ctx, &store.ProposalUpdateParams{ID: id, From: proposal.StatusPendingApproval, To: to, Decision: &dec, At: now})
		if err != nil {
			return err
		}
		if err := audit.Append(ctx, q, audit.Entry{Actor: "user:" + user, Action: "proposal." + verdict,
			Subject: "proposal:" + id, At: now, Data: map[string]any{"reason": reason}}); err != nil {
			return err
		}
		if approved && l.Enqueuer != nil {
			return l.Enqueuer.EnqueueExecute(ctx, q, []string{id})
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}
