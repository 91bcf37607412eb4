package fleet

import (
	"context"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/towerops/tower/internal/foundation"
	"github.com/towerops/tower/internal/governance"
	"github.com/towerops/tower/internal/proposal"
	"github.com/towerops/tower/internal/store"
	"github.com/towerops/tower/internal/store/eachbackend"
)

// TestExecutorFailureEndsInFailedWithTheReason checks the execution job:
// an attempt that fails is returned for River to retry, and the last
// attempt records the failure on the proposal instead of dropping it.
func TestExecutorFailureEndsInFailedWithTheReason(t *testing.T) {
	eachbackend.Run(t, func(t *testing.T, st store.Store) {
		ctx := context.Background()
		if _, err := st.CampaignsUpsert(ctx, &store.CampaignsUpsertParams{Campaigns: []foundation.Campaign{
			{ID: "POOR", Name: "poor", Budget: 10}, {ID: "RICH", Name: "rich", Budget: 10}}}); err != nil {
			t.Fatal(err)
		}
		now := time.Now().UTC()
		p := proposal.New(proposal.Draft{Agent: "a", Title: "too much", Key: "k", Confidence: 1, Actions: []proposal.Action{{
			Kind: proposal.ShiftBudget, Targets: []proposal.Target{{Type: proposal.TargetCampaign, ID: "POOR"}, {Type: proposal.TargetCampaign, ID: "RICH"}},
			Params: map[string]any{"amount": 50.0}}}}, "test-fleet", now)
		p.Status = proposal.StatusAllowed
		p.Decision = &proposal.Decision{Effect: proposal.EffectAllow, Autonomy: "auto", DecidedAt: now}
		if _, err := st.ProposalsInsert(ctx, &store.ProposalsInsertParams{Proposals: []proposal.Proposal{p}}); err != nil {
			t.Fatal(err)
		}
		w := &executeWorker{lc: &Lifecycle{Store: st}, log: slog.New(slog.DiscardHandler)}
		job := func(attempt int) *river.Job[ExecuteArgs] {
			return &river.Job[ExecuteArgs]{Args: ExecuteArgs{ProposalID: p.ID},
				JobRow: &rivertype.JobRow{Attempt: attempt, MaxAttempts: 3}}
		}
		if err := w.Work(ctx, job(1)); err == nil {
			t.Fatal("a failing execution reported success")
		}
		got, _ := st.ProposalGet(ctx, &store.ProposalGetParams{ID: p.ID})
		if got.Status != proposal.StatusExecuting {
			t.Fatalf("after a failed attempt the proposal is %s; want executing (to be retried)", got.Status)
		}
		if next := w.NextRetry(job(3)); next.Before(time.Now().Add(7 * time.Second)) {
			t.Errorf("backoff after the third attempt is %s; want 8 s", time.Until(next).Round(time.Second))
		}
		if err := w.Work(ctx, job(3)); err != nil {
			t.Fatalf("the last attempt should record the failure, not return %v", err)
		}
		got, _ = st.ProposalGet(ctx, &store.ProposalGetParams{ID: p.ID})
		if got.Status != proposal.StatusFailed || !strings.Contains(got.Error, "budget") {
			t.Fatalf("after the last attempt: status %s, error %q", got.Status, got.Error)
		}
		c, _ := st.CampaignGet(ctx, &store.CampaignGetParams{ID: "POOR"})
		if c.Campaign.Budget != 10 {
			t.Errorf("a failed shift changed the budget to %v", c.Campaign.Budget)
		}
	})
}

// TestExecuteOnce: a proposal that must wait for the kill switch is left
// as it is; one whose executor fails is marked failed at once with the
// reason (no retries follow a person's approval or a command).
func TestExecuteOnce(t *testing.T) {
	eachbackend.Run(t, func(t *testing.T, st store.Store) {
		ctx := context.Background()
		if _, err := st.CampaignsUpsert(ctx, &store.CampaignsUpsertParams{Campaigns: []foundation.Campaign{
			{ID: "POOR", Name: "poor", Budget: 10}, {ID: "RICH", Name: "rich", Budget: 10}}}); err != nil {
			t.Fatal(err)
		}
		now := time.Now().UTC()
		p := proposal.New(proposal.Draft{Agent: "a", Title: "too much", Key: "k", Confidence: 1, Actions: []proposal.Action{{
			Kind: proposal.ShiftBudget, Targets: []proposal.Target{{Type: proposal.TargetCampaign, ID: "POOR"}, {Type: proposal.TargetCampaign, ID: "RICH"}},
			Params: map[string]any{"amount": 50.0}}}}, "test-fleet", now)
		p.Status = proposal.StatusAllowed
		p.Decision = &proposal.Decision{Effect: proposal.EffectAllow, Autonomy: "auto", DecidedAt: now}
		if _, err := st.ProposalsInsert(ctx, &store.ProposalsInsertParams{Proposals: []proposal.Proposal{p}}); err != nil {
			t.Fatal(err)
		}
		lc := &Lifecycle{Store: st}
		if err := st.InTx(ctx, func(ctx context.Context, q store.Queries) error {
			return governance.PauseAll(ctx, q, "user:ana", "checking", now)
		}); err != nil {
			t.Fatal(err)
		}
		if _, err := lc.ExecuteOnce(ctx, p.ID); !Waiting(err) {
			t.Fatalf("with execution paused: %v, want a wait", err)
		}
		if got, _ := st.ProposalGet(ctx, &store.ProposalGetParams{ID: p.ID}); got.Status != proposal.StatusAllowed {
			t.Fatalf("a waiting proposal became %s", got.Status)
		}
		if err := st.InTx(ctx, func(ctx context.Context, q store.Queries) error {
			return governance.ResumeAll(ctx, q, "user:ana", now)
		}); err != nil {
			t.Fatal(err)
		}
		if _, err := lc.ExecuteOnce(ctx, p.ID); err == nil || Waiting(err) {
			t.Fatalf("a failing executor: %v, want its error", err)
		}
		got, _ := st.ProposalGet(ctx, &store.ProposalGetParams{ID: p.ID})
		if got.Status != proposal.StatusFailed || !strings.Contains(got.Error, "budget") {
			t.Fatalf("after a failed execution: status %s, error %q", got.Status, got.Error)
		}
	})
}
