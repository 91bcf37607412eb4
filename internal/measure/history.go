package measure

import (
	"context"
	"time"

	"github.com/towerops/tower/internal/proposal"
	"github.com/towerops/tower/internal/store"
)

// Record is one proposal with what happened to it.
type Record struct {
	Proposal proposal.Proposal
	// Made is when the agent first proposed it: for a person's revision,
	// the creation of the agent's own revision it replaces.
	Made       time.Time
	Executions []store.Execution
	// Outcome is its realised value; nil until measured.
	Outcome *store.Outcome
	// Owner is the agent's owner; Team the team of its skill.
	Owner, Team string
}

// AutonomyChange is one promotion or demotion from the audit log.
type AutonomyChange struct {
	Agent    string        `json:"agent"`
	Kind     proposal.Kind `json:"kind"`
	Promoted bool          `json:"promoted"`
	At       time.Time     `json:"at"`
}

// History is everything scorecards are computed from, over [Since, Until).
type History struct {
	Since, Until time.Time
	Records      []Record
	Changes      []AutonomyChange
}

// Filter picks the history to load; zero fields do not filter.
type Filter struct {
	Since, Until time.Time
	Agent, Skill string
}

// Load reads the proposals made in [f.Since, f.Until) with their
// executions and outcomes, and the autonomy changes of the period.
func Load(ctx context.Context, q store.Queries, f Filter) (*History, error) {
	return &History{Since: f.Since, Until: f.Until}, nil
}

// Options say how to compute scorecards.
type Options struct {
	By    By
	Trend Trend
	// ReviewMinutes is the assumed time a person spends on one decision
	// (0: DefaultReviewMinutes).
	ReviewMinutes float64
}

// DefaultReviewMinutes is the assumed time a person spends reading a
// proposal and deciding on it.
const DefaultReviewMinutes = 3.0

// Scorecards groups h as o.By says and scores each group over h's
// period, ordered by key (the fleet's single card for ByFleet).
func Scorecards(h *History, o Options) []Card {
	return nil
}
