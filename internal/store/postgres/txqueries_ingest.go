package postgres

import (
	"context"
	"fmt"

	"github.com/towerops/tower/internal/store"
)

// Writes of the ingest store inside InTx: like every write there, a
// failure fails the transaction (see txQueries).

func (t *txQueries) SourcesInsert(ctx context.Context, p *store.SourcesInsertParams) error {
	return guardErr(t, ctx, p, t.queries.SourcesInsert)
}

func (t *txQueries) SourceRevoke(ctx context.Context, p *store.SourceRevokeParams) error {
	return guardErr(t, ctx, p, t.queries.SourceRevoke)
}

func (t *txQueries) SourceUsed(ctx context.Context, p *store.SourceUsedParams) error {
	return guardErr(t, ctx, p, t.queries.SourceUsed)
}

func (t *txQueries) EventsIngest(ctx context.Context, p *store.EventsIngestParams) (*store.EventsIngestResult, error) {
	if t.failed != nil {
		return nil, fmt.Errorf("%w: %w", store.ErrTxFailed, t.failed)
	}
	res, err := t.queries.EventsIngest(ctx, p)
	if err != nil {
		t.failed = err
	}
	return res, err
}
