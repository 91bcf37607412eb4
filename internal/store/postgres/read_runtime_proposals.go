package postgres

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/towerops/tower/internal/proposal"
	"github.com/towerops/tower/internal/store"
)

// scanProposal reads (status, body): the body is the whole proposal, the
// status column the authority on where it is.
func scanProposal(row pgx.CollectableRow) (proposal.Proposal, error) {
	var p proposal.Proposal
	var status string
	var body []byte
	if err := row.Scan(&status, &body); err != nil {
		return p, err
	}
	if err := json.Unmarshal(body, &p); err != nil {
		return p, fmt.Errorf("stored proposal: %w", err)
	}
	p.Status = proposal.Status(status)
	return p, nil
}

// ProposalGet returns one proposal by id.
func (q *queries) ProposalGet(ctx context.Context, p *store.ProposalGetParams) (*proposal.Proposal, error) {
	what := fmt.Sprintf("proposal %q", p.ID)
	ps, err := collect(ctx, q.db, what, `SELECT status, body FROM proposals WHERE id = $1`, []any{p.ID}, scanProposal)
	if err != nil {
		return nil, err
	}
	if len(ps) == 0 {
		return nil, fmt.Errorf("%s: %w", what, store.ErrNotFound)
	}
	return &ps[0], nil
}

// proposalsWhere builds the filters shared by ProposalsList and
// ProposalsCount.
func proposalsWhere(p *store.ProposalsListParams) *where {
	var w where
	if len(p.Statuses) > 0 {
		ss := make([]string, len(p.Statuses))
		allOpen := true
		for i, s := range p.Statuses {
			ss[i] = string(s)
			allOpen = allOpen && s.Open()
		}
		w.add("status = ANY(?::text[])", ss)
		if allOpen && !p.ExpiresBefore.IsZero() {
			// Implied by the line above; spelled out so the planner may
			// use the partial index of open proposals by expiry.
			w.conds = append(w.conds, openStatuses)
		}
	}
	if p.Skill != "" {
		w.add("skill = ?", p.Skill)
	}
	if p.Agent != "" {
		w.add("agent = ?", p.Agent)
	}
	if !p.Since.IsZero() {
		w.add("created_at >= ?", timeParam(p.Since))
	}
	if !p.Until.IsZero() {
		w.add("created_at < ?", timeParam(p.Until))
	}
	if !p.ExpiresBefore.IsZero() {
		w.add("expires_at < ?", timeParam(p.ExpiresBefore))
	}
	return &w
}

// ProposalsList lists proposals newest first.
func (q *queries) ProposalsList(ctx context.Context, p *store.ProposalsListParams) ([]proposal.Proposal, error) {
	w := proposalsWhere(p)
	tail, args := w.sql("created_at DESC, id DESC", p.Page)
	return collect(ctx, q.db, "list proposals", `SELECT status, body FROM proposals`+tail, args, scanProposal)
}

// ProposalsCount counts proposals by status; Page does not apply.
func (q *queries) ProposalsCount(ctx context.Context, p *store.ProposalsListParams) (map[proposal.Status]int, error) {
	w := proposalsWhere(p)
	type row struct {
		status string
		n      int
	}
	rows, err := collect(ctx, q.db, "count proposals", `SELECT status, count(*) FROM proposals`+w.clause()+` GROUP BY status`,
		w.args, func(r pgx.CollectableRow) (row, error) {
			var x row
			err := r.Scan(&x.status, &x.n)
			return x, err
		})
	if err != nil {
		return nil, err
	}
	out := make(map[proposal.Status]int, len(rows))
	for _, r := range rows {
		out[proposal.Status(r.status)] = r.n
	}
	return out, nil
}
