package governance

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/towerops/tower/internal/audit"
	"github.com/towerops/tower/internal/store"
)

// The kill switch stops every execution at once: `tower pause --all`
// sets it, executors check it before each action (so a proposal running
// when it is set stops between two actions), and `tower resume --all`
// lets everything carry on where it stopped, each action still exactly
// once. Proposals keep their status meanwhile: nothing is lost or
// decided while execution is paused.

// ErrExecutionPaused is returned (wrapped) when the kill switch is on.
var ErrExecutionPaused = errors.New("all execution is paused (tower resume --all)")

// ErrAgentHeld is returned (wrapped) for a proposal that runs on its own
// autonomy while its agent is paused or tripped: it waits for the agent
// to be resumed or reset. Proposals a person approved still run.
var ErrAgentHeld = errors.New("the agent is paused or tripped; what it does on its own waits")

// SettingExecutionPaused is the setting that holds the kill switch.
const SettingExecutionPaused = "execution.paused"

// PauseState is the kill switch.
type PauseState struct {
	Paused bool      `json:"paused"`
	Reason string    `json:"reason,omitempty"`
	By     string    `json:"by,omitempty"`
	Since  time.Time `json:"since,omitzero"`
}

// ExecutionState reads the kill switch (off when never set).
func ExecutionState(ctx context.Context, q store.Queries) (PauseState, error) {
	s, err := q.SettingGet(ctx, &store.SettingGetParams{Key: SettingExecutionPaused})
	if errors.Is(err, store.ErrNotFound) {
		return PauseState{}, nil
	}
	if err != nil {
		return PauseState{}, fmt.Errorf("read the kill switch: %w", err)
	}
	var st PauseState
	if err := json.Unmarshal(s.Value, &st); err != nil {
		return PauseState{}, fmt.Errorf("read the kill switch: %w", err)
	}
	return st, nil
}

// ExecutionPaused reports whether the kill switch is on.
func ExecutionPaused(ctx context.Context, q store.Queries) (bool, error) {
	st, err := ExecutionState(ctx, q)
	return st.Paused, err
}

// PauseAll turns the kill switch on. Pausing again keeps who paused
// first, and since when.
func PauseAll(ctx context.Context, q store.Queries, by, reason string, now time.Time) error {
	cur, err := ExecutionState(ctx, q)
	if err != nil {
		return err
	}
	if cur.Paused {
		return nil
	}
	return setPause(ctx, q, PauseState{Paused: true, Reason: reason, By: by, Since: now.UTC()}, "execution.paused", now)
}

// ResumeAll turns the kill switch off.
func ResumeAll(ctx context.Context, q store.Queries, by string, now time.Time) error {
	cur, err := ExecutionState(ctx, q)
	if err != nil {
		return err
	}
	if !cur.Paused {
		return nil
	}
	return setPause(ctx, q, PauseState{By: by, Since: now.UTC()}, "execution.resumed", now)
}

func setPause(ctx context.Context, q store.Queries, st PauseState, what string, now time.Time) error {
	actor, name := actorOf(st.By)
	st.By = name
	v, err := json.Marshal(st)
	if err != nil {
		return err
	}
	if err := q.SettingSet(ctx, &store.SettingSetParams{Key: SettingExecutionPaused, Value: v, By: st.By, At: now}); err != nil {
		return fmt.Errorf("set the kill switch: %w", err)
	}
	data := map[string]any{}
	if st.Reason != "" {
		data["reason"] = st.Reason
	}
	return audit.Append(ctx, q, audit.Entry{Actor: actor, Action: what, Subject: "execution", At: now, Data: data})
}

// actorOf takes who acted, as a user name ("ana") or an audit actor
// ("user:ana", "token:t_1"), and returns both the audit actor and the
// name shown to people.
func actorOf(by string) (actor, name string) {
	if kind, rest, ok := strings.Cut(by, ":"); ok {
		if kind == "user" {
			return by, rest
		}
		return by, by
	}
	return "user:" + by, by
}
