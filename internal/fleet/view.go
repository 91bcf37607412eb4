package fleet

import (
	"time"

	"github.com/towerops/tower/internal/store"
)

// AgentView is the stable JSON form of an agent, as the CLI and the API
// show it: scope "all" spelled out, maps never null.
type AgentView struct {
	Name        string            `json:"name"`
	Skill       string            `json:"skill"`
	Owner       string            `json:"owner"`
	Description string            `json:"description,omitempty"`
	State       string            `json:"state"`
	StateReason string            `json:"state_reason,omitempty"`
	Scope       store.Scope       `json:"scope"`
	Params      map[string]any    `json:"params"`
	Autonomy    map[string]string `json:"autonomy"`
	Caps        store.Caps        `json:"caps"`
	Schedule    string            `json:"schedule,omitempty"`
	Source      string            `json:"source"`
	CreatedAt   time.Time         `json:"created_at"`
	UpdatedAt   time.Time         `json:"updated_at"`
}

// ViewOf returns an agent's view.
func ViewOf(a store.Agent) AgentView {
	j := AgentView{Name: a.Name, Skill: a.Skill, Owner: a.Owner, Description: a.Description, State: string(a.State),
		StateReason: a.StateReason, Scope: a.Scope, Params: a.Params, Autonomy: map[string]string{}, Caps: a.Caps,
		Schedule: a.Schedule, Source: a.Source, CreatedAt: a.CreatedAt, UpdatedAt: a.UpdatedAt}
	if j.Scope.Kind == "" {
		j.Scope.Kind = "all"
	}
	if j.Params == nil {
		j.Params = map[string]any{}
	}
	for k, v := range a.Autonomy {
		j.Autonomy[string(k)] = v
	}
	return j
}
