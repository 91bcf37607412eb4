// Package briefing builds the daily digest a person gets: the decisions
// waiting for them, what agents flagged, what agents did on their own,
// agents tripped or promoted, and the value delivered.
package briefing

import (
	"context"
	"errors"
	"time"

	"github.com/towerops/tower/internal/store"
)

// Digest is one person's briefing.
type Digest struct {
	For   string     `json:"for"`
	Role  store.Role `json:"role"`
	At    time.Time  `json:"at"`
	Since time.Time  `json:"since"`
}

// Build assembles user's briefing for the window (now-window, now].
func Build(ctx context.Context, q store.Queries, user string, now time.Time, window time.Duration) (*Digest, error) {
	return nil, errors.New("briefing: not built yet")
}
