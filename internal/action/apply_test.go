package action

import (
	"context"
	"errors"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/towerops/tower/internal/proposal"
	"github.com/towerops/tower/internal/store"
)

var errCrash = errors.New("simulated crash")

// crashOnce wraps an executor: its first Execute applies the effect and
// then fails, as if the process died before the transaction committed.
type crashOnce struct {
	Executor
	crashed atomic.Bool
}

func (c *crashOnce) Execute(ctx context.Context, q store.Queries, x Context, a proposal.Action) (Outcome, error) {
	if c.crashed.Swap(true) {
		return c.Executor.Execute(ctx, q, x, a)
	}
	if _, err := c.Executor.Execute(ctx, q, x, a); err != nil {
		return Outcome{}, err
	}
	return Outcome{}, errCrash
}

func TestApplyAfterCrashFinishesTheRest(t *testing.T) {
	t.Parallel()
	onBackends(t, func(t *testing.T, st store.Store, w world) {
		tagger, _ := For(proposal.Tag)
		crash := &crashOnce{Executor: tagger}
		find := func(k proposal.Kind) (Executor, bool) {
			if k == proposal.Tag {
				return crash, true
			}
			return For(k)
		}
		c1, c2 := target(proposal.TargetCampaign, "C-1"), target(proposal.TargetCampaign, "C-2")
		p := prop(t,
			act(proposal.ShiftBudget, map[string]any{"amount": 100}, c1, c2),
			act(proposal.Tag, map[string]any{"tag": "watch"}, target(proposal.TargetAccount, "A-1")),
			act(proposal.PauseCampaign, map[string]any{"reason": "budget moved"}, c1))

		rep, err := apply(t.Context(), st, p, x0, find)
		wantIs(t, "first apply", err, errCrash)
		if err != nil && !strings.Contains(err.Error(), "action 1 (tag)") {
			t.Errorf("error %q does not name the action", err)
		}
		equal(t, "applied before the crash", rep.Applied, 1)
		equal(t, "C-1 after crash", campaign(t, st, "C-1").Budget, 900.0)
		tags, _ := st.TagsList(t.Context(), &store.TagsListParams{Tag: "watch"})
		equal(t, "the crashed action's effect was rolled back", len(tags), 0)
		equal(t, "C-1 not paused yet", campaign(t, st, "C-1").Status, "active")
		execs, _ := st.ExecutionsList(t.Context(), &store.ExecutionsListParams{ProposalID: p.ID})
		equal(t, "recorded after crash", len(execs), 1)

		rep, err = apply(t.Context(), st, p, x0, find)
		if err != nil {
			t.Fatalf("second apply: %v", err)
		}
		equal(t, "applied on retry", rep.Applied, 2)
		equal(t, "skipped on retry", rep.Skipped, 1)
		equal(t, "skipped result is the recorded one", rep.Results[0], "moved 100 of budget from C-1 to C-2")
		equal(t, "C-1 moved once", campaign(t, st, "C-1").Budget, 900.0)
		equal(t, "C-2 moved once", campaign(t, st, "C-2").Budget, 300.0)
		equal(t, "C-1 paused", campaign(t, st, "C-1").Status, "paused")
		tags, _ = st.TagsList(t.Context(), &store.TagsListParams{Tag: "watch"})
		equal(t, "tagged once", len(tags), 1)
		execs, _ = st.ExecutionsList(t.Context(), &store.ExecutionsListParams{ProposalID: p.ID})
		equal(t, "recorded", len(execs), 3)
		for i, e := range execs {
			equal(t, "execution action", e.Action, i)
			equal(t, "execution key", e.Key, proposal.ActionKey(p.ID, i))
			equal(t, "execution actor", e.Actor, x0.Actor)
		}
		equal(t, "audit", strings.Join(auditActions(t, st, p), ","), "execution.done,execution.done,execution.done")

		mustUndo(t, st, p)
		equal(t, "C-1 after undo", campaign(t, st, "C-1").Budget, 1000.0)
		equal(t, "C-2 after undo", campaign(t, st, "C-2").Budget, 200.0)
		equal(t, "C-1 active again", campaign(t, st, "C-1").Status, "active")
		tags, _ = st.TagsList(t.Context(), &store.TagsListParams{Tag: "watch"})
		equal(t, "tag gone", len(tags), 0)
		// Undoing again finds everything undone and changes nothing.
		mustUndo(t, st, p)
		equal(t, "C-1 after second undo", campaign(t, st, "C-1").Budget, 1000.0)
		execs, _ = st.ExecutionsList(t.Context(), &store.ExecutionsListParams{ProposalID: p.ID})
		for _, e := range execs {
			equal(t, "undone by", e.UndoneBy, x0.Actor)
		}
		acts := auditActions(t, st, p)
		equal(t, "undo audited once per action", strings.Count(strings.Join(acts, ","), "execution.undone"), 3)
	})
}

func TestEveryKindHasAnExecutor(t *testing.T) {
	t.Parallel()
	for _, k := range proposal.Kinds() {
		if _, ok := For(k); !ok {
			t.Errorf("no executor for %s", k)
		}
	}
}

func TestRegisterTwicePanics(t *testing.T) {
	t.Parallel()
	defer func() {
		if recover() == nil {
			t.Error("a second executor for tag did not panic")
		}
	}()
	Register(&Tag{})
}
