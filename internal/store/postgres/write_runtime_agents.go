package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/towerops/tower/internal/store"
)

// AgentsUpsert writes agents on their name; an existing agent keeps its
// created_at. A zero CreatedAt or UpdatedAt is now; an empty State is
// active. When a name repeats in the batch the last one wins, as on SQLite.
func (q *queries) AgentsUpsert(ctx context.Context, p *store.AgentsUpsertParams) error {
	now := time.Now()
	last := map[string]int{}
	for i, a := range p.Agents {
		if a.Name == "" {
			return fmt.Errorf("postgres: save agents: an agent has no name")
		}
		last[a.Name] = i
	}
	var text [8][]string // name, skill, owner, description, schedule, state, state_reason, source
	var js [4][]string   // scope, params, autonomy, caps
	var created, updated []time.Time
	for i, a := range p.Agents {
		if last[a.Name] != i {
			continue
		}
		enc, err := agentJSON(a)
		if err != nil {
			return fmt.Errorf("postgres: save agent %q: %w", a.Name, err)
		}
		if a.State == "" {
			a.State = store.AgentActive
		}
		for k, v := range []string{a.Name, a.Skill, a.Owner, a.Description, a.Schedule, string(a.State), a.StateReason, a.Source} {
			text[k] = append(text[k], v)
		}
		for k, v := range enc {
			js[k] = append(js[k], v)
		}
		created, updated = append(created, orNow(a.CreatedAt, now).UTC()), append(updated, orNow(a.UpdatedAt, now).UTC())
	}
	if len(created) == 0 {
		return nil
	}
	return q.runtimeTx(ctx, "save agents", func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `
			INSERT INTO agents (name, skill, owner, description, schedule, state, state_reason, source,
			                    scope, params, autonomy, caps, created_at, updated_at)
			SELECT name, skill, owner, description, schedule, state, state_reason, source,
			       scope::jsonb, params::jsonb, autonomy::jsonb, caps::jsonb, created_at, updated_at
			FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[],
			            $9::text[], $10::text[], $11::text[], $12::text[], $13::timestamptz[], $14::timestamptz[])
			     AS v(name, skill, owner, description, schedule, state, state_reason, source,
			          scope, params, autonomy, caps, created_at, updated_at)
			ON CONFLICT (name) DO UPDATE SET skill = excluded.skill, owner = excluded.owner,
			    description = excluded.description, schedule = excluded.schedule, state = excluded.state,
			    state_reason = excluded.state_reason, source = excluded.source, scope = excluded.scope,
			    params = excluded.params, autonomy = excluded.autonomy, caps = excluded.caps,
			    updated_at = excluded.updated_at`,
			text[0], text[1], text[2], text[3], text[4], text[5], text[6], text[7], js[0], js[1], js[2], js[3], created, updated)
		return err
	})
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

// AgentStateSet sets one agent's state and reason; a zero At is now.
func (q *queries) AgentStateSet(ctx context.Context, p *store.AgentStateSetParams) (*store.Agent, error) {
	switch p.State {
	case store.AgentActive, store.AgentPaused, store.AgentTripped:
	default:
		return nil, fmt.Errorf("postgres: set agent %q state: unknown state %q: use active, paused or tripped", p.Name, p.State)
	}
	var a store.Agent
	err := q.runtimeTx(ctx, "set agent state", func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `UPDATE agents SET state = $1, state_reason = $2, updated_at = $3
			WHERE name = $4 RETURNING `+agentCols, string(p.State), p.Reason, orNow(p.At, time.Now()).UTC(), p.Name)
		if err != nil {
			return err
		}
		a, err = pgx.CollectExactlyOneRow(rows, scanAgent)
		if errors.Is(err, pgx.ErrNoRows) {
			return fmt.Errorf("agent %q: %w", p.Name, store.ErrNotFound)
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	return &a, nil
}

// AgentsDelete deletes agents by name and returns how many there were.
func (q *queries) AgentsDelete(ctx context.Context, p *store.AgentsDeleteParams) (int, error) {
	if len(p.Names) == 0 {
		return 0, nil
	}
	var n int64
	err := q.runtimeTx(ctx, "delete agents", func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `DELETE FROM agents WHERE name = ANY($1::text[])`, p.Names)
		n = tag.RowsAffected()
		return err
	})
	return int(n), err
}
