package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/towerops/tower/internal/store"
)

const agentCols = `name, skill, owner, description, scope, params, autonomy, caps, schedule, state, state_reason,
	source, created_at, updated_at`

func scanAgent(row pgx.CollectableRow) (store.Agent, error) {
	var a store.Agent
	var scope, params, autonomy, caps []byte
	if err := row.Scan(&a.Name, &a.Skill, &a.Owner, &a.Description, &scope, &params, &autonomy, &caps,
		&a.Schedule, &a.State, &a.StateReason, &a.Source, &a.CreatedAt, &a.UpdatedAt); err != nil {
		return a, err
	}
	a.CreatedAt, a.UpdatedAt = a.CreatedAt.UTC(), a.UpdatedAt.UTC()
	err := errors.Join(json.Unmarshal(scope, &a.Scope), json.Unmarshal(params, &a.Params),
		json.Unmarshal(autonomy, &a.Autonomy), json.Unmarshal(caps, &a.Caps))
	if err != nil {
		return a, fmt.Errorf("agent %q: stored settings: %w", a.Name, err)
	}
	return a, nil
}

// AgentGet returns one agent by name.
func (q *queries) AgentGet(ctx context.Context, p *store.AgentGetParams) (*store.Agent, error) {
	what := fmt.Sprintf("agent %q", p.Name)
	as, err := collect(ctx, q.db, what, `SELECT `+agentCols+` FROM agents WHERE name = $1`, []any{p.Name}, scanAgent)
	if err != nil {
		return nil, err
	}
	if len(as) == 0 {
		return nil, fmt.Errorf("%s: %w", what, store.ErrNotFound)
	}
	return &as[0], nil
}

// agentsWhere builds the filters of AgentsList and AgentsCount; After
// only pages a list, so a count ignores it.
func agentsWhere(p *store.AgentsListParams) *where {
	var w where
	if p.Skill != "" {
		w.add("skill = ?", p.Skill)
	}
	if p.State != "" {
		w.add("state = ?", string(p.State))
	}
	if p.Source != "" {
		w.add("source = ?", p.Source)
	}
	return &w
}

// AgentsList lists agents by name, after p.After (keyset paging: no
// OFFSET scan however deep the page).
func (q *queries) AgentsList(ctx context.Context, p *store.AgentsListParams) ([]store.Agent, error) {
	w := agentsWhere(p)
	if p.After != "" {
		w.add("name > ?", p.After)
	}
	tail, args := w.sql("name", store.Page{Limit: p.Limit})
	return collect(ctx, q.db, "list agents", `SELECT `+agentCols+` FROM agents`+tail, args, scanAgent)
}

// AgentsCount counts agents with AgentsList's filters (Skill, State,
// Source); After and Limit, which page a list, do not apply.
func (q *queries) AgentsCount(ctx context.Context, p *store.AgentsListParams) (int, error) {
	w := agentsWhere(p)
	var n int
	if err := q.db.QueryRow(ctx, `SELECT count(*) FROM agents`+w.clause(), w.args...).Scan(&n); err != nil {
		return 0, fmt.Errorf("postgres: count agents: %w", err)
	}
	return n, nil
}
