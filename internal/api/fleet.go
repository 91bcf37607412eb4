package api

import (
	"context"
	"fmt"
	"time"

	"github.com/towerops/tower/internal/audit"
	"github.com/towerops/tower/internal/fleet"
	"github.com/towerops/tower/internal/store"
)

// Fleet is what the agent and proposal routes act through.
type Fleet struct {
	Runner    *fleet.Runner
	Lifecycle *fleet.Lifecycle
}

// SetAgentState pauses or resumes an agent and records who did it.
func (f *Fleet) SetAgentState(ctx context.Context, name string, state store.AgentState, reason, actor string) (*store.Agent, error) {
	var out *store.Agent
	now := time.Now().UTC()
	err := f.Runner.Store.InTx(ctx, func(ctx context.Context, q store.Queries) error {
		a, err := q.AgentStateSet(ctx, &store.AgentStateSetParams{Name: name, State: state, Reason: reason, At: now})
		if err != nil {
			return fmt.Errorf("agent %s: %w", name, err)
		}
		out = a
		return audit.Append(ctx, q, audit.Entry{Actor: actor, Action: "agent.state", Subject: "agent:" + name, At: now,
			Data: map[string]any{"state": state, "reason": reason}})
	})
	return out, err
}
