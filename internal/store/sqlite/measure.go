package sqlite

import (
	"context"
	"errors"

	"github.com/towerops/tower/internal/store"
)

// Placeholders until the outcomes table lands.

var errOutcomesNotYet = errors.New("outcomes are not stored yet")

func (q *queries) OutcomesUpsert(ctx context.Context, p *store.OutcomesUpsertParams) error {
	return errOutcomesNotYet
}

func (q *queries) OutcomesList(ctx context.Context, p *store.OutcomesListParams) ([]store.Outcome, error) {
	return nil, nil
}

func (q *queries) ExecutionsOf(ctx context.Context, p *store.ExecutionsOfParams) ([]store.Execution, error) {
	var out []store.Execution
	for _, id := range p.ProposalIDs {
		es, err := q.ExecutionsList(ctx, &store.ExecutionsListParams{ProposalID: id})
		if err != nil {
			return nil, err
		}
		out = append(out, es...)
	}
	return out, nil
}
