package fleet

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/towerops/tower/internal/audit"
	"github.com/towerops/tower/internal/store"
)

// Agent state errors.
var (
	// ErrAgentTripped: the circuit breaker stopped the agent. It is reset
	// (governance.ResetBreaker), not resumed, so the breaker records when
	// someone looked and the record that tripped it does not trip it again.
	ErrAgentTripped = errors.New("stopped by the circuit breaker; reset it after checking why")
	// ErrAgentUnchanged: the agent is already in the state asked for.
	ErrAgentUnchanged = errors.New("already in that state")
)

// SetAgentState pauses (store.AgentPaused) or resumes (store.AgentActive)
// an agent with its audit entry ("agent.state", with the state, the
// state it was in and the reason). Call it inside InTx. The CLI, the API
// and the console all change agents through it, so they refuse the same
// moves and the briefing sees every change the same way.
func SetAgentState(ctx context.Context, q store.Queries, name string, state store.AgentState, reason, actor string, now time.Time) (*store.Agent, error) {
	if state != store.AgentPaused && state != store.AgentActive {
		return nil, fmt.Errorf("agent %s: %q cannot be set by hand; pause or resume it", name, state)
	}
	cur, err := q.AgentGet(ctx, &store.AgentGetParams{Name: name})
	if err != nil {
		return nil, fmt.Errorf("agent %s: %w", name, err)
	}
	if cur.State == store.AgentTripped {
		return nil, fmt.Errorf("agent %s (%s): %w", name, cur.StateReason, ErrAgentTripped)
	}
	if cur.State == state {
		return nil, fmt.Errorf("agent %s is %s: %w", name, state, ErrAgentUnchanged)
	}
	ag, err := q.AgentStateSet(ctx, &store.AgentStateSetParams{Name: name, State: state, Reason: reason, At: now})
	if err != nil {
		return nil, fmt.Errorf("agent %s: %w", name, err)
	}
	err = audit.Append(ctx, q, audit.Entry{Actor: actor, Action: "agent.state", Subject: "agent:" + name, At: now,
		Data: map[string]any{"state": state, "was": cur.State, "reason": reason}})
	return ag, err
}
