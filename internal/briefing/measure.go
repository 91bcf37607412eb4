package briefing

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/towerops/tower/internal/measure"
	"github.com/towerops/tower/internal/store"
)

// ScorecardWindow is how far back the briefing scores agents: a week,
// long enough for a rate to mean something, short enough to be news.
const ScorecardWindow = 7 * 24 * time.Hour

// Thresholds of an agent that needs attention.
const (
	// AttentionAcceptRate: people accept less than this share of what it
	// proposes, once at least AttentionMinDecided were decided.
	AttentionAcceptRate = 0.5
	AttentionMinDecided = 5
	// AttentionUndoRate and AttentionErrorRate: more than this share of
	// what it carried out was undone, or failed.
	AttentionUndoRate  = 0.1
	AttentionErrorRate = 0.1
)

// Attention is an agent whose week needs a person to look at it.
type Attention struct {
	Agent string `json:"agent"`
	// Reasons say what is wrong, each with its figures ("people accepted
	// 33% of 6 decided").
	Reasons []string     `json:"reasons"`
	Card    measure.Card `json:"card"`
	Link    string       `json:"link"`
}

// Realised is the value measured in the window: what executed proposals
// turned out to be worth when Tower checked, whenever they ran.
type Realised struct {
	PipelineUSD float64 `json:"pipeline_usd"`
	SavingsUSD  float64 `json:"savings_usd"`
	HoursSaved  float64 `json:"hours_saved"`
	Conversions float64 `json:"conversions"`
	// Proposals counts the proposals measured.
	Proposals int `json:"proposals"`
}

// attentionOf says why an agent's card needs attention; none when it
// does not.
func attentionOf(c measure.Card) []string {
	var why []string
	if c.Decided >= AttentionMinDecided && c.AcceptRate < AttentionAcceptRate {
		why = append(why, fmt.Sprintf("people accepted %s of %d decided", percent(c.AcceptRate), c.Decided))
	}
	if c.Executed > 0 && c.UndoRate > AttentionUndoRate {
		why = append(why, fmt.Sprintf("%d of %d carried out were undone (%s)", c.Undone, c.Executed, percent(c.UndoRate)))
	}
	if c.Failed > 0 && c.ErrorRate > AttentionErrorRate {
		why = append(why, fmt.Sprintf("%d of %d runs failed (%s)", c.Failed, c.Executed+c.Failed, percent(c.ErrorRate)))
	}
	return why
}

func percent(r float64) string { return fmt.Sprintf("%.0f%%", r*100) }

// addMeasure scores every agent over the week before At, lists those
// that need attention, and sums the value measured in the window.
func (d *Digest) addMeasure(ctx context.Context, q store.Queries) error {
	h, err := measure.Load(ctx, q, measure.Filter{Since: d.At.Add(-ScorecardWindow), Until: d.At})
	if err != nil {
		return fmt.Errorf("briefing: the agents' scorecards: %w", err)
	}
	cards := measure.Scorecards(h, measure.Options{By: measure.ByAgent})
	// The busiest agents first: the week's work is mostly theirs.
	slices.SortStableFunc(cards, func(a, b measure.Card) int {
		if c := cmp.Compare(b.Proposals, a.Proposals); c != 0 {
			return c
		}
		return cmp.Compare(a.Key, b.Key)
	})
	d.Counts.Scored = len(cards)
	for _, c := range cards {
		if why := attentionOf(c); len(why) > 0 {
			d.Counts.Attention++
			if len(d.Attention) < MaxItems {
				d.Attention = append(d.Attention, Attention{Agent: c.Key, Reasons: why, Card: c, Link: "/agents/" + c.Key})
			}
		}
	}
	d.Scorecards = cards[:min(len(cards), MaxItems)]
	os, err := q.OutcomesList(ctx, &store.OutcomesListParams{Since: d.Since})
	if err != nil {
		return fmt.Errorf("briefing: the outcomes measured: %w", err)
	}
	for _, o := range os {
		if !d.in(o.MeasuredAt) {
			continue
		}
		d.Realised.PipelineUSD += o.Value.PipelineUSD
		d.Realised.SavingsUSD += o.Value.SavingsUSD
		d.Realised.HoursSaved += o.Value.HoursSaved
		d.Realised.Conversions += o.Value.Conversions
		d.Realised.Proposals++
	}
	return nil
}
