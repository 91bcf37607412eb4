package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/towerops/tower/internal/store"
)

// runsUpsert writes runs on their id, so a run can be recorded when it
// starts and again, with its counts, when it finishes.
var runsUpsert = upsert{
	table:    "runs",
	cols:     []string{"id", "skill", "trigger", "agents", "proposals", "skipped", "error", "started_at", "finished_at"},
	conflict: "id",
	update:   []string{"skill", "trigger", "agents", "proposals", "skipped", "error", "started_at", "finished_at"},
}

// RunsInsert records runs; each needs an id and a start time (zero is now).
func (q *queries) RunsInsert(ctx context.Context, p *store.RunsInsertParams) error {
	now := time.Now()
	rows := make([][]any, 0, len(p.Runs))
	for i, r := range p.Runs {
		if r.ID == "" {
			return fmt.Errorf("record runs: run %d has no id", i)
		}
		rows = append(rows, []any{r.ID, r.Skill, r.Trigger, r.Agents, r.Proposals, r.Skipped, r.Error,
			encTime(orNow(r.StartedAt, now)), encTime(r.FinishedAt)})
	}
	if err := q.writeTx(ctx, func(tx *sql.Tx) error { return runsUpsert.exec(ctx, tx, rows) }); err != nil {
		return fmt.Errorf("record runs: %w", err)
	}
	return nil
}

// RunsList lists runs newest first.
func (q *queries) RunsList(ctx context.Context, p *store.RunsListParams) ([]store.Run, error) {
	var w where
	if p.Skill != "" {
		w.add("skill = ?", p.Skill)
	}
	out, err := list(ctx, q.read, scanRun, `SELECT id, skill, trigger, agents, proposals, skipped, error, started_at,
		finished_at FROM runs`+w.String()+" ORDER BY started_at DESC, id DESC LIMIT ? OFFSET ?", w.page(p.Page)...)
	if err != nil {
		return nil, fmt.Errorf("list runs: %w", err)
	}
	return out, nil
}

func scanRun(r *sql.Rows) (store.Run, error) {
	var run store.Run
	var started, finished sql.NullString
	if err := r.Scan(&run.ID, &run.Skill, &run.Trigger, &run.Agents, &run.Proposals, &run.Skipped, &run.Error,
		&started, &finished); err != nil {
		return run, err
	}
	var err1, err2 error
	run.StartedAt, err1 = decTime(started)
	run.FinishedAt, err2 = decTime(finished)
	return run, errors.Join(err1, err2)
}
