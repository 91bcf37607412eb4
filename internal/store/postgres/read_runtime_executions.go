package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/towerops/tower/internal/store"
)

const executionCols = "key, proposal_id, action, kind, actor, result, undo, executed_at, undone_at, undone_by"

func scanExecution(row pgx.CollectableRow) (store.Execution, error) {
	var e store.Execution
	var undone *time.Time
	err := row.Scan(&e.Key, &e.ProposalID, &e.Action, &e.Kind, &e.Actor, &e.Result, &e.Undo, &e.ExecutedAt,
		&undone, &e.UndoneBy)
	e.ExecutedAt, e.UndoneAt = e.ExecutedAt.UTC(), timeOf(undone)
	return e, err
}

// ExecutionGet returns one execution by key.
func (q *queries) ExecutionGet(ctx context.Context, p *store.ExecutionGetParams) (*store.Execution, error) {
	what := fmt.Sprintf("execution %q", p.Key)
	es, err := collect(ctx, q.db, what, `SELECT `+executionCols+` FROM executions WHERE key = $1`, []any{p.Key}, scanExecution)
	if err != nil {
		return nil, err
	}
	if len(es) == 0 {
		return nil, fmt.Errorf("%s: %w", what, store.ErrNotFound)
	}
	return &es[0], nil
}

// ExecutionsList lists the executions of one proposal by action index.
func (q *queries) ExecutionsList(ctx context.Context, p *store.ExecutionsListParams) ([]store.Execution, error) {
	return collect(ctx, q.db, "list executions", `SELECT `+executionCols+` FROM executions WHERE proposal_id = $1
		ORDER BY action, key`, []any{p.ProposalID}, scanExecution)
}

// RunsList lists runs newest first.
func (q *queries) RunsList(ctx context.Context, p *store.RunsListParams) ([]store.Run, error) {
	var w where
	if p.Skill != "" {
		w.add("skill = ?", p.Skill)
	}
	tail, args := w.sql("started_at DESC, id DESC", p.Page)
	return collect(ctx, q.db, "list runs", `SELECT id, skill, trigger, agents, proposals, skipped, error, started_at,
		finished_at FROM runs`+tail, args, func(row pgx.CollectableRow) (store.Run, error) {
		var r store.Run
		var finished *time.Time
		err := row.Scan(&r.ID, &r.Skill, &r.Trigger, &r.Agents, &r.Proposals, &r.Skipped, &r.Error, &r.StartedAt, &finished)
		r.StartedAt, r.FinishedAt = r.StartedAt.UTC(), timeOf(finished)
		return r, err
	})
}

// activityChunk bounds the ids sent in one query, so a caller passing a
// whole fleet's audience does not build one giant array parameter.
const activityChunk = 5000

// LastActivity returns the latest event time of each person with events
// (at or before Until when set). One correlated max() per person is one
// backward probe of events_person_time, however many events a person has.
func (q *queries) LastActivity(ctx context.Context, p *store.LastActivityParams) (map[int64]time.Time, error) {
	out := make(map[int64]time.Time, len(p.PersonIDs))
	sql := `SELECT p, (SELECT max(timestamp) FROM events WHERE person_id = p) FROM unnest($1::int8[]) AS p`
	if !p.Until.IsZero() {
		sql = `SELECT p, (SELECT max(timestamp) FROM events WHERE person_id = p AND timestamp <= $2)
			FROM unnest($1::int8[]) AS p`
	}
	for start := 0; start < len(p.PersonIDs); start += activityChunk {
		args := []any{p.PersonIDs[start:min(start+activityChunk, len(p.PersonIDs))]}
		if !p.Until.IsZero() {
			args = append(args, p.Until.UTC())
		}
		rows, err := q.db.Query(ctx, sql, args...)
		if err != nil {
			return nil, fmt.Errorf("postgres: last activity: %w", err)
		}
		var id int64
		var ts *time.Time
		_, err = pgx.ForEachRow(rows, []any{&id, &ts}, func() error {
			if ts != nil {
				out[id] = ts.UTC()
			}
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("postgres: last activity: %w", err)
		}
	}
	return out, nil
}
