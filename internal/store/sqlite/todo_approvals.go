package sqlite

import (
	"context"
	"errors"

	"github.com/towerops/tower/internal/proposal"
	"github.com/towerops/tower/internal/store"
)

// errTodoApprovals marks approval-request and delegation queries not yet
// written for this backend.
var errTodoApprovals = errors.New("sqlite: approval requests are not implemented yet")

func (q *queries) ApprovalRequestsInsert(ctx context.Context, p *store.ApprovalRequestsInsertParams) error {
	return errTodoApprovals
}

func (q *queries) ApprovalRequestGet(ctx context.Context, p *store.ApprovalRequestGetParams) (*store.ApprovalRequest, error) {
	return nil, errTodoApprovals
}

func (q *queries) ApprovalRequestsList(ctx context.Context, p *store.ApprovalRequestsListParams) ([]store.ApprovalRequest, error) {
	return nil, errTodoApprovals
}

func (q *queries) ApprovalRequestsDue(ctx context.Context, p *store.ApprovalRequestsDueParams) ([]store.ApprovalRequest, error) {
	return nil, errTodoApprovals
}

func (q *queries) ApprovalRequestEscalate(ctx context.Context, p *store.ApprovalRequestEscalateParams) error {
	return errTodoApprovals
}

func (q *queries) ApprovalRequestClose(ctx context.Context, p *store.ApprovalRequestCloseParams) error {
	return errTodoApprovals
}

func (q *queries) ProposalDecisionSet(ctx context.Context, p *store.ProposalDecisionSetParams) (*proposal.Proposal, error) {
	return nil, errTodoApprovals
}

func (q *queries) DelegationSet(ctx context.Context, p *store.DelegationSetParams) error {
	return errTodoApprovals
}

func (q *queries) DelegationsList(ctx context.Context, p *store.DelegationsListParams) ([]store.Delegation, error) {
	return nil, errTodoApprovals
}
