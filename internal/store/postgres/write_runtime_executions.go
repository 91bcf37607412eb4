package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"

	"github.com/towerops/tower/internal/store"
)

// ExecutionRecord stores one applied action. Its key is unique: a second
// record of the same key writes nothing and returns ErrConflict, which
// inside InTx fails the transaction and so rolls back the effect it was
// recorded with.
func (q *queries) ExecutionRecord(ctx context.Context, p *store.ExecutionRecordParams) error {
	e := p.Execution
	if e.Key == "" {
		return fmt.Errorf("postgres: record execution: the execution has no key")
	}
	return q.runtimeTx(ctx, "record execution", func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `INSERT INTO executions (key, proposal_id, action, kind, actor, result, undo,
			executed_at, undone_at, undone_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
			ON CONFLICT (key) DO NOTHING`,
			e.Key, e.ProposalID, e.Action, string(e.Kind), e.Actor, e.Result, e.Undo,
			orNow(e.ExecutedAt, time.Now()).UTC(), timeParam(e.UndoneAt), e.UndoneBy)
		if err != nil {
			return err
		}
		if tag.RowsAffected() != 1 {
			return fmt.Errorf("action %s was already executed: %w", e.Key, store.ErrConflict)
		}
		return nil
	})
}

// ExecutionUndone marks an execution undone, once; a zero At is now.
func (q *queries) ExecutionUndone(ctx context.Context, p *store.ExecutionUndoneParams) error {
	return q.runtimeTx(ctx, "mark execution undone", func(tx pgx.Tx) error {
		var undone pgtype.Timestamptz
		// Lock the row first, so the answer (not found, already undone)
		// is about the row as this update finds it.
		err := tx.QueryRow(ctx, `SELECT undone_at FROM executions WHERE key = $1 FOR UPDATE`, p.Key).Scan(&undone)
		if err == pgx.ErrNoRows {
			return fmt.Errorf("execution %q: %w", p.Key, store.ErrNotFound)
		}
		if err != nil {
			return err
		}
		if undone.Valid {
			return fmt.Errorf("execution %s was already undone: %w", p.Key, store.ErrConflict)
		}
		_, err = tx.Exec(ctx, `UPDATE executions SET undone_at = $1, undone_by = $2 WHERE key = $3`,
			orNow(p.At, time.Now()).UTC(), p.By, p.Key)
		return err
	})
}

// RunsInsert records runs on their id, so a run can be recorded when it
// starts and again, with its counts, when it finishes. Each needs an id;
// a zero StartedAt is now. When an id repeats in the batch the last wins.
func (q *queries) RunsInsert(ctx context.Context, p *store.RunsInsertParams) error {
	now := time.Now()
	last := map[string]int{}
	for i, r := range p.Runs {
		if r.ID == "" {
			return fmt.Errorf("postgres: record runs: run %d has no id", i)
		}
		last[r.ID] = i
	}
	var text [4][]string // id, skill, trigger, error
	var nums [3][]int32  // agents, proposals, skipped
	var started []time.Time
	var finished []pgtype.Timestamptz
	for i, r := range p.Runs {
		if last[r.ID] != i {
			continue
		}
		for k, v := range []string{r.ID, r.Skill, r.Trigger, r.Error} {
			text[k] = append(text[k], v)
		}
		for k, v := range []int{r.Agents, r.Proposals, r.Skipped} {
			nums[k] = append(nums[k], int32(v))
		}
		started, finished = append(started, orNow(r.StartedAt, now).UTC()), append(finished, timeParam(r.FinishedAt))
	}
	if len(started) == 0 {
		return nil
	}
	return q.runtimeTx(ctx, "record runs", func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `
			INSERT INTO runs (id, skill, trigger, error, agents, proposals, skipped, started_at, finished_at)
			SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::int4[], $6::int4[], $7::int4[],
			                     $8::timestamptz[], $9::timestamptz[])
			ON CONFLICT (id) DO UPDATE SET skill = excluded.skill, trigger = excluded.trigger, error = excluded.error,
			    agents = excluded.agents, proposals = excluded.proposals, skipped = excluded.skipped,
			    started_at = excluded.started_at, finished_at = excluded.finished_at`,
			text[0], text[1], text[2], text[3], nums[0], nums[1], nums[2], started, finished)
		return err
	})
}
