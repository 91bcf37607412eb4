package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/towerops/tower/internal/proposal"
	"github.com/towerops/tower/internal/store"
)

// openStatuses is proposal.Status.Open as SQL. It must match the WHERE
// clause of the proposals_open_key and proposals_open_expiry indexes
// (0002_runtime.sql) word for word: SQLite uses a partial index only for
// a query that repeats its condition, and an ON CONFLICT target names
// the index by it.
const openStatuses = "status IN ('proposed', 'allowed', 'pending_approval', 'approved', 'executing')"

// proposalsPerInsert is how many proposals one INSERT carries: as for
// the foundation tables (rowsPerInsert), short statements bind fastest.
const proposalsPerInsert = 4

// proposalInsertSQL inserts n proposals, skipping any whose agent and key
// already have an open proposal, and returns the ids it wrote.
func proposalInsertSQL(n int) string {
	var b strings.Builder
	b.WriteString("INSERT INTO proposals (id, skill, agent, status, key, created_at, updated_at, expires_at, body, blast_radius) VALUES ")
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString("(?,?,?,?,?,?,?,?,?,?)")
	}
	b.WriteString(" ON CONFLICT (agent, key) WHERE " + openStatuses + " DO NOTHING RETURNING id")
	return b.String()
}

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

// µs is t in UTC truncated to microseconds; zero stays zero.
func µs(t time.Time) time.Time {
	if t.IsZero() {
		return t
	}
	return t.UTC().Truncate(time.Microsecond)
}

// ProposalsInsert writes new proposals; see store.Runtime. The partial
// unique index proposals_open_key does the deduplication, so two writers
// racing on the same agent and key cannot both win.
func (q *queries) ProposalsInsert(ctx context.Context, p *store.ProposalsInsertParams) (*store.ProposalsInsertResult, error) {
	rows := make([][]any, len(p.Proposals))
	for i, pr := range p.Proposals {
		if pr.ID == "" || pr.Agent == "" || pr.Key == "" || !pr.Status.Valid() {
			return nil, fmt.Errorf("save proposals: proposal %d needs an id, an agent, a key and a known status", i)
		}
		pr = normalized(pr)
		body, err := json.Marshal(pr)
		if err != nil {
			return nil, fmt.Errorf("save proposal %s: %w", pr.ID, err)
		}
		rows[i] = []any{pr.ID, pr.Skill, pr.Agent, string(pr.Status), pr.Key, encTime(pr.CreatedAt),
			encTime(pr.UpdatedAt), encTime(pr.ExpiresAt), string(body), pr.BlastRadius}
	}
	written := make(map[string]bool, len(rows))
	err := q.writeTx(ctx, func(tx *sql.Tx) error {
		var full *sql.Stmt
		defer func() {
			if full != nil {
				full.Close()
			}
		}()
		args := make([]any, 0, proposalsPerInsert*10)
		for start := 0; start < len(rows); start += proposalsPerInsert {
			chunk := rows[start:min(start+proposalsPerInsert, len(rows))]
			args = args[:0]
			for _, r := range chunk {
				args = append(args, r...)
			}
			var res *sql.Rows
			var err error
			if len(chunk) == proposalsPerInsert {
				if full == nil {
					if full, err = tx.PrepareContext(ctx, proposalInsertSQL(proposalsPerInsert)); err != nil {
						return err
					}
				}
				res, err = full.QueryContext(ctx, args...)
			} else {
				res, err = tx.QueryContext(ctx, proposalInsertSQL(len(chunk)), args...)
			}
			if err != nil {
				return err
			}
			for res.Next() {
				var id string
				if err := res.Scan(&id); err != nil {
					res.Close()
					return err
				}
				written[id] = true
			}
			if err := res.Close(); err != nil {
				return err
			}
			if err := res.Err(); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("save proposals: %w", err)
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
