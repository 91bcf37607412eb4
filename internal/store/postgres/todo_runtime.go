package postgres

import (
	"context"
	"errors"
	"time"

	"github.com/towerops/tower/internal/proposal"
	"github.com/towerops/tower/internal/store"
)

// Placeholders for the runtime part of the store contract, replaced as it is built.

var errNotRuntime = errors.New("runtime storage is not built yet")

var _ = time.Time{}
var _ proposal.Status

func (q *queries) AgentsUpsert(ctx context.Context, p *store.AgentsUpsertParams) error {
	return errNotRuntime
}

func (q *queries) AgentGet(ctx context.Context, p *store.AgentGetParams) (*store.Agent, error) {
	return nil, errNotRuntime
}

func (q *queries) AgentsList(ctx context.Context, p *store.AgentsListParams) ([]store.Agent, error) {
	return nil, errNotRuntime
}

func (q *queries) AgentsCount(ctx context.Context, p *store.AgentsListParams) (int, error) {
	return 0, errNotRuntime
}

func (q *queries) AgentStateSet(ctx context.Context, p *store.AgentStateSetParams) (*store.Agent, error) {
	return nil, errNotRuntime
}

func (q *queries) AgentsDelete(ctx context.Context, p *store.AgentsDeleteParams) (int, error) {
	return 0, errNotRuntime
}

func (q *queries) ProposalsInsert(ctx context.Context, p *store.ProposalsInsertParams) (*store.ProposalsInsertResult, error) {
	return nil, errNotRuntime
}

func (q *queries) ProposalGet(ctx context.Context, p *store.ProposalGetParams) (*proposal.Proposal, error) {
	return nil, errNotRuntime
}

func (q *queries) ProposalsList(ctx context.Context, p *store.ProposalsListParams) ([]proposal.Proposal, error) {
	return nil, errNotRuntime
}

func (q *queries) ProposalsCount(ctx context.Context, p *store.ProposalsListParams) (map[proposal.Status]int, error) {
	return nil, errNotRuntime
}

func (q *queries) ProposalUpdate(ctx context.Context, p *store.ProposalUpdateParams) (*proposal.Proposal, error) {
	return nil, errNotRuntime
}

func (q *queries) ExecutionRecord(ctx context.Context, p *store.ExecutionRecordParams) error {
	return errNotRuntime
}

func (q *queries) ExecutionGet(ctx context.Context, p *store.ExecutionGetParams) (*store.Execution, error) {
	return nil, errNotRuntime
}

func (q *queries) ExecutionsList(ctx context.Context, p *store.ExecutionsListParams) ([]store.Execution, error) {
	return nil, errNotRuntime
}

func (q *queries) ExecutionUndone(ctx context.Context, p *store.ExecutionUndoneParams) error {
	return errNotRuntime
}

func (q *queries) RunsInsert(ctx context.Context, p *store.RunsInsertParams) error {
	return errNotRuntime
}

func (q *queries) RunsList(ctx context.Context, p *store.RunsListParams) ([]store.Run, error) {
	return nil, errNotRuntime
}

func (q *queries) LastActivity(ctx context.Context, p *store.LastActivityParams) (map[int64]time.Time, error) {
	return nil, errNotRuntime
}
