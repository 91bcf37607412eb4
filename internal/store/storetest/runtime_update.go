package storetest

import (
	"errors"
	"testing"
	"time"

	"github.com/towerops/tower/internal/proposal"
	"github.com/towerops/tower/internal/store"
)

var proposalUpdateTests = []test{
	{"ProposalUpdateCompareAndSet", func(t *testing.T, s store.Store) {
		at := date(2025, 6, 1)
		p := newProposal("p_1", "a1", "k1", proposal.StatusProposed, at)
		insertProposals(t, s, p)

		// A legal move from the stored status, with a decision and preview.
		d := &proposal.Decision{Effect: proposal.EffectAllow, Autonomy: "auto", Rules: []string{"small-suppress"},
			Reason: "under the cap", DecidedAt: at.Add(time.Minute)}
		preview := []proposal.Change{{Action: 0, Target: proposal.RecordTarget("esp", "e:7", ""), Field: "status", Before: "active", After: "suppressed"}}
		got := must[*proposal.Proposal](t)(s.ProposalUpdate(ctx(t), &store.ProposalUpdateParams{ID: "p_1",
			From: proposal.StatusProposed, To: proposal.StatusAllowed, Decision: d, Preview: preview, At: at.Add(time.Minute)}))
		want := p
		want.Status, want.Decision, want.Preview, want.UpdatedAt = proposal.StatusAllowed, d, preview, at.Add(time.Minute)
		checkProposal(t, *got, want)
		checkProposal(t, *must[*proposal.Proposal](t)(s.ProposalGet(ctx(t), &store.ProposalGetParams{ID: "p_1"})), want)

		// A stale From: someone else moved it first.
		_, err := s.ProposalUpdate(ctx(t), &store.ProposalUpdateParams{ID: "p_1",
			From: proposal.StatusProposed, To: proposal.StatusDenied, At: at.Add(2 * time.Minute)})
		if !errors.Is(err, store.ErrConflict) {
			t.Errorf("stale From: err = %v, want store.ErrConflict", err)
		}
		// An illegal move is refused whatever is stored.
		_, err = s.ProposalUpdate(ctx(t), &store.ProposalUpdateParams{ID: "p_1",
			From: proposal.StatusAllowed, To: proposal.StatusUndone, At: at.Add(2 * time.Minute)})
		if !errors.Is(err, proposal.ErrIllegalTransition) {
			t.Errorf("illegal move: err = %v, want proposal.ErrIllegalTransition", err)
		}
		_, err = s.ProposalUpdate(ctx(t), &store.ProposalUpdateParams{ID: "p_404",
			From: proposal.StatusProposed, To: proposal.StatusAllowed})
		wantNotFound(t, "ProposalUpdate(p_404)", err)
		// Refused updates changed nothing.
		checkProposal(t, *must[*proposal.Proposal](t)(s.ProposalGet(ctx(t), &store.ProposalGetParams{ID: "p_1"})), want)

		// Along the lifecycle: a failure keeps its reason and the decision
		// stays when an update carries none.
		for _, step := range []struct {
			to  proposal.Status
			err string
		}{{proposal.StatusExecuting, ""}, {proposal.StatusFailed, "ESP answered 503 three times"}, {proposal.StatusExecuting, ""}} {
			from := want.Status
			got = must[*proposal.Proposal](t)(s.ProposalUpdate(ctx(t), &store.ProposalUpdateParams{ID: "p_1",
				From: from, To: step.to, Error: step.err, At: at.Add(time.Hour)}))
			want.Status, want.UpdatedAt = step.to, at.Add(time.Hour)
			if step.err != "" {
				want.Error = step.err
			}
			checkProposal(t, *got, want)
		}
		counts := must[map[proposal.Status]int](t)(s.ProposalsCount(ctx(t), &store.ProposalsListParams{}))
		checkEqual(t, "counts", counts, map[proposal.Status]int{proposal.StatusExecuting: 1})
	}},
	{"ProposalUpdateRace", func(t *testing.T, s store.Store) {
		insertProposals(t, s, newProposal("p_1", "a1", "k1", proposal.StatusPendingApproval, date(2025, 6, 1)))
		// Two people decide at once: exactly one wins.
		errs := make(chan error, 2)
		for _, to := range []proposal.Status{proposal.StatusApproved, proposal.StatusRejected} {
			go func() {
				_, err := s.ProposalUpdate(ctx(t), &store.ProposalUpdateParams{ID: "p_1",
					From: proposal.StatusPendingApproval, To: to})
				errs <- err
			}()
		}
		var ok, conflicts int
		for range 2 {
			switch err := <-errs; {
			case err == nil:
				ok++
			case errors.Is(err, store.ErrConflict):
				conflicts++
			default:
				t.Errorf("racing update: %v", err)
			}
		}
		checkEqual(t, "winners, conflicts", [2]int{ok, conflicts}, [2]int{1, 1})
	}},
}
