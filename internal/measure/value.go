package measure

import (
	"context"
	"time"

	"github.com/towerops/tower/internal/proposal"
	"github.com/towerops/tower/internal/store"
)

// Model is how one action kind's value is estimated when an agent
// proposes it, and how Tower later measures what it was worth.
type Model struct {
	Kind proposal.Kind `json:"kind"`
	// Estimate says in words how agents estimate the value.
	Estimate string `json:"estimate"`
	// Realise says in words how the realised value is measured.
	Realise string `json:"realise"`
	// After is how long after execution the outcome is measured.
	After time.Duration `json:"after"`
}

// ModelFor returns the model of kind k.
func ModelFor(k proposal.Kind) Model { return Model{Kind: k} }

// Models lists every action kind's model, by kind.
func Models() []Model { return nil }

// RealiseResult says what one Realise pass measured.
type RealiseResult struct {
	// Measured counts outcomes written; Waiting the executed proposals
	// whose measurement time has not come.
	Measured int `json:"measured"`
	Waiting  int `json:"waiting"`
}

// Realise measures every executed (or undone) proposal whose
// measurement time has come and that has no outcome yet, and stores the
// outcomes.
func Realise(ctx context.Context, st store.Store, now time.Time) (*RealiseResult, error) {
	return &RealiseResult{}, nil
}
