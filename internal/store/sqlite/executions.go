package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/towerops/tower/internal/proposal"
	"github.com/towerops/tower/internal/store"
)

// ExecutionRecord stores one applied action. Its key is unique: a second
// record of the same key writes nothing and returns ErrConflict, which
// inside InTx fails the transaction and so rolls back the effect it was
// recorded with.
func (q *queries) ExecutionRecord(ctx context.Context, p *store.ExecutionRecordParams) error {
	e := p.Execution
	if e.Key == "" {
		return fmt.Errorf("record execution: the execution has no key")
	}
	err := q.writeTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `INSERT INTO executions (key, proposal_id, action, kind, actor, result, undo,
			executed_at, undone_at, undone_by) VALUES (?,?,?,?,?,?,?,?,?,?) ON CONFLICT (key) DO NOTHING`,
			e.Key, e.ProposalID, e.Action, string(e.Kind), e.Actor, e.Result, e.Undo,
			encTime(orNow(e.ExecutedAt, time.Now())), encTime(e.UndoneAt), e.UndoneBy)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n != 1 {
			return fmt.Errorf("action %s was already executed: %w", e.Key, store.ErrConflict)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("record execution: %w", err)
	}
	return nil
}

const executionCols = "key, proposal_id, action, kind, actor, result, undo, executed_at, undone_at, undone_by"

func scanExecution(r interface{ Scan(...any) error }) (store.Execution, error) {
	var e store.Execution
	var kind string
	var executed, undone sql.NullString
	if err := r.Scan(&e.Key, &e.ProposalID, &e.Action, &kind, &e.Actor, &e.Result, &e.Undo, &executed,
		&undone, &e.UndoneBy); err != nil {
		return e, err
	}
	e.Kind = proposal.Kind(kind)
	var err1, err2 error
	e.ExecutedAt, err1 = decTime(executed)
	e.UndoneAt, err2 = decTime(undone)
	return e, errors.Join(err1, err2)
}

// ExecutionGet returns one execution by key.
func (q *queries) ExecutionGet(ctx context.Context, p *store.ExecutionGetParams) (*store.Execution, error) {
	e, err := scanExecution(q.read.QueryRowContext(ctx, "SELECT "+executionCols+" FROM executions WHERE key = ?", p.Key))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("execution %q: %w", p.Key, store.ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("read execution %q: %w", p.Key, err)
	}
	return &e, nil
}

// ExecutionsList lists the executions of one proposal by action index.
func (q *queries) ExecutionsList(ctx context.Context, p *store.ExecutionsListParams) ([]store.Execution, error) {
	out, err := list(ctx, q.read, func(r *sql.Rows) (store.Execution, error) { return scanExecution(r) },
		"SELECT "+executionCols+" FROM executions WHERE proposal_id = ? ORDER BY action, key", p.ProposalID)
	if err != nil {
		return nil, fmt.Errorf("list executions: %w", err)
	}
	return out, nil
}

// ExecutionUndone marks an execution undone, once; a zero At is now.
func (q *queries) ExecutionUndone(ctx context.Context, p *store.ExecutionUndoneParams) error {
	err := q.writeTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE executions SET undone_at = ?, undone_by = ?
			WHERE key = ? AND undone_at IS NULL`, encTime(orNow(p.At, time.Now())), p.By, p.Key)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n == 1 {
			return nil
		}
		var one int
		err = tx.QueryRowContext(ctx, "SELECT 1 FROM executions WHERE key = ?", p.Key).Scan(&one)
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("execution %q: %w", p.Key, store.ErrNotFound)
		}
		if err != nil {
			return err
		}
		return fmt.Errorf("execution %s was already undone: %w", p.Key, store.ErrConflict)
	})
	if err != nil {
		return fmt.Errorf("mark execution undone: %w", err)
	}
	return nil
}
