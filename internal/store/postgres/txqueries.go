package postgres

import (
	"context"
	"fmt"

	"github.com/towerops/tower/internal/store"
)

// txQueries is what InTx hands to fn. It remembers the first write that
// failed; later writes then return store.ErrTxFailed and InTx rolls back
// whatever fn returns. PostgreSQL itself would let the transaction go on
// (each batch runs in a savepoint), but the contract is the same on every
// backend: a caller that carries on after an error never commits half of
// its work.
type txQueries struct {
	*queries
	failed error
}

var _ store.Queries = (*txQueries)(nil)

// guard runs one write unless an earlier one failed, and records its failure.
func guard[P any](t *txQueries, ctx context.Context, p P,
	write func(context.Context, P) (*store.UpsertResult, error)) (*store.UpsertResult, error) {
	if t.failed != nil {
		return nil, fmt.Errorf("%w: %w", store.ErrTxFailed, t.failed)
	}
	res, err := write(ctx, p)
	if err != nil {
		t.failed = err
	}
	return res, err
}

func (t *txQueries) OwnersUpsert(ctx context.Context, p *store.OwnersUpsertParams) (*store.UpsertResult, error) {
	return guard(t, ctx, p, t.queries.OwnersUpsert)
}

func (t *txQueries) AccountsUpsert(ctx context.Context, p *store.AccountsUpsertParams) (*store.UpsertResult, error) {
	return guard(t, ctx, p, t.queries.AccountsUpsert)
}

func (t *txQueries) ProductsUpsert(ctx context.Context, p *store.ProductsUpsertParams) (*store.UpsertResult, error) {
	return guard(t, ctx, p, t.queries.ProductsUpsert)
}

func (t *txQueries) RecordsUpsert(ctx context.Context, p *store.RecordsUpsertParams) (*store.UpsertResult, error) {
	return guard(t, ctx, p, t.queries.RecordsUpsert)
}

func (t *txQueries) ConsentUpsert(ctx context.Context, p *store.ConsentUpsertParams) (*store.UpsertResult, error) {
	return guard(t, ctx, p, t.queries.ConsentUpsert)
}

func (t *txQueries) HoldingsUpsert(ctx context.Context, p *store.HoldingsUpsertParams) (*store.UpsertResult, error) {
	return guard(t, ctx, p, t.queries.HoldingsUpsert)
}

func (t *txQueries) CampaignsUpsert(ctx context.Context, p *store.CampaignsUpsertParams) (*store.UpsertResult, error) {
	return guard(t, ctx, p, t.queries.CampaignsUpsert)
}

func (t *txQueries) CampaignDaysUpsert(ctx context.Context, p *store.CampaignDaysUpsertParams) (*store.UpsertResult, error) {
	return guard(t, ctx, p, t.queries.CampaignDaysUpsert)
}

func (t *txQueries) LicensesUpsert(ctx context.Context, p *store.LicensesUpsertParams) (*store.UpsertResult, error) {
	return guard(t, ctx, p, t.queries.LicensesUpsert)
}

func (t *txQueries) LicenseUsageUpsert(ctx context.Context, p *store.LicenseUsageUpsertParams) (*store.UpsertResult, error) {
	return guard(t, ctx, p, t.queries.LicenseUsageUpsert)
}

func (t *txQueries) TemplatesUpsert(ctx context.Context, p *store.TemplatesUpsertParams) (*store.UpsertResult, error) {
	return guard(t, ctx, p, t.queries.TemplatesUpsert)
}

func (t *txQueries) EventsInsert(ctx context.Context, p *store.EventsInsertParams) (*store.UpsertResult, error) {
	return guard(t, ctx, p, t.queries.EventsInsert)
}

// DriverTx returns the pgx.Tx of InTx; see store.DriverTx.
func (t *txQueries) DriverTx() any { return t.queries.db }
