package api

import (
	"context"
	"time"

	"github.com/towerops/tower/internal/fleet"
	"github.com/towerops/tower/internal/store"
)

// Fleet is what the agent and proposal routes act through.
type Fleet struct {
	Runner    *fleet.Runner
	Lifecycle *fleet.Lifecycle
}

// SetAgentState pauses or resumes an agent and records who did it
// (fleet.SetAgentState, in one transaction).
func (f *Fleet) SetAgentState(ctx context.Context, name string, state store.AgentState, reason, actor string) (*store.Agent, error) {
	var out *store.Agent
	err := f.Runner.Store.InTx(ctx, func(ctx context.Context, q store.Queries) error {
		var err error
		out, err = fleet.SetAgentState(ctx, q, name, state, reason, actor, time.Now().UTC())
		return err
	})
	return out, err
}
