package postgres

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/towerops/tower/internal/store"
)

// idsPerQuery bounds the proposal ids one outcome or execution query
// sends as its array parameter; ids are sorted first so the chunks come
// back in proposal order.
const idsPerQuery = 5000

// OutcomesUpsert writes outcomes on their proposal id; a second outcome
// of the same proposal replaces the first (the later one wins within a
// batch too). A zero MeasuredAt is now.
func (q *queries) OutcomesUpsert(ctx context.Context, p *store.OutcomesUpsertParams) error {
	if err := store.CheckOutcomes(p.Outcomes); err != nil {
		return fmt.Errorf("postgres: write outcomes: %w", err)
	}
	// One statement may not update a row twice: keep the last of each id.
	last := map[string]int{}
	for i, o := range p.Outcomes {
		last[o.ProposalID] = i
	}
	now := time.Now()
	var ids, values, methods []string
	var measured []time.Time
	var shares []float64
	for i, o := range p.Outcomes {
		if last[o.ProposalID] != i {
			continue
		}
		v, err := json.Marshal(o.Value)
		if err != nil {
			return fmt.Errorf("postgres: write outcomes: outcome of %s: %w", o.ProposalID, err)
		}
		ids, values, methods = append(ids, o.ProposalID), append(values, string(v)), append(methods, o.Method)
		measured, shares = append(measured, orNow(o.MeasuredAt, now).UTC()), append(shares, o.Share)
	}
	if len(ids) == 0 {
		return nil
	}
	return q.runtimeTx(ctx, "write outcomes", func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `
			INSERT INTO outcomes (proposal_id, measured_at, value, share, method)
			SELECT id, at, v::jsonb, s, m FROM unnest($1::text[], $2::timestamptz[], $3::text[], $4::float8[], $5::text[])
			    AS u(id, at, v, s, m)
			ON CONFLICT (proposal_id) DO UPDATE SET measured_at = excluded.measured_at, value = excluded.value,
			    share = excluded.share, method = excluded.method`,
			ids, measured, values, shares, methods)
		return err
	})
}

const outcomeCols = "proposal_id, measured_at, value, share, method"

func scanOutcome(row pgx.CollectableRow) (store.Outcome, error) {
	var o store.Outcome
	var value []byte
	if err := row.Scan(&o.ProposalID, &o.MeasuredAt, &value, &o.Share, &o.Method); err != nil {
		return o, err
	}
	o.MeasuredAt = o.MeasuredAt.UTC()
	if err := json.Unmarshal(value, &o.Value); err != nil {
		return o, fmt.Errorf("stored value of %s: %w", o.ProposalID, err)
	}
	return o, nil
}

// OutcomesList returns the outcomes of the named proposals, or every
// outcome when none are named; Since, when set, keeps those measured at or
// after it. Ordered by proposal id.
func (q *queries) OutcomesList(ctx context.Context, p *store.OutcomesListParams) ([]store.Outcome, error) {
	since := func(w *where) {
		if !p.Since.IsZero() {
			w.add("measured_at >= ?", p.Since.UTC())
		}
	}
	if len(p.ProposalIDs) == 0 {
		var w where
		since(&w)
		return collect(ctx, q.db, "list outcomes", `SELECT `+outcomeCols+` FROM outcomes`+w.clause()+
			` ORDER BY proposal_id`, w.args, scanOutcome)
	}
	var out []store.Outcome
	err := store.SortedChunks(p.ProposalIDs, idsPerQuery, func(ids []string) error {
		var w where
		w.add("proposal_id = ANY(?::text[])", ids)
		since(&w)
		os, err := collect(ctx, q.db, "list outcomes", `SELECT `+outcomeCols+` FROM outcomes`+w.clause()+
			` ORDER BY proposal_id`, w.args, scanOutcome)
		out = append(out, os...)
		return err
	})
	return out, err
}

// ExecutionsOf lists the executions of many proposals, ordered by
// proposal id, then action index; one query per chunk of ids.
func (q *queries) ExecutionsOf(ctx context.Context, p *store.ExecutionsOfParams) ([]store.Execution, error) {
	var out []store.Execution
	err := store.SortedChunks(p.ProposalIDs, idsPerQuery, func(ids []string) error {
		es, err := collect(ctx, q.db, "list executions of proposals", `SELECT `+executionCols+` FROM executions
			WHERE proposal_id = ANY($1::text[]) ORDER BY proposal_id, action, key`, []any{ids}, scanExecution)
		out = append(out, es...)
		return err
	})
	return out, err
}

// OutcomesUpsert inside InTx is guarded like every other write (see
// txQueries): after a failed write it returns ErrTxFailed. Outcomes it
// refuses before writing anything leave the transaction usable, as on
// SQLite.
func (t *txQueries) OutcomesUpsert(ctx context.Context, p *store.OutcomesUpsertParams) error {
	if err := store.CheckOutcomes(p.Outcomes); err != nil {
		return fmt.Errorf("postgres: write outcomes: %w", err)
	}
	return guardErr(t, ctx, p, t.queries.OutcomesUpsert)
}
