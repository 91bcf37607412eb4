package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/towerops/tower/internal/proposal"
	"github.com/towerops/tower/internal/store"
)

// scanProposal reads (status, body): the body is the whole proposal, the
// status column the authority on where it is.
func scanProposal(r interface{ Scan(...any) error }) (proposal.Proposal, error) {
	var p proposal.Proposal
	var status, body string
	if err := r.Scan(&status, &body); err != nil {
		return p, err
	}
	if err := json.Unmarshal([]byte(body), &p); err != nil {
		return p, fmt.Errorf("stored proposal: %w", err)
	}
	p.Status = proposal.Status(status)
	return p, nil
}

// ProposalGet returns one proposal by id.
func (q *queries) ProposalGet(ctx context.Context, p *store.ProposalGetParams) (*proposal.Proposal, error) {
	pr, err := scanProposal(q.read.QueryRowContext(ctx, "SELECT status, body FROM proposals WHERE id = ?", p.ID))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("proposal %q: %w", p.ID, store.ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("read proposal %q: %w", p.ID, err)
	}
	return &pr, nil
}

// proposalsWhere builds the filters shared by ProposalsList and
// ProposalsCount.
func proposalsWhere(p *store.ProposalsListParams) *where {
	var w where
	if len(p.Statuses) > 0 {
		marks := strings.TrimSuffix(strings.Repeat("?,", len(p.Statuses)), ",")
		args := make([]any, len(p.Statuses))
		allOpen := true
		for i, s := range p.Statuses {
			args[i] = string(s)
			allOpen = allOpen && s.Open()
		}
		w.add("status IN ("+marks+")", args...)
		if allOpen && !p.ExpiresBefore.IsZero() {
			// Implied by the line above; spelled out so SQLite may use
			// the partial index of open proposals by expiry.
			w.add(openStatuses)
		}
	}
	if p.Skill != "" {
		w.add("skill = ?", p.Skill)
	}
	if p.Agent != "" {
		w.add("agent = ?", p.Agent)
	}
	if !p.Since.IsZero() {
		w.add("created_at >= ?", encTime(p.Since))
	}
	if !p.Until.IsZero() {
		w.add("created_at < ?", encTime(p.Until))
	}
	if !p.ExpiresBefore.IsZero() {
		w.add("expires_at < ?", encTime(p.ExpiresBefore))
	}
	return &w
}

// ProposalsList lists proposals newest first.
func (q *queries) ProposalsList(ctx context.Context, p *store.ProposalsListParams) ([]proposal.Proposal, error) {
	w := proposalsWhere(p)
	out, err := list(ctx, q.read, func(r *sql.Rows) (proposal.Proposal, error) { return scanProposal(r) },
		"SELECT status, body FROM proposals"+w.String()+" ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?",
		w.page(p.Page)...)
	if err != nil {
		return nil, fmt.Errorf("list proposals: %w", err)
	}
	return out, nil
}

// ProposalsCount counts proposals by status; Page does not apply.
func (q *queries) ProposalsCount(ctx context.Context, p *store.ProposalsListParams) (map[proposal.Status]int, error) {
	w := proposalsWhere(p)
	rows, err := q.read.QueryContext(ctx, "SELECT status, count(*) FROM proposals"+w.String()+" GROUP BY status", w.args...)
	if err != nil {
		return nil, fmt.Errorf("count proposals: %w", err)
	}
	defer rows.Close()
	out := map[proposal.Status]int{}
	for rows.Next() {
		var s string
		var n int
		if err := rows.Scan(&s, &n); err != nil {
			return nil, fmt.Errorf("count proposals: %w", err)
		}
		out[proposal.Status(s)] = n
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("count proposals: %w", err)
	}
	return out, nil
}
