package governance

import (
	"context"
	"fmt"
	"time"

	"github.com/towerops/tower/internal/proposal"
	"github.com/towerops/tower/internal/store"
)

// Level is how much an agent may do on its own for one action kind.
type Level string

// Autonomy levels, from none to full.
const (
	Off        Level = "off"         // the agent may not propose it
	Suggest    Level = "suggest"     // a person carries it out by hand
	Approve    Level = "approve"     // runs after a person approves
	Auto       Level = "auto"        // runs on its own; people are told
	AutoSilent Level = "auto-silent" // runs on its own; only the audit log says so
)

// Levels lists the levels from none to full.
func Levels() []Level { return []Level{Off, Suggest, Approve, Auto, AutoSilent} }

// ParseLevel parses a level name.
func ParseLevel(s string) (Level, error) {
	for _, l := range Levels() {
		if string(l) == s {
			return l, nil
		}
	}
	return "", fmt.Errorf("unknown autonomy level %q: use off, suggest, approve, auto or auto-silent", s)
}

// DefaultLevels are the levels an agent starts with. Anything that changes
// what customers receive or what the team pays needs a person; telling
// people and creating tasks for them does not.
var DefaultLevels = map[proposal.Kind]Level{
	proposal.Notify:     Auto,
	proposal.CreateTask: Auto,
}

// Input is what a decision looks at.
type Input struct {
	Proposal *proposal.Proposal
	Agent    store.Agent
	// Actor is who asked: "agent:NAME" (default) or "user:NAME".
	Actor string
	// Now is when the decision is made (zero: the current time).
	Now time.Time
	// Reader answers foundation lookups for rule variables.
	Reader store.Reader
	// Track is the agent's autonomy track per action kind (nil: none).
	Track map[proposal.Kind]*store.AutonomyTrack
	// Usage is what the agent already changed, for caps.
	Usage Usage
	// SystemTotals counts records per system, for caps in percent.
	SystemTotals map[string]int
	// History is the agent's recent record (breaker window counts).
	History TrackVars
}

// Governor decides on proposals.
type Governor interface {
	Decide(ctx context.Context, in Input) (proposal.Decision, error)
}

func effectOf(l Level) proposal.Effect {
	switch l {
	case Off:
		return proposal.EffectDeny
	case Auto, AutoSilent:
		return proposal.EffectAllow
	}
	return proposal.EffectRequireApproval
}

func stricter(a, b proposal.Effect) bool { return effectRank(a) > effectRank(b) }

func effectRank(e proposal.Effect) int {
	switch e {
	case proposal.EffectDeny:
		return 2
	case proposal.EffectRequireApproval:
		return 1
	}
	return 0
}

func rank(l Level) int {
	for i, x := range Levels() {
		if x == l {
			return i
		}
	}
	return len(Levels())
}

// StatusFor maps a decision to the status the proposal moves to.
func StatusFor(d proposal.Decision) proposal.Status {
	switch d.Effect {
	case proposal.EffectAllow:
		return proposal.StatusAllowed
	case proposal.EffectDeny:
		return proposal.StatusDenied
	}
	return proposal.StatusPendingApproval
}
