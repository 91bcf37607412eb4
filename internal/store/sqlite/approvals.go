package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/towerops/tower/internal/store"
)

// approvalCols are the approval_requests columns in scan order.
const approvalCols = "proposal_id, agent, owner, requester, chain, level, required, sod, on_timeout, due_at, state, created_at, updated_at"

var approvalInsert = upsert{table: "approval_requests", cols: []string{"proposal_id", "agent", "owner", "requester",
	"chain", "level", "required", "sod", "on_timeout", "due_at", "state", "created_at", "updated_at"}}

// ApprovalRequestsInsert writes new open requests; see store.Governance.
// The batch is a plain insert, so a proposal that already has a request
// (or appears twice) is an ignored row, reported as ErrConflict.
func (q *queries) ApprovalRequestsInsert(ctx context.Context, p *store.ApprovalRequestsInsertParams) error {
	if len(p.Requests) == 0 {
		return nil
	}
	rows := make([][]any, 0, len(p.Requests))
	now := time.Now()
	for _, r := range p.Requests {
		if r.ProposalID == "" || r.DueAt.IsZero() {
			return fmt.Errorf("save approval requests: a request needs a proposal id and a due time")
		}
		chain, err := json.Marshal(nonNilChain(r.Chain))
		if err != nil {
			return fmt.Errorf("save approval request %s: %w", r.ProposalID, err)
		}
		created, updated := orNow(r.CreatedAt, now), orNow(r.UpdatedAt, now)
		rows = append(rows, []any{r.ProposalID, r.Agent, r.Owner, r.Requester, string(chain), r.Level,
			max(r.Required, 1), r.SoD, onTimeout(r.OnTimeout), encTime(r.DueAt), store.ApprovalOpen,
			encTime(created), encTime(updated)})
	}
	err := q.writeTx(ctx, func(tx *sql.Tx) error { return approvalInsert.exec(ctx, tx, rows) })
	if errors.Is(err, errIgnored) {
		return fmt.Errorf("save approval requests: a proposal already has one: %w", store.ErrConflict)
	}
	if err != nil {
		return fmt.Errorf("save approval requests: %w", err)
	}
	return nil
}

func nonNilChain(c []store.ApprovalLevel) []store.ApprovalLevel {
	if c == nil {
		return []store.ApprovalLevel{}
	}
	return c
}

func onTimeout(s string) string {
	if s == "" {
		return "expire"
	}
	return s
}

func scanApproval(r interface{ Scan(...any) error }) (store.ApprovalRequest, error) {
	var a store.ApprovalRequest
	var chain string
	var due, created, updated sql.NullString
	if err := r.Scan(&a.ProposalID, &a.Agent, &a.Owner, &a.Requester, &chain, &a.Level, &a.Required, &a.SoD,
		&a.OnTimeout, &due, &a.State, &created, &updated); err != nil {
		return a, err
	}
	if err := json.Unmarshal([]byte(chain), &a.Chain); err != nil {
		return a, fmt.Errorf("stored approval chain of %s: %w", a.ProposalID, err)
	}
	var err error
	if a.DueAt, err = decTime(due); err != nil {
		return a, err
	}
	if a.CreatedAt, err = decTime(created); err != nil {
		return a, err
	}
	a.UpdatedAt, err = decTime(updated)
	return a, err
}

// ApprovalRequestGet returns a proposal's request.
func (q *queries) ApprovalRequestGet(ctx context.Context, p *store.ApprovalRequestGetParams) (*store.ApprovalRequest, error) {
	a, err := scanApproval(q.read.QueryRowContext(ctx, `SELECT `+approvalCols+` FROM approval_requests WHERE proposal_id = ?`, p.ProposalID))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("approval request of proposal %s: %w", p.ProposalID, store.ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("approval request of proposal %s: %w", p.ProposalID, err)
	}
	return &a, nil
}

// ApprovalRequestsList lists requests by proposal id, after p.After.
func (q *queries) ApprovalRequestsList(ctx context.Context, p *store.ApprovalRequestsListParams) ([]store.ApprovalRequest, error) {
	var w where
	if p.State != "" {
		w.add("state = ?", p.State)
	}
	if p.Agent != "" {
		w.add("agent = ?", p.Agent)
	}
	if p.After != "" {
		w.add("proposal_id > ?", p.After)
	}
	l, _ := limit(store.Page{Limit: p.Limit})
	out, err := list(ctx, q.read, func(r *sql.Rows) (store.ApprovalRequest, error) { return scanApproval(r) },
		`SELECT `+approvalCols+` FROM approval_requests`+w.String()+` ORDER BY proposal_id LIMIT ?`, append(w.args, l)...)
	if err != nil {
		return nil, fmt.Errorf("list approval requests: %w", err)
	}
	return out, nil
}

// ApprovalRequestsDue lists open requests due at or before p.Now, oldest
// due first; the partial index approval_requests_due makes it one range
// scan however many requests are closed.
func (q *queries) ApprovalRequestsDue(ctx context.Context, p *store.ApprovalRequestsDueParams) ([]store.ApprovalRequest, error) {
	l, _ := limit(store.Page{Limit: p.Limit})
	out, err := list(ctx, q.read, func(r *sql.Rows) (store.ApprovalRequest, error) { return scanApproval(r) },
		`SELECT `+approvalCols+` FROM approval_requests WHERE state = 'open' AND due_at <= ?
		 ORDER BY due_at, proposal_id LIMIT ?`, encTime(p.Now), l)
	if err != nil {
		return nil, fmt.Errorf("due approval requests: %w", err)
	}
	return out, nil
}

// ApprovalRequestEscalate is the compare-and-set that fires one
// escalation; see store.Governance.
func (q *queries) ApprovalRequestEscalate(ctx context.Context, p *store.ApprovalRequestEscalateParams) error {
	return q.approvalCAS(ctx, p.ProposalID, "escalate", `UPDATE approval_requests SET level = ?, due_at = ?, updated_at = ?
		WHERE proposal_id = ? AND state = 'open' AND level = ?`,
		p.ToLevel, encTime(p.DueAt), encTime(orNow(p.At, time.Now())), p.ProposalID, p.FromLevel)
}

// ApprovalRequestClose closes an open request; see store.Governance.
func (q *queries) ApprovalRequestClose(ctx context.Context, p *store.ApprovalRequestCloseParams) error {
	if p.State == "" || p.State == store.ApprovalOpen {
		return fmt.Errorf("close approval request of %s: say how it closed (approved, rejected, expired, denied or superseded)", p.ProposalID)
	}
	return q.approvalCAS(ctx, p.ProposalID, "close", `UPDATE approval_requests SET state = ?, updated_at = ?
		WHERE proposal_id = ? AND state = 'open'`, p.State, encTime(orNow(p.At, time.Now())), p.ProposalID)
}

// approvalCAS runs an update that must change exactly one open request:
// none changed means the request is gone (ErrNotFound) or another writer
// moved it first (ErrConflict).
func (q *queries) approvalCAS(ctx context.Context, id, what, query string, args ...any) error {
	err := q.writeTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, query, args...)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n == 1 {
			return err
		}
		var state string
		var level int
		err = tx.QueryRowContext(ctx, `SELECT state, level FROM approval_requests WHERE proposal_id = ?`, id).Scan(&state, &level)
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("proposal %s has no approval request: %w", id, store.ErrNotFound)
		}
		if err != nil {
			return err
		}
		return fmt.Errorf("the approval request of %s is %s at level %d: %w", id, state, level, store.ErrConflict)
	})
	if err != nil {
		return fmt.Errorf("%s approval request: %w", what, err)
	}
	return nil
}
