package postgres

import (
	"context"
	"fmt"

	"github.com/towerops/tower/internal/proposal"
	"github.com/towerops/tower/internal/store"
)

// The runtime's writes inside InTx, guarded like the foundation's (see
// txQueries): after one fails, every later write returns ErrTxFailed and
// InTx rolls back. A duplicate ExecutionRecord is such a failure, which is
// what rolls back the effect recorded with it.

// guardDo is guard for writes that return something other than an
// UpsertResult (guardErr, for those returning only an error, is in
// txqueries_security.go).
func guardDo[P, R any](t *txQueries, ctx context.Context, p P, write func(context.Context, P) (R, error)) (R, error) {
	var zero R
	if t.failed != nil {
		return zero, fmt.Errorf("%w: %w", store.ErrTxFailed, t.failed)
	}
	r, err := write(ctx, p)
	if err != nil {
		t.failed = err
	}
	return r, err
}

func (t *txQueries) AgentsUpsert(ctx context.Context, p *store.AgentsUpsertParams) error {
	return guardErr(t, ctx, p, t.queries.AgentsUpsert)
}

func (t *txQueries) AgentStateSet(ctx context.Context, p *store.AgentStateSetParams) (*store.Agent, error) {
	return guardDo(t, ctx, p, t.queries.AgentStateSet)
}

func (t *txQueries) AgentsDelete(ctx context.Context, p *store.AgentsDeleteParams) (int, error) {
	return guardDo(t, ctx, p, t.queries.AgentsDelete)
}

func (t *txQueries) ProposalsInsert(ctx context.Context, p *store.ProposalsInsertParams) (*store.ProposalsInsertResult, error) {
	return guardDo(t, ctx, p, t.queries.ProposalsInsert)
}

// ProposalUpdate refuses an illegal move before anything is written, so
// that refusal leaves the transaction usable, as on SQLite; a stale From
// or an unknown id fails it.
func (t *txQueries) ProposalUpdate(ctx context.Context, p *store.ProposalUpdateParams) (*proposal.Proposal, error) {
	if err := proposal.CheckTransition(p.From, p.To); err != nil {
		return nil, fmt.Errorf("proposal %s: %w", p.ID, err)
	}
	return guardDo(t, ctx, p, t.queries.ProposalUpdate)
}

func (t *txQueries) ExecutionRecord(ctx context.Context, p *store.ExecutionRecordParams) error {
	return guardErr(t, ctx, p, t.queries.ExecutionRecord)
}

func (t *txQueries) ExecutionUndone(ctx context.Context, p *store.ExecutionUndoneParams) error {
	return guardErr(t, ctx, p, t.queries.ExecutionUndone)
}

func (t *txQueries) RunsInsert(ctx context.Context, p *store.RunsInsertParams) error {
	return guardErr(t, ctx, p, t.queries.RunsInsert)
}
