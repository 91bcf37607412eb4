package postgres

import (
	"context"

	"github.com/towerops/tower/internal/store"
)

// Governance-state writes inside InTx: a failed one fails the transaction.

func (t *txQueries) AutonomyTrackPut(ctx context.Context, p *store.AutonomyTrackPutParams) error {
	return guardErr(t, ctx, p, t.queries.AutonomyTrackPut)
}

func (t *txQueries) SettingSet(ctx context.Context, p *store.SettingSetParams) error {
	return guardErr(t, ctx, p, t.queries.SettingSet)
}
