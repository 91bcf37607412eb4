package governance

import (
	"context"
	"errors"
	"time"

	"github.com/towerops/tower/internal/proposal"
	"github.com/towerops/tower/internal/store"
)

// This file holds the signatures of earned autonomy, caps, the breaker
// and the kill switch until they are written.

// ErrExecutionPaused is returned (wrapped) when the kill switch is on.
var ErrExecutionPaused = errors.New("all execution is paused (tower resume --all)")

// Usage is what an agent already changed, for caps.
type Usage struct {
	Today   int // records changed since the start of the day (UTC)
	ThisRun int // records in proposals earlier in this run
}

// LevelFor returns the autonomy level for kind: the agent's earned level,
// else its override, else the skill's, else the defaults; earned says
// whether it was earned.
func (c AutonomyConfig) LevelFor(a store.Agent, kind proposal.Kind, track *store.AutonomyTrack) (l Level, earned bool) {
	return Approve, false
}

// CapsFor merges the pack's caps for a skill with an agent's own: the
// lower non-zero limit wins.
func (c CapsConfig) CapsFor(skill string, agent store.Caps) Caps { return Caps{} }

// CheckCaps returns a require_approval match for every cap the proposal
// would go over.
func CheckCaps(c Caps, usage Usage, p *proposal.Proposal, vars []Vars, systemTotals map[string]int) []proposal.Match {
	return nil
}

// Earner keeps agents' autonomy tracks: streaks, promotion, demotion.
type Earner struct {
	Pack *Pack
}

// Approved records a person's approval without edit of p.
func (e Earner) Approved(ctx context.Context, q store.Queries, p *proposal.Proposal, a store.Agent, now time.Time) error {
	return nil
}

// Reset breaks the streaks of p's kinds (rejected or edited).
func (e Earner) Reset(ctx context.Context, q store.Queries, p *proposal.Proposal, why string, now time.Time) error {
	return nil
}

// Demote takes earned levels away (kinds nil: every kind) for cause
// "undo", "incident" or "breaker".
func (e Earner) Demote(ctx context.Context, q store.Queries, a store.Agent, kinds []proposal.Kind, cause, reason string, now time.Time) error {
	return nil
}

// Breaker trips agents whose record over the window is bad.
type Breaker struct {
	Pack *Pack
}

// Check trips agent if its rejections, undos or failures are over the
// limits; it reports whether it tripped it.
func (b Breaker) Check(ctx context.Context, q store.Queries, agent string, now time.Time) (bool, error) {
	return false, nil
}

// ExecutionPaused reports whether the kill switch is on.
func ExecutionPaused(ctx context.Context, q store.Queries) (bool, error) { return false, nil }
