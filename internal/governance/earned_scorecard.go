package governance

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/towerops/tower/internal/measure"
	"github.com/towerops/tower/internal/proposal"
	"github.com/towerops/tower/internal/store"
)

// defaultScorecardWindow is the period a promotion's scorecard covers
// when the rule does not say.
const defaultScorecardWindow = 30 * 24 * time.Hour

// gated reports whether the rule asks anything of the scorecard.
func (r PromotionRule) gated() bool {
	return r.MinAcceptRate > 0 || r.MaxUndoRate > 0 || r.MinRealisedRatio > 0
}

// scorecardAllows checks the agent's scorecard for kind against the
// rule's thresholds, the same figures `tower scorecards --by kind` shows.
// It returns the promotion's reason with the figures that earned it, or
// held: why the streak is not enough ("" when it is).
func (r PromotionRule) scorecardAllows(ctx context.Context, q store.Queries, agent string, kind proposal.Kind, now time.Time) (why, held string, err error) {
	why = r.reason()
	if !r.gated() {
		return why, "", nil
	}
	window := r.Window
	if window <= 0 {
		window = defaultScorecardWindow
	}
	h, err := measure.Load(ctx, q, measure.Filter{Agent: agent, Since: now.Add(-window), WithoutChanges: true})
	if err != nil {
		return "", "", fmt.Errorf("scorecard of %s for %s: %w", agent, kind, err)
	}
	var c measure.Card
	for _, k := range measure.Scorecards(h, measure.Options{By: measure.ByKind}) {
		if k.Key == string(kind) {
			c = k
		}
	}
	var have, short []string
	span := humanDuration(window)
	if r.MinAcceptRate > 0 {
		s := fmt.Sprintf("%s%% of decisions approving in %s", percent(c.AcceptRate*100), span)
		have = append(have, s)
		if c.AcceptRate < r.MinAcceptRate {
			short = append(short, fmt.Sprintf("%s (needs %s%%)", s, percent(r.MinAcceptRate*100)))
		}
	}
	if r.MaxUndoRate > 0 {
		s := fmt.Sprintf("%s%% of executions undone", percent(c.UndoRate*100))
		have = append(have, s)
		if c.UndoRate > r.MaxUndoRate {
			short = append(short, fmt.Sprintf("%s (at most %s%%)", s, percent(r.MaxUndoRate*100)))
		}
	}
	if r.MinRealisedRatio > 0 && c.Measured > 0 {
		s := fmt.Sprintf("%s%% of the promised value realised", percent(c.RealisedRatio*100))
		have = append(have, s)
		if c.RealisedRatio < r.MinRealisedRatio {
			short = append(short, fmt.Sprintf("%s (needs %s%%)", s, percent(r.MinRealisedRatio*100)))
		}
	}
	if len(short) > 0 {
		return "", strings.Join(short, "; "), nil
	}
	return why + "; " + strings.Join(have, ", "), "", nil
}
