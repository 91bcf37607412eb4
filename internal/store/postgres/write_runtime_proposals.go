package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"

	"github.com/towerops/tower/internal/proposal"
	"github.com/towerops/tower/internal/store"
)

// normalized is p as it is stored: every time in UTC at microsecond
// precision, so what a caller reads back equals what every backend keeps.
func normalized(p proposal.Proposal) proposal.Proposal {
	p.CreatedAt, p.UpdatedAt, p.ExpiresAt = µs(p.CreatedAt), µs(p.UpdatedAt), µs(p.ExpiresAt)
	if p.Decision != nil {
		d := *p.Decision
		d.DecidedAt = µs(d.DecidedAt)
		p.Decision = &d
	}
	return p
}

// ProposalsInsert writes new proposals in one INSERT; see store.Runtime.
// The partial unique index proposals_open_key does the deduplication, so
// two nodes racing on the same agent and key cannot both win: the second
// waits for the first to commit and then skips.
func (q *queries) ProposalsInsert(ctx context.Context, p *store.ProposalsInsertParams) (*store.ProposalsInsertResult, error) {
	n := len(p.Proposals)
	var text [5][]string // id, skill, agent, status, key
	created, updated := make([]time.Time, 0, n), make([]time.Time, 0, n)
	expires := make([]pgtype.Timestamptz, 0, n)
	bodies := make([]string, 0, n)
	blast := make([]int32, 0, n)
	for i, pr := range p.Proposals {
		if pr.ID == "" || pr.Agent == "" || pr.Key == "" || !pr.Status.Valid() {
			return nil, fmt.Errorf("postgres: save proposals: proposal %d needs an id, an agent, a key and a known status", i)
		}
		pr = normalized(pr)
		body, err := json.Marshal(pr)
		if err != nil {
			return nil, fmt.Errorf("postgres: save proposal %s: %w", pr.ID, err)
		}
		for k, v := range []string{pr.ID, pr.Skill, pr.Agent, string(pr.Status), pr.Key} {
			text[k] = append(text[k], v)
		}
		created, updated = append(created, pr.CreatedAt), append(updated, pr.UpdatedAt)
		expires, bodies = append(expires, timeParam(pr.ExpiresAt)), append(bodies, string(body))
		blast = append(blast, int32(min(pr.BlastRadius, 1<<31-1)))
	}
	written := make(map[string]bool, n)
	if n > 0 {
		err := q.runtimeTx(ctx, "save proposals", func(tx pgx.Tx) error {
			// Rows go in by (agent, key), so writers racing on the same
			// keys wait for each other in one order and never deadlock;
			// then by batch order (WITH ORDINALITY), so of two open
			// proposals for one key in the batch the first is written.
			rows, err := tx.Query(ctx, `
				INSERT INTO proposals (id, skill, agent, status, key, created_at, updated_at, expires_at, body, blast_radius)
				SELECT id, skill, agent, status, key, created_at, updated_at, expires_at, body::jsonb, blast_radius
				FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::timestamptz[],
				            $7::timestamptz[], $8::timestamptz[], $9::text[], $10::integer[]) WITH ORDINALITY
				     AS v(id, skill, agent, status, key, created_at, updated_at, expires_at, body, blast_radius, n)
				ORDER BY agent, key, n
				ON CONFLICT (agent, key) WHERE `+openStatuses+` DO NOTHING
				RETURNING id`,
				text[0], text[1], text[2], text[3], text[4], created, updated, expires, bodies, blast)
			if err != nil {
				return err
			}
			ids, err := pgx.CollectRows(rows, pgx.RowTo[string])
			for _, id := range ids {
				written[id] = true
			}
			return err
		})
		if err != nil {
			return nil, err
		}
	}
	out := &store.ProposalsInsertResult{Inserted: make([]string, 0, len(written))}
	for i, pr := range p.Proposals {
		if written[pr.ID] {
			out.Inserted = append(out.Inserted, pr.ID)
		} else {
			out.Skipped = append(out.Skipped, i)
		}
	}
	return out, nil
}

// ProposalUpdate moves one proposal from p.From to p.To; see
// store.Runtime. The row is locked while its body is rewritten, so of two
// concurrent moves from the same status one wins and the other finds the
// new status and returns ErrConflict.
func (q *queries) ProposalUpdate(ctx context.Context, p *store.ProposalUpdateParams) (*proposal.Proposal, error) {
	if err := proposal.CheckTransition(p.From, p.To); err != nil {
		return nil, fmt.Errorf("proposal %s: %w", p.ID, err)
	}
	var out proposal.Proposal
	err := q.runtimeTx(ctx, "update proposal", func(tx pgx.Tx) error {
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
		if pr.Status != p.From {
			return fmt.Errorf("proposal %s is %s, not %s: %w", p.ID, pr.Status, p.From, store.ErrConflict)
		}
		pr = applyUpdate(pr, p)
		body, err := json.Marshal(pr)
		if err != nil {
			return err
		}
		tag, err := tx.Exec(ctx, `UPDATE proposals SET status = $1, updated_at = $2, body = $3::jsonb
			WHERE id = $4 AND status = $5`, string(p.To), pr.UpdatedAt, string(body), p.ID, string(p.From))
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

// applyUpdate is pr after the update p: new status and time, and the
// decision, preview and error p carries.
func applyUpdate(pr proposal.Proposal, p *store.ProposalUpdateParams) proposal.Proposal {
	pr.Status = p.To
	pr.UpdatedAt = orNow(p.At, time.Now())
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
