package store

import (
	"context"
	"slices"
	"time"

	"github.com/towerops/tower/internal/proposal"
)

// Measure stores what executed proposals turned out to be worth, and
// reads the execution history scorecards are computed from.
type Measure interface {
	// OutcomesUpsert writes realised outcomes on their natural key, the
	// proposal id: measuring a proposal again replaces its outcome.
	OutcomesUpsert(ctx context.Context, p *OutcomesUpsertParams) error
	// OutcomesList returns the outcomes of the named proposals, or, with
	// no ids, every outcome measured at or after Since; ordered by
	// proposal id.
	OutcomesList(ctx context.Context, p *OutcomesListParams) ([]Outcome, error)
	// ExecutionsOf lists the executions of many proposals at once,
	// ordered by proposal id, then action index. Unknown ids are skipped.
	ExecutionsOf(ctx context.Context, p *ExecutionsOfParams) ([]Execution, error)
}

// Outcome is what one executed proposal was measured to be worth, some
// time after it ran: the realised side of its expected value.
type Outcome struct {
	ProposalID string
	MeasuredAt time.Time
	// Value is the realised value; its Assumptions say how it was measured.
	Value proposal.Value
	// Share is the part, in [0,1], of the proposal's effect still in place
	// when measured (0 when undone, 1 when all of it holds).
	Share float64
	// Method says in words how the outcome was measured.
	Method string
}

// OutcomesUpsertParams: natural key ProposalID.
type OutcomesUpsertParams struct{ Outcomes []Outcome }

// OutcomesListParams filters outcomes; zero fields do not filter.
type OutcomesListParams struct {
	ProposalIDs []string
	Since       time.Time // measured at or after
}

// ExecutionsOfParams names the proposals whose executions to list.
type ExecutionsOfParams struct{ ProposalIDs []string }

// SortedChunks calls fn with ids sorted (bytewise, as the id columns
// compare) and without repeats, size at a time, so rows read chunk by
// chunk come out in id order overall. The backends use it to keep one
// query's list of ids bounded.
func SortedChunks(ids []string, size int, fn func([]string) error) error {
	ids = slices.Compact(slices.Sorted(slices.Values(ids)))
	for start := 0; start < len(ids); start += size {
		if err := fn(ids[start:min(start+size, len(ids))]); err != nil {
			return err
		}
	}
	return nil
}
