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

// ProposalUpdate moves one proposal from p.From to p.To; see
// store.Runtime. The move is checked before the database is touched, so an
// illegal one leaves a surrounding InTx usable; a stale From or an unknown
// id is a failed write and, inside InTx, fails the transaction.
func (q *queries) ProposalUpdate(ctx context.Context, p *store.ProposalUpdateParams) (*proposal.Proposal, error) {
	if err := proposal.CheckTransition(p.From, p.To); err != nil {
		return nil, fmt.Errorf("proposal %s: %w", p.ID, err)
	}
	var out proposal.Proposal
	err := q.writeTx(ctx, func(tx *sql.Tx) error {
		pr, err := scanProposal(tx.QueryRowContext(ctx, "SELECT status, body FROM proposals WHERE id = ?", p.ID))
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("proposal %q: %w", p.ID, store.ErrNotFound)
		}
		if err != nil {
			return err
		}
		if pr.Status != p.From {
			return fmt.Errorf("proposal %s is %s, not %s: %w", p.ID, pr.Status, p.From, store.ErrConflict)
		}
		pr = applyUpdate(pr, p)
		body, err := json.Marshal(pr)
		if err != nil {
			return err
		}
		// The status condition repeats the check above: the write lock
		// makes it redundant here, but it keeps the statement a
		// compare-and-set on its own.
		res, err := tx.ExecContext(ctx, `UPDATE proposals SET status = ?, updated_at = ?, body = ?
			WHERE id = ? AND status = ?`, string(p.To), encTime(pr.UpdatedAt), string(body), p.ID, string(p.From))
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
		return nil, fmt.Errorf("update proposal: %w", err)
	}
	return &out, nil
}

// applyUpdate is pr after the update p: new status and time, and the
// decision, preview and error p carries.
func applyUpdate(pr proposal.Proposal, p *store.ProposalUpdateParams) proposal.Proposal {
	pr.Status = p.To
	pr.UpdatedAt = p.At
	if pr.UpdatedAt.IsZero() {
		pr.UpdatedAt = time.Now()
	}
	if p.Decision != nil {
		pr.Decision = p.Decision
	}
	if p.Preview != nil {
		pr.Preview = p.Preview
	}
	if p.Error != "" {
		pr.Error = p.Error
	}
	return normalized(pr)
}
