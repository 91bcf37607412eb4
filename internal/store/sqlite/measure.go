package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"

	"github.com/towerops/tower/internal/store"
)

// idsPerQuery bounds the proposal ids one outcome or execution query
// carries. The ids travel as one JSON parameter (see lookup), so SQLite's
// bound-parameter limit is never the issue; the bound keeps a caller
// passing a year of proposals from building one huge statement, and the
// ids are sorted first so the chunks come back in proposal order.
const idsPerQuery = 1000

var outcomeUpsert = upsert{
	table:    "outcomes",
	cols:     []string{"proposal_id", "measured_at", "value", "share", "method"},
	conflict: "proposal_id",
	update:   []string{"measured_at", "value", "share", "method"},
}

// OutcomesUpsert writes outcomes on their proposal id; a second outcome
// of the same proposal replaces the first (the later one wins within a
// batch too). A zero MeasuredAt is now.
func (q *queries) OutcomesUpsert(ctx context.Context, p *store.OutcomesUpsertParams) error {
	if err := store.CheckOutcomes(p.Outcomes); err != nil {
		return fmt.Errorf("write outcomes: %w", err)
	}
	now := time.Now()
	rows := make([][]any, len(p.Outcomes))
	for i, o := range p.Outcomes {
		v, err := json.Marshal(o.Value)
		if err != nil {
			return fmt.Errorf("write outcomes: outcome of %s: %w", o.ProposalID, err)
		}
		rows[i] = []any{o.ProposalID, encTime(orNow(o.MeasuredAt, now)), string(v), o.Share, o.Method}
	}
	if len(rows) == 0 {
		return nil
	}
	if err := q.writeTx(ctx, func(tx *sql.Tx) error { return outcomeUpsert.exec(ctx, tx, rows) }); err != nil {
		return fmt.Errorf("write outcomes: %w", err)
	}
	return nil
}

const outcomeCols = "proposal_id, measured_at, value, share, method"

func scanOutcome(r interface{ Scan(...any) error }) (store.Outcome, error) {
	var o store.Outcome
	var measured sql.NullString
	var value string
	if err := r.Scan(&o.ProposalID, &measured, &value, &o.Share, &o.Method); err != nil {
		return o, err
	}
	var err error
	if o.MeasuredAt, err = decTime(measured); err != nil {
		return o, err
	}
	if err := json.Unmarshal([]byte(value), &o.Value); err != nil {
		return o, fmt.Errorf("stored value of %s: %w", o.ProposalID, err)
	}
	return o, nil
}

// OutcomesList returns the outcomes of the named proposals, or every
// outcome when none are named; Since, when set, keeps those measured at or
// after it. Ordered by proposal id.
func (q *queries) OutcomesList(ctx context.Context, p *store.OutcomesListParams) ([]store.Outcome, error) {
	var since []any
	cond := ""
	if !p.Since.IsZero() {
		cond, since = "measured_at >= ? AND ", []any{encTime(p.Since)}
	}
	if len(p.ProposalIDs) == 0 {
		out, err := list(ctx, q.read, func(r *sql.Rows) (store.Outcome, error) { return scanOutcome(r) },
			"SELECT "+outcomeCols+" FROM outcomes WHERE "+cond+"1 = 1 ORDER BY proposal_id", since...)
		if err != nil {
			return nil, fmt.Errorf("list outcomes: %w", err)
		}
		return out, nil
	}
	var out []store.Outcome
	err := store.SortedChunks(p.ProposalIDs, idsPerQuery, func(ids []string) error {
		return lookup(ctx, q.read, "SELECT "+outcomeCols+" FROM outcomes WHERE "+cond+"proposal_id IN (%s) ORDER BY proposal_id",
			ids, since, func(r *sql.Rows) error {
				o, err := scanOutcome(r)
				out = append(out, o)
				return err
			})
	})
	if err != nil {
		return nil, fmt.Errorf("list outcomes: %w", err)
	}
	return out, nil
}

// ExecutionsOf lists the executions of many proposals, ordered by
// proposal id, then action index; one query per chunk of ids.
func (q *queries) ExecutionsOf(ctx context.Context, p *store.ExecutionsOfParams) ([]store.Execution, error) {
	var out []store.Execution
	err := store.SortedChunks(p.ProposalIDs, idsPerQuery, func(ids []string) error {
		return lookup(ctx, q.read, "SELECT "+executionCols+" FROM executions WHERE proposal_id IN (%s) ORDER BY proposal_id, action, key",
			ids, nil, func(r *sql.Rows) error {
				e, err := scanExecution(r)
				out = append(out, e)
				return err
			})
	})
	if err != nil {
		return nil, fmt.Errorf("list executions of %d proposals: %w", len(p.ProposalIDs), err)
	}
	return out, nil
}
