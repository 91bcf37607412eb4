package fleet

import (
	"context"
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/towerops/tower/internal/store"
	"github.com/towerops/tower/internal/store/eachbackend"
)

// TestSetAgentState pauses and resumes an agent, refuses a move to the
// state it is in, refuses to resume a tripped agent (it is reset), and
// checks every change leaves one "agent.state" entry, on both backends.
func TestSetAgentState(t *testing.T) {
	eachbackend.Run(t, func(t *testing.T, st store.Store) {
		ctx := context.Background()
		now := time.Now().UTC().Truncate(time.Microsecond)
		if err := st.AgentsUpsert(ctx, &store.AgentsUpsertParams{Agents: []store.Agent{
			{Name: "a", Skill: "x", State: store.AgentActive}, {Name: "t", Skill: "x", State: store.AgentTripped, StateReason: "5 undos"}}}); err != nil {
			t.Fatal(err)
		}
		set := func(name string, state store.AgentState) (*store.Agent, error) {
			var out *store.Agent
			err := st.InTx(ctx, func(ctx context.Context, q store.Queries) error {
				var err error
				out, err = SetAgentState(ctx, q, name, state, "holiday", "user:ana", now)
				return err
			})
			return out, err
		}
		if a, err := set("a", store.AgentPaused); err != nil || a.State != store.AgentPaused || a.StateReason != "holiday" {
			t.Fatalf("pause: %+v, %v", a, err)
		}
		if _, err := set("a", store.AgentPaused); !errors.Is(err, ErrAgentUnchanged) {
			t.Errorf("pausing a paused agent: %v", err)
		}
		if a, err := set("a", store.AgentActive); err != nil || a.State != store.AgentActive {
			t.Fatalf("resume: %+v, %v", a, err)
		}
		for _, to := range []store.AgentState{store.AgentActive, store.AgentPaused} {
			if _, err := set("t", to); !errors.Is(err, ErrAgentTripped) {
				t.Errorf("%s a tripped agent: %v, want ErrAgentTripped", to, err)
			}
		}
		if _, err := set("a", store.AgentTripped); err == nil {
			t.Error("setting tripped by hand succeeded")
		}
		if _, err := set("nope", store.AgentPaused); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("unknown agent: %v", err)
		}
		es, err := st.AuditList(ctx, &store.AuditListParams{})
		if err != nil {
			t.Fatal(err)
		}
		var states []string
		for _, e := range es {
			if e.Action != "agent.state" {
				continue
			}
			var d struct{ State, Was, Reason string }
			if err := json.Unmarshal(e.Data, &d); err != nil || e.Actor != "user:ana" || e.Subject != "agent:a" || d.Reason != "holiday" {
				t.Errorf("audit entry %+v (%s)", e, e.Data)
			}
			states = append(states, d.Was+">"+d.State)
		}
		if len(states) != 2 || states[0] != "active>paused" || states[1] != "paused>active" {
			t.Errorf("agent.state entries %v, want [active>paused paused>active]", states)
		}
	})
}
