package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/towerops/tower/internal/proposal"
	"github.com/towerops/tower/internal/store"
)

// ProposalDecisionSet replaces the decision of a proposal still in
// p.Status, leaving the status alone; see store.Governance. The row is
// locked while its body is rewritten, as in ProposalUpdate.
func (q *queries) ProposalDecisionSet(ctx context.Context, p *store.ProposalDecisionSetParams) (*proposal.Proposal, error) {
	var out proposal.Proposal
	err := q.runtimeTx(ctx, "record decision", func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `SELECT status, body FROM proposals WHERE id = $1 FOR UPDATE`, p.ID)
		if err != nil {
			return err
		}
		pr, err := pgx.CollectExactlyOneRow(rows, scanProposal)
		if errors.Is(err, pgx.ErrNoRows) {
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
		tag, err := tx.Exec(ctx, `UPDATE proposals SET updated_at = $1, body = $2::jsonb WHERE id = $3 AND status = $4`,
			pr.UpdatedAt, string(body), p.ID, string(p.Status))
		if err != nil {
			return err
		}
		if tag.RowsAffected() != 1 {
			return fmt.Errorf("proposal %s changed while being updated: %w", p.ID, store.ErrConflict)
		}
		out = pr
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// DelegationSet writes From's delegation, or removes it for a zero Until.
func (q *queries) DelegationSet(ctx context.Context, p *store.DelegationSetParams) error {
	if p.From == "" {
		return errors.New("postgres: save delegation: whose approvals are delegated? a user name is required")
	}
	if !p.Until.IsZero() && (p.To == "" || p.To == p.From) {
		return fmt.Errorf("postgres: save delegation: %s cannot delegate to %q: name someone else", p.From, p.To)
	}
	err := q.try(ctx, func(tx pgx.Tx) error {
		if p.Until.IsZero() {
			_, err := tx.Exec(ctx, `DELETE FROM delegations WHERE from_user = $1`, p.From)
			return err
		}
		_, err := tx.Exec(ctx, `INSERT INTO delegations (from_user, to_user, until, created_at) VALUES ($1, $2, $3, $4)
			ON CONFLICT (from_user) DO UPDATE SET to_user = excluded.to_user, until = excluded.until, created_at = excluded.created_at`,
			p.From, p.To, p.Until.UTC(), orNow(p.At, time.Now()).UTC())
		return err
	})
	if err != nil {
		return fmt.Errorf("postgres: save delegation: %w", err)
	}
	return nil
}

// DelegationsList lists delegations in force at p.At (all when zero), by
// From.
func (q *queries) DelegationsList(ctx context.Context, p *store.DelegationsListParams) ([]store.Delegation, error) {
	query, args := `SELECT from_user, to_user, until, created_at FROM delegations ORDER BY from_user`, []any(nil)
	if !p.At.IsZero() {
		query, args = `SELECT from_user, to_user, until, created_at FROM delegations WHERE until > $1 ORDER BY from_user`, []any{p.At.UTC()}
	}
	return collect(ctx, q.db, "list delegations", query, args, func(r pgx.CollectableRow) (store.Delegation, error) {
		var d store.Delegation
		err := r.Scan(&d.From, &d.To, &d.Until, &d.CreatedAt)
		d.Until, d.CreatedAt = d.Until.UTC(), d.CreatedAt.UTC()
		return d, err
	})
}
