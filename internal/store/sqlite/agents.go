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

// agentsUpsert writes agents on their name. created_at is not in the
// update list, so an existing agent keeps the time it was first written.
var agentsUpsert = upsert{
	table: "agents",
	cols: []string{"name", "skill", "owner", "description", "scope", "params", "autonomy", "caps",
		"schedule", "state", "state_reason", "source", "created_at", "updated_at"},
	conflict: "name",
	update: []string{"skill", "owner", "description", "scope", "params", "autonomy", "caps",
		"schedule", "state", "state_reason", "source", "updated_at"},
}

// AgentsUpsert writes agents on their name. A zero CreatedAt or UpdatedAt
// is now; an empty State is active.
func (q *queries) AgentsUpsert(ctx context.Context, p *store.AgentsUpsertParams) error {
	now := time.Now()
	rows := make([][]any, 0, len(p.Agents))
	for _, a := range p.Agents {
		if a.Name == "" {
			return fmt.Errorf("save agents: an agent has no name")
		}
		js, err := agentJSON(a)
		if err != nil {
			return fmt.Errorf("save agent %q: %w", a.Name, err)
		}
		if a.State == "" {
			a.State = store.AgentActive
		}
		rows = append(rows, []any{a.Name, a.Skill, a.Owner, a.Description, js[0], js[1], js[2], js[3],
			a.Schedule, string(a.State), a.StateReason, a.Source, encTime(orNow(a.CreatedAt, now)), encTime(orNow(a.UpdatedAt, now))})
	}
	err := q.writeTx(ctx, func(tx *sql.Tx) error { return agentsUpsert.exec(ctx, tx, rows) })
	if err != nil {
		return fmt.Errorf("save agents: %w", err)
	}
	return nil
}

// orNow is t, or now when t is zero.
func orNow(t, now time.Time) time.Time {
	if t.IsZero() {
		return now
	}
	return t
}

// agentJSON encodes scope, params, autonomy and caps.
func agentJSON(a store.Agent) ([4]string, error) {
	var out [4]string
	for i, v := range []any{a.Scope, a.Params, a.Autonomy, a.Caps} {
		b, err := json.Marshal(v)
		if err != nil {
			return out, fmt.Errorf("%s: %w", [...]string{"scope", "params", "autonomy", "caps"}[i], err)
		}
		out[i] = string(b)
	}
	return out, nil
}

const agentCols = `name, skill, owner, description, scope, params, autonomy, caps, schedule, state, state_reason,
	source, created_at, updated_at`

func scanAgent(r interface{ Scan(...any) error }) (store.Agent, error) {
	var a store.Agent
	var scope, params, autonomy, caps, state string
	var created, updated sql.NullString
	if err := r.Scan(&a.Name, &a.Skill, &a.Owner, &a.Description, &scope, &params, &autonomy, &caps,
		&a.Schedule, &state, &a.StateReason, &a.Source, &created, &updated); err != nil {
		return a, err
	}
	a.State = store.AgentState(state)
	err := errors.Join(json.Unmarshal([]byte(scope), &a.Scope), json.Unmarshal([]byte(params), &a.Params),
		json.Unmarshal([]byte(autonomy), &a.Autonomy), json.Unmarshal([]byte(caps), &a.Caps))
	if err != nil {
		return a, fmt.Errorf("agent %q: stored settings: %w", a.Name, err)
	}
	var err1, err2 error
	a.CreatedAt, err1 = decTime(created)
	a.UpdatedAt, err2 = decTime(updated)
	return a, errors.Join(err1, err2)
}

// AgentGet returns one agent by name.
func (q *queries) AgentGet(ctx context.Context, p *store.AgentGetParams) (*store.Agent, error) {
	a, err := scanAgent(q.read.QueryRowContext(ctx, "SELECT "+agentCols+" FROM agents WHERE name = ?", p.Name))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("agent %q: %w", p.Name, store.ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("read agent %q: %w", p.Name, err)
	}
	return &a, nil
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

// AgentsList lists agents by name, after p.After.
func (q *queries) AgentsList(ctx context.Context, p *store.AgentsListParams) ([]store.Agent, error) {
	w := agentsWhere(p)
	if p.After != "" {
		w.add("name > ?", p.After)
	}
	l, _ := limit(store.Page{Limit: p.Limit})
	out, err := list(ctx, q.read, func(r *sql.Rows) (store.Agent, error) { return scanAgent(r) },
		"SELECT "+agentCols+" FROM agents"+w.String()+" ORDER BY name LIMIT ?", append(w.args, l)...)
	if err != nil {
		return nil, fmt.Errorf("list agents: %w", err)
	}
	return out, nil
}

// AgentsCount counts agents with AgentsList's filters (Skill, State,
// Source); After and Limit, which page a list, do not apply.
func (q *queries) AgentsCount(ctx context.Context, p *store.AgentsListParams) (int, error) {
	w := agentsWhere(p)
	var n int
	if err := q.read.QueryRowContext(ctx, "SELECT count(*) FROM agents"+w.String(), w.args...).Scan(&n); err != nil {
		return 0, fmt.Errorf("count agents: %w", err)
	}
	return n, nil
}

// AgentStateSet sets one agent's state and reason; a zero At is now.
func (q *queries) AgentStateSet(ctx context.Context, p *store.AgentStateSetParams) (*store.Agent, error) {
	switch p.State {
	case store.AgentActive, store.AgentPaused, store.AgentTripped:
	default:
		return nil, fmt.Errorf("set agent %q state: unknown state %q: use active, paused or tripped", p.Name, p.State)
	}
	var a store.Agent
	err := q.writeTx(ctx, func(tx *sql.Tx) error {
		var err error
		a, err = scanAgent(tx.QueryRowContext(ctx, `UPDATE agents SET state = ?, state_reason = ?, updated_at = ?
			WHERE name = ? RETURNING `+agentCols, string(p.State), p.Reason, encTime(orNow(p.At, time.Now())), p.Name))
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("agent %q: %w", p.Name, store.ErrNotFound)
		}
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("set agent state: %w", err)
	}
	return &a, nil
}

// AgentsDelete deletes agents by name and returns how many there were.
func (q *queries) AgentsDelete(ctx context.Context, p *store.AgentsDeleteParams) (int, error) {
	if len(p.Names) == 0 {
		return 0, nil
	}
	set, err := json.Marshal(p.Names)
	if err != nil {
		return 0, err
	}
	var n int64
	err = q.writeTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, "DELETE FROM agents WHERE name IN (SELECT value FROM json_each(?))", string(set))
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("delete agents: %w", err)
	}
	return int(n), nil
}
