package postgres

import (
	"context"

	"github.com/towerops/tower/internal/proposal"
	"github.com/towerops/tower/internal/store"
)

// The approval writes inside InTx, guarded like the others (see
// txQueries): a lost compare-and-set (ErrConflict) fails the transaction,
// so an escalation or a decision that lost its race commits nothing.

func (t *txQueries) ApprovalRequestsInsert(ctx context.Context, p *store.ApprovalRequestsInsertParams) error {
	return guardErr(t, ctx, p, t.queries.ApprovalRequestsInsert)
}

func (t *txQueries) ApprovalRequestEscalate(ctx context.Context, p *store.ApprovalRequestEscalateParams) error {
	return guardErr(t, ctx, p, t.queries.ApprovalRequestEscalate)
}

func (t *txQueries) ApprovalRequestClose(ctx context.Context, p *store.ApprovalRequestCloseParams) error {
	return guardErr(t, ctx, p, t.queries.ApprovalRequestClose)
}

func (t *txQueries) ProposalDecisionSet(ctx context.Context, p *store.ProposalDecisionSetParams) (*proposal.Proposal, error) {
	return guardDo(t, ctx, p, t.queries.ProposalDecisionSet)
}

func (t *txQueries) DelegationSet(ctx context.Context, p *store.DelegationSetParams) error {
	return guardErr(t, ctx, p, t.queries.DelegationSet)
}
