package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/towerops/tower/internal/store"
)

// approvalCols are the approval_requests columns in scan order.
const approvalCols = "proposal_id, agent, owner, requester, chain, level, required, sod, on_timeout, due_at, state, created_at, updated_at"

// ApprovalRequestsInsert writes new open requests in one INSERT; see
// store.Governance. A proposal that already has a request (or appears
// twice) violates the primary key, reported as ErrConflict.
func (q *queries) ApprovalRequestsInsert(ctx context.Context, p *store.ApprovalRequestsInsertParams) error {
	n := len(p.Requests)
	if n == 0 {
		return nil
	}
	var text [5][]string // proposal_id, agent, owner, requester, on_timeout
	chains := make([]string, 0, n)
	levels, required := make([]int32, 0, n), make([]int32, 0, n)
	sod := make([]bool, 0, n)
	var due, created, updated []time.Time
	now := time.Now()
	for _, r := range p.Requests {
		if r.ProposalID == "" || r.DueAt.IsZero() {
			return errors.New("postgres: save approval requests: a request needs a proposal id and a due time")
		}
		c := r.Chain
		if c == nil {
			c = []store.ApprovalLevel{}
		}
		chain, err := json.Marshal(c)
		if err != nil {
			return fmt.Errorf("postgres: save approval request %s: %w", r.ProposalID, err)
		}
		timeout := r.OnTimeout
		if timeout == "" {
			timeout = "expire"
		}
		for k, v := range []string{r.ProposalID, r.Agent, r.Owner, r.Requester, timeout} {
			text[k] = append(text[k], v)
		}
		chains = append(chains, string(chain))
		levels, required = append(levels, int32(r.Level)), append(required, int32(max(r.Required, 1)))
		sod = append(sod, r.SoD)
		due = append(due, r.DueAt.UTC())
		created, updated = append(created, orNow(r.CreatedAt, now).UTC()), append(updated, orNow(r.UpdatedAt, now).UTC())
	}
	err := q.try(ctx, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `
			INSERT INTO approval_requests (`+approvalCols+`)
			SELECT id, agent, owner, requester, chain::jsonb, level, required, sod, on_timeout, due_at, 'open', created_at, updated_at
			FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::int[], $7::int[], $8::bool[],
			            $9::text[], $10::timestamptz[], $11::timestamptz[], $12::timestamptz[])
			     AS v(id, agent, owner, requester, chain, level, required, sod, on_timeout, due_at, created_at, updated_at)`,
			text[0], text[1], text[2], text[3], chains, levels, required, sod, text[4], due, created, updated)
		return err
	})
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && pgErr.Code == "23505" {
		return fmt.Errorf("postgres: save approval requests: a proposal already has one: %w", store.ErrConflict)
	}
	if err != nil {
		return fmt.Errorf("postgres: save approval requests: %w", err)
	}
	return nil
}

func scanApproval(r pgx.Row) (store.ApprovalRequest, error) {
	var a store.ApprovalRequest
	var chain []byte
	var level, required int32
	if err := r.Scan(&a.ProposalID, &a.Agent, &a.Owner, &a.Requester, &chain, &level, &required, &a.SoD,
		&a.OnTimeout, &a.DueAt, &a.State, &a.CreatedAt, &a.UpdatedAt); err != nil {
		return a, err
	}
	a.Level, a.Required = int(level), int(required)
	a.DueAt, a.CreatedAt, a.UpdatedAt = a.DueAt.UTC(), a.CreatedAt.UTC(), a.UpdatedAt.UTC()
	if err := json.Unmarshal(chain, &a.Chain); err != nil {
		return a, fmt.Errorf("stored approval chain of %s: %w", a.ProposalID, err)
	}
	return a, nil
}

func collectApprovals(r pgx.CollectableRow) (store.ApprovalRequest, error) { return scanApproval(r) }

// ApprovalRequestGet returns a proposal's request.
func (q *queries) ApprovalRequestGet(ctx context.Context, p *store.ApprovalRequestGetParams) (*store.ApprovalRequest, error) {
	a, err := scanApproval(q.db.QueryRow(ctx, `SELECT `+approvalCols+` FROM approval_requests WHERE proposal_id = $1`, p.ProposalID))
	if err != nil {
		return nil, notFound(err, "approval request of proposal "+p.ProposalID)
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
	sql, args := w.sql("proposal_id", store.Page{Limit: p.Limit})
	return collect(ctx, q.db, "list approval requests", `SELECT `+approvalCols+` FROM approval_requests`+sql, args, collectApprovals)
}

// ApprovalRequestsDue lists open requests due at or before p.Now, oldest
// due first, on the partial index approval_requests_due.
func (q *queries) ApprovalRequestsDue(ctx context.Context, p *store.ApprovalRequestsDueParams) ([]store.ApprovalRequest, error) {
	l, _ := limitOffset(store.Page{Limit: p.Limit})
	return collect(ctx, q.db, "due approval requests", `SELECT `+approvalCols+` FROM approval_requests
		WHERE state = 'open' AND due_at <= $1 ORDER BY due_at, proposal_id LIMIT $2`, []any{p.Now.UTC(), l}, collectApprovals)
}

// ApprovalRequestEscalate is the compare-and-set that fires one
// escalation; see store.Governance. Two sweepers racing on one request
// serialise on its row lock; the second finds the level moved and
// changes nothing.
func (q *queries) ApprovalRequestEscalate(ctx context.Context, p *store.ApprovalRequestEscalateParams) error {
	return q.approvalCAS(ctx, p.ProposalID, "escalate", `UPDATE approval_requests SET level = $1, due_at = $2, updated_at = $3
		WHERE proposal_id = $4 AND state = 'open' AND level = $5`,
		p.ToLevel, p.DueAt.UTC(), orNow(p.At, time.Now()).UTC(), p.ProposalID, p.FromLevel)
}

// ApprovalRequestClose closes an open request; see store.Governance.
func (q *queries) ApprovalRequestClose(ctx context.Context, p *store.ApprovalRequestCloseParams) error {
	if p.State == "" || p.State == store.ApprovalOpen {
		return fmt.Errorf("postgres: close approval request of %s: say how it closed (approved, rejected, expired, denied or superseded)", p.ProposalID)
	}
	return q.approvalCAS(ctx, p.ProposalID, "close", `UPDATE approval_requests SET state = $1, updated_at = $2
		WHERE proposal_id = $3 AND state = 'open'`, p.State, orNow(p.At, time.Now()).UTC(), p.ProposalID)
}

// approvalCAS runs an update that must change exactly one open request:
// none changed means the request is gone (ErrNotFound) or another writer
// moved it first (ErrConflict).
func (q *queries) approvalCAS(ctx context.Context, id, what, query string, args ...any) error {
	err := q.try(ctx, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, query, args...)
		if err != nil || tag.RowsAffected() == 1 {
			return err
		}
		var state string
		var level int32
		err = tx.QueryRow(ctx, `SELECT state, level FROM approval_requests WHERE proposal_id = $1`, id).Scan(&state, &level)
		if errors.Is(err, pgx.ErrNoRows) {
			return fmt.Errorf("proposal %s has no approval request: %w", id, store.ErrNotFound)
		}
		if err != nil {
			return err
		}
		return fmt.Errorf("the approval request of %s is %s at level %d: %w", id, state, level, store.ErrConflict)
	})
	if err != nil {
		return fmt.Errorf("postgres: %s approval request: %w", what, err)
	}
	return nil
}
