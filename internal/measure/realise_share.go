package measure

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/towerops/tower/internal/action"
	"github.com/towerops/tower/internal/proposal"
	"github.com/towerops/tower/internal/store"
)

// found is what measuring one action found: the share of its effect
// still in place, and what was seen, in words.
type found struct {
	share float64
	says  string
}

// measureProposal measures p now: each action's share of its effect
// still in place, their mean as the proposal's share, and the expected
// value scaled by it.
func measureProposal(ctx context.Context, st store.Store, p *proposal.Proposal, es []store.Execution, now time.Time) (store.Outcome, error) {
	byAction := make(map[int]store.Execution, len(es))
	for _, e := range es {
		byAction[e.Action] = e
	}
	parts := make([]string, 0, len(p.Actions))
	total := 0.0
	for i, a := range p.Actions {
		f, err := measureAction(ctx, st, p, i, a, byAction)
		if err != nil {
			return store.Outcome{}, fmt.Errorf("action %d (%s): %w", i, a.Kind, err)
		}
		total += f.share
		if len(p.Actions) > 1 {
			f.says = fmt.Sprintf("action %d (%s): %s", i+1, kindWords(a.Kind), f.says)
		}
		parts = append(parts, f.says)
	}
	share := 1.0
	if len(p.Actions) > 0 {
		share = total / float64(len(p.Actions))
	}
	days := int(now.Sub(lastExecuted(p, es)) / day24)
	method := fmt.Sprintf("Measured on %s, %d %s after it ran: %s; %s of the effect was in place.",
		now.UTC().Format(time.DateOnly), days, plural(days, "day"), strings.Join(parts, "; "), percent(share))
	v := scaled(p.ExpectedValue, share)
	if messagesOnly(p) && (v.SavingsUSD != 0 || v.PipelineUSD != 0 || v.Conversions != 0) {
		// A note that seats could be saved saves nothing by being sent: the
		// dollars are realised by the change it asks for, when a person or
		// an agent makes it — and counted there, not twice.
		v.SavingsUSD, v.PipelineUSD, v.Conversions = 0, 0, 0
		method += " A message's dollars count when the change it asks for is made, not when it is sent."
	}
	v.Assumptions = append(slices.Clone(p.ExpectedValue.Assumptions), method)
	return store.Outcome{ProposalID: p.ID, MeasuredAt: now, Value: v, Share: share, Method: method}, nil
}

// messagesOnly reports whether every action of p only tells people
// something (notify, create_task).
func messagesOnly(p *proposal.Proposal) bool {
	for _, a := range p.Actions {
		if a.Kind != proposal.Notify && a.Kind != proposal.CreateTask {
			return false
		}
	}
	return len(p.Actions) > 0
}

// measureAction measures action i of p, executed as byAction[i].
func measureAction(ctx context.Context, st store.Store, p *proposal.Proposal, i int, a proposal.Action,
	byAction map[int]store.Execution) (found, error) {
	e, ok := byAction[i]
	switch {
	case !ok:
		return found{0, "it was never carried out"}, nil
	case !e.UndoneAt.IsZero():
		by := ""
		if e.UndoneBy != "" {
			by = " by " + e.UndoneBy
		}
		return found{0, fmt.Sprintf("it was undone%s on %s", by, e.UndoneAt.UTC().Format(time.DateOnly))}, nil
	}
	switch a.Kind {
	case proposal.Notify:
		return found{1, "the notification was sent"}, nil
	case proposal.CreateTask:
		return found{1, "the task was created"}, nil
	case proposal.CutLicenseSeats:
		return seatsFound(ctx, st, a, e)
	case proposal.ShiftBudget:
		return budgetFound(ctx, st, p, i, e)
	}
	return previewFound(ctx, st, a)
}

// previewFound measures a kind whose effect is a lasting change of
// fields (consent, tags, owners, campaign status, templates, merges) by
// previewing the action again now: every change whose before already
// equals its after is still in place, since executing it again would
// change nothing there.
func previewFound(ctx context.Context, st store.Store, a proposal.Action) (found, error) {
	ex, ok := action.For(a.Kind)
	if !ok {
		return found{1, "there is nothing Tower can check for it"}, nil
	}
	changes, err := ex.Preview(ctx, st, a)
	if errors.Is(err, store.ErrNotFound) {
		return found{0, "what it changed no longer exists"}, nil
	}
	if err != nil {
		return found{}, err
	}
	if len(changes) == 0 {
		return found{1, "there was nothing left to check"}, nil
	}
	held := 0
	for _, c := range changes {
		if c.Before == c.After {
			held++
		}
	}
	return found{float64(held) / float64(len(changes)),
		fmt.Sprintf("%d of %d %s still in place", held, len(changes), plural(len(changes), "change"))}, nil
}

// scaled is v with every figure multiplied by share, without assumptions.
func scaled(v proposal.Value, share float64) proposal.Value {
	return proposal.Value{Conversions: v.Conversions * share, PipelineUSD: v.PipelineUSD * share,
		SavingsUSD: v.SavingsUSD * share, HoursSaved: v.HoursSaved * share}
}

// clamp01 bounds x to [0,1].
func clamp01(x float64) float64 { return min(max(x, 0), 1) }

func percent(share float64) string { return fmt.Sprintf("%.0f%%", share*100) }

func plural(n int, word string) string {
	if n == 1 {
		return word
	}
	return word + "s"
}

// kindWords is an action kind as people say it: "cut licence seats".
func kindWords(k proposal.Kind) string { return strings.ReplaceAll(string(k), "_", " ") }
