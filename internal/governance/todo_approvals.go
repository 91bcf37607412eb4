package governance

import (
	"time"

	"github.com/towerops/tower/internal/proposal"
	"github.com/towerops/tower/internal/store"
)

// This file holds the approval signatures until they are written.

// PlanFor merges the approval plans of the rules a decision matched with
// the pack's defaults: who approves, how many, SoD, the chain and what
// happens on timeout.
func (p *Pack) PlanFor(d *proposal.Decision) ApprovalPlan { return ApprovalPlan{} }

// RequestFor builds the approval request of a proposal that went to
// pending_approval.
func RequestFor(p *proposal.Proposal, a store.Agent, plan ApprovalPlan, requester string, now time.Time) store.ApprovalRequest {
	return store.ApprovalRequest{}
}
