package postgres

import (
	"context"
	"fmt"

	"github.com/towerops/tower/internal/store"
)

// guardErr is guard for writes that return only an error.
func guardErr[P any](t *txQueries, ctx context.Context, p P, write func(context.Context, P) error) error {
	if t.failed != nil {
		return fmt.Errorf("%w: %w", store.ErrTxFailed, t.failed)
	}
	err := write(ctx, p)
	if err != nil {
		t.failed = err
	}
	return err
}

func (t *txQueries) UsersUpsert(ctx context.Context, p *store.UsersUpsertParams) error {
	return guardErr(t, ctx, p, t.queries.UsersUpsert)
}

func (t *txQueries) TokensInsert(ctx context.Context, p *store.TokensInsertParams) error {
	return guardErr(t, ctx, p, t.queries.TokensInsert)
}

func (t *txQueries) TokenRevoke(ctx context.Context, p *store.TokenRevokeParams) error {
	return guardErr(t, ctx, p, t.queries.TokenRevoke)
}

func (t *txQueries) TokenUsed(ctx context.Context, p *store.TokenUsedParams) error {
	return guardErr(t, ctx, p, t.queries.TokenUsed)
}

func (t *txQueries) AuditAppend(ctx context.Context, p *store.AuditAppendParams) ([]store.AuditEntry, error) {
	if t.failed != nil {
		return nil, fmt.Errorf("%w: %w", store.ErrTxFailed, t.failed)
	}
	out, err := t.queries.AuditAppend(ctx, p)
	if err != nil {
		t.failed = err
	}
	return out, err
}
