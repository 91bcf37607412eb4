package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/towerops/tower/internal/proposal"
	"github.com/towerops/tower/internal/store"
)

// ProposalDecisionSet replaces the decision of a proposal still in
// p.Status, leaving the status alone; see store.Governance.
func (q *queries) ProposalDecisionSet(ctx context.Context, p *store.ProposalDecisionSetParams) (*proposal.Proposal, error) {
	var out proposal.Proposal
	err := q.writeTx(ctx, func(tx *sql.Tx) error {
		pr, err := scanProposal(tx.QueryRowContext(ctx, "SELECT status, body FROM proposals WHERE id = ?", p.ID))
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("proposal %q: %w", p.ID, store.ErrNotFound)
		}
		if err != nil {
			return err
		}
		if pr.Status != p.Status {
			return fmt.Errorf("proposal %s is %s, not %s: %w", p.ID, pr.Status, p.Status, store.ErrConflict)
		}
		d := p.Decision
		pr.Decision = &d
		pr.UpdatedAt = orNow(p.At, time.Now())
		pr = normalized(pr)
		body, err := json.Marshal(pr)
		if err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `UPDATE proposals SET updated_at = ?, body = ? WHERE id = ? AND status = ?`,
			encTime(pr.UpdatedAt), string(body), p.ID, string(p.Status))
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n != 1 {
			return fmt.Errorf("proposal %s changed while being updated: %w", p.ID, store.ErrConflict)
		}
		out = pr
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("record decision: %w", err)
	}
	return &out, nil
}

// DelegationSet writes From's delegation, or removes it for a zero Until.
func (q *queries) DelegationSet(ctx context.Context, p *store.DelegationSetParams) error {
	if p.From == "" {
		return errors.New("save delegation: whose approvals are delegated? a user name is required")
	}
	if !p.Until.IsZero() && (p.To == "" || p.To == p.From) {
		return fmt.Errorf("save delegation: %s cannot delegate to %q: name someone else", p.From, p.To)
	}
	err := q.writeTx(ctx, func(tx *sql.Tx) error {
		if p.Until.IsZero() {
			_, err := tx.ExecContext(ctx, `DELETE FROM delegations WHERE from_user = ?`, p.From)
			return err
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO delegations (from_user, to_user, until, created_at) VALUES (?, ?, ?, ?)
			ON CONFLICT (from_user) DO UPDATE SET to_user = excluded.to_user, until = excluded.until, created_at = excluded.created_at`,
			p.From, p.To, encTime(p.Until), encTime(orNow(p.At, time.Now())))
		return err
	})
	if err != nil {
		return fmt.Errorf("save delegation: %w", err)
	}
	return nil
}

// DelegationsList lists delegations in force at p.At (all when zero), by
// From.
func (q *queries) DelegationsList(ctx context.Context, p *store.DelegationsListParams) ([]store.Delegation, error) {
	var w where
	if !p.At.IsZero() {
		w.add("until > ?", encTime(p.At))
	}
	out, err := list(ctx, q.read, func(r *sql.Rows) (store.Delegation, error) {
		var d store.Delegation
		var until, created sql.NullString
		if err := r.Scan(&d.From, &d.To, &until, &created); err != nil {
			return d, err
		}
		var err error
		if d.Until, err = decTime(until); err != nil {
			return d, err
		}
		d.CreatedAt, err = decTime(created)
		return d, err
	}, `SELECT from_user, to_user, until, created_at FROM delegations`+w.String()+` ORDER BY from_user`, w.args...)
	if err != nil {
		return nil, fmt.Errorf("list delegations: %w", err)
	}
	return out, nil
}
