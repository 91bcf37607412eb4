package skill

import (
	"context"
	"time"

	"github.com/towerops/tower/internal/proposal"
	"github.com/towerops/tower/internal/store"
)

// Skill is one built-in behaviour.
type Skill interface {
	Manifest() Manifest
	// Run looks at the foundation for every agent of the batch and returns
	// what they propose. Each draft names its agent. A skill returns an
	// error only when it cannot run at all; findings are drafts.
	Run(ctx context.Context, v View, batch []Agent) ([]proposal.Draft, error)
}

// Agent is what a skill sees of an agent: its name, scope, owner and its
// parameters already resolved (defaults, then the agent's overrides,
// validated).
type Agent struct {
	Name   string
	Owner  string
	Scope  store.Scope
	Params Params
}

// View is the read-only foundation a skill runs against. Reads of dated
// facts (events, consent, campaign days) never see anything after Now, so
// a simulated day sees what was known that day.
type View interface {
	store.Reader
	// Now is the time the run happens at (the simulated day in a
	// simulation).
	Now() time.Time
	// Knowledge returns a knowledge layer the skill's manifest declares;
	// ErrUndeclaredLayer for any other layer.
	Knowledge(layer string) (any, error)
}

// Trigger says why a run happened.
type Trigger struct {
	Kind  string // "schedule", "event", "manual", "simulate"
	Event string // the event kind for Kind "event"
}

func (t Trigger) String() string {
	if t.Event != "" {
		return t.Kind + ":" + t.Event
	}
	return t.Kind
}
