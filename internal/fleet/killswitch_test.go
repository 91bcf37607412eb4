package fleet

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/towerops/tower/internal/governance"
	"github.com/towerops/tower/internal/proposal"
	"github.com/towerops/tower/internal/store"
	"github.com/towerops/tower/internal/store/eachbackend"
)

// readyProposals writes n proposals of agent, each with `actions` notify
// actions, in status (allowed: by autonomy; approved: by a person).
func readyProposals(t *testing.T, st store.Store, agent string, status proposal.Status, n, actions int) []string {
	t.Helper()
	var ps []proposal.Proposal
	var ids []string
	for i := range n {
		id := fmt.Sprintf("p_%s_%s_%04d", agent, status, i)
		p := proposal.Proposal{ID: id, Skill: "test-fleet", Agent: agent, Key: id, Status: status, Title: "tell the owner",
			CreatedAt: t0.Add(time.Duration(i) * time.Second), UpdatedAt: t0, ExpiresAt: t0.Add(proposal.DefaultTTL),
			Decision: &proposal.Decision{Effect: proposal.EffectAllow, Autonomy: "auto", DecidedAt: t0}}
		if status == proposal.StatusApproved {
			p.Decision = &proposal.Decision{Effect: proposal.EffectRequireApproval, Autonomy: "approve", DecidedAt: t0,
				Approvals: []proposal.Approval{{By: "ana", Verdict: "approved", At: t0}}}
		}
		for j := range actions {
			p.Actions = append(p.Actions, proposal.Action{Kind: proposal.Notify,
				Targets: []proposal.Target{{Type: proposal.TargetOwner, ID: "maria"}},
				Params:  map[string]any{"message": fmt.Sprintf("step %d of %s", j, id)}})
		}
		ps, ids = append(ps, p), append(ids, id)
	}
	if _, err := st.ProposalsInsert(context.Background(), &store.ProposalsInsertParams{Proposals: ps}); err != nil {
		t.Fatal(err)
	}
	return ids
}

// executionsDone counts the actions applied, from the audit log (one
// "execution.done" entry per action, written with it).
func executionsDone(t *testing.T, st store.Store) int {
	t.Helper()
	n := 0
	var after int64
	for {
		es, err := st.AuditList(context.Background(), &store.AuditListParams{AfterSeq: after, Limit: 1000})
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range es {
			if e.Action == "execution.done" {
				n++
			}
		}
		if len(es) < 1000 {
			return n
		}
		after = es[len(es)-1].Seq
	}
}

func setPaused(t *testing.T, st store.Store, paused bool) {
	t.Helper()
	err := st.InTx(context.Background(), func(ctx context.Context, q store.Queries) error {
		if paused {
			return governance.PauseAll(ctx, q, "ana", "test", time.Now())
		}
		return governance.ResumeAll(ctx, q, "ana", time.Now())
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestKillSwitchStopsWithinOneSecond(t *testing.T) {
	eachbackend.Run(t, func(t *testing.T, st store.Store) {
		ctx := context.Background()
		seed(t, st, store.Agent{Name: "a1"})
		// Many actions per proposal: the pause lands in the middle of one, and
		// only the check before each action can stop it there.
		const n, per = 40, 25
		ids := readyProposals(t, st, "a1", proposal.StatusAllowed, n, per)
		lc := &Lifecycle{Store: st}
		started := make(chan struct{})
		var once sync.Once
		lc.AfterExecute = func(string) { once.Do(func() { close(started) }) }
		type result struct {
			done int
			err  error
		}
		res := make(chan result, 1)
		go func() {
			done, _, err := lc.ExecuteReady(ctx)
			res <- result{done, err}
		}()
		select {
		case <-started:
		case <-time.After(30 * time.Second):
			t.Fatal("no proposal executed")
		}
		setPaused(t, st, true)
		atPause := executionsDone(t, st)
		time.Sleep(100 * time.Millisecond)
		at100ms := executionsDone(t, st)
		time.Sleep(900 * time.Millisecond)
		at1s := executionsDone(t, st)
		// One goroutine executes one action at a time: at most that one
		// was in flight when the pause committed.
		if at100ms > atPause+1 {
			t.Errorf("%d actions ran after the pause (%d at the pause, %d 100 ms later)", at100ms-atPause, atPause, at100ms)
		}
		if at1s != at100ms {
			t.Errorf("execution went on while paused: %d actions at +100 ms, %d at +1 s", at100ms, at1s)
		}
		if at1s >= n*per {
			t.Fatalf("everything ran before the pause (%d actions); the test proves nothing", at1s)
		}
		select {
		case r := <-res:
			if !errors.Is(r.err, governance.ErrExecutionPaused) {
				t.Fatalf("ExecuteReady returned %v, want ErrExecutionPaused", r.err)
			}
		case <-time.After(time.Second):
			t.Fatal("ExecuteReady did not return within a second of the pause")
		}
		// Nothing moves while paused: not even a new sweep.
		if _, _, err := lc.ExecuteReady(ctx); !errors.Is(err, governance.ErrExecutionPaused) {
			t.Fatalf("a sweep while paused: %v", err)
		}
		if got := executionsDone(t, st); got != at1s {
			t.Fatalf("a sweep while paused ran %d actions", got-at1s)
		}
		counts, err := st.ProposalsCount(ctx, &store.ProposalsListParams{})
		if err != nil {
			t.Fatal(err)
		}
		if counts[proposal.StatusFailed] != 0 || counts[proposal.StatusAllowed] == 0 {
			t.Fatalf("while paused: %v; want no failures and proposals still allowed", counts)
		}

		setPaused(t, st, false)
		if _, failed, err := lc.ExecuteReady(ctx); err != nil || failed != 0 {
			t.Fatalf("after resume: %d failed, %v", failed, err)
		}
		if got := executionsDone(t, st); got != n*per {
			t.Errorf("%d actions executed in all, want exactly %d", got, n*per)
		}
		for _, id := range ids {
			xs, err := st.ExecutionsList(ctx, &store.ExecutionsListParams{ProposalID: id})
			if err != nil {
				t.Fatal(err)
			}
			p, err := st.ProposalGet(ctx, &store.ProposalGetParams{ID: id})
			if err != nil {
				t.Fatal(err)
			}
			if len(xs) != per || p.Status != proposal.StatusExecuted {
				t.Fatalf("%s: %d executions, status %s", id, len(xs), p.Status)
			}
		}
		verifyAudit(t, st)
	})
}

func TestStoppedAgentHoldsOnlyAutonomousWork(t *testing.T) {
	eachbackend.Run(t, func(t *testing.T, st store.Store) {
		ctx := context.Background()
		seed(t, st, store.Agent{Name: "a1", State: store.AgentPaused}, store.Agent{Name: "b1", State: store.AgentTripped})
		auto := append(readyProposals(t, st, "a1", proposal.StatusAllowed, 2, 1), readyProposals(t, st, "b1", proposal.StatusAllowed, 1, 1)...)
		approved := readyProposals(t, st, "b1", proposal.StatusApproved, 2, 1)
		lc := &Lifecycle{Store: st}
		done, failed, err := lc.ExecuteReady(ctx)
		if err != nil || done != 2 || failed != 0 {
			t.Fatalf("ExecuteReady = %d done, %d failed, %v; want the 2 approved done", done, failed, err)
		}
		for _, id := range approved {
			if p, _ := st.ProposalGet(ctx, &store.ProposalGetParams{ID: id}); p.Status != proposal.StatusExecuted {
				t.Errorf("approved %s is %s: a person cleared it, it should run", id, p.Status)
			}
		}
		for _, id := range auto {
			if p, _ := st.ProposalGet(ctx, &store.ProposalGetParams{ID: id}); p.Status != proposal.StatusAllowed {
				t.Errorf("autonomous %s of a stopped agent is %s, want allowed (waiting)", id, p.Status)
			}
		}
		if _, err := lc.Execute(ctx, auto[0]); !errors.Is(err, governance.ErrAgentHeld) {
			t.Errorf("Execute of a held proposal: %v, want ErrAgentHeld", err)
		}
		// Resumed, the agent's work runs.
		if _, err := st.AgentStateSet(ctx, &store.AgentStateSetParams{Name: "a1", State: store.AgentActive, At: t0}); err != nil {
			t.Fatal(err)
		}
		if done, _, err := lc.ExecuteReady(ctx); err != nil || done != 2 {
			t.Fatalf("after resume: %d done, %v; want a1's 2", done, err)
		}
	})
}

func TestExecuteJobSnoozesWhileHeld(t *testing.T) {
	eachbackend.Run(t, func(t *testing.T, st store.Store) {
		seed(t, st, store.Agent{Name: "a1", State: store.AgentPaused}, store.Agent{Name: "b1"})
		held := readyProposals(t, st, "a1", proposal.StatusAllowed, 1, 1)[0]
		ready := readyProposals(t, st, "b1", proposal.StatusAllowed, 1, 1)[0]
		lc := &Lifecycle{Store: st}
		w := &executeWorker{lc: lc, log: (&Runner{}).logger()}
		job := func(id string) *river.Job[ExecuteArgs] {
			// The last attempt: a real failure would be recorded now.
			return &river.Job[ExecuteArgs]{JobRow: &rivertype.JobRow{Attempt: 25, MaxAttempts: 25}, Args: ExecuteArgs{ProposalID: id}}
		}
		snoozed := func(err error) time.Duration {
			var s *river.JobSnoozeError
			if !errors.As(err, &s) {
				t.Fatalf("Work = %v, want a snooze", err)
			}
			return s.Duration
		}
		if d := snoozed(w.Work(context.Background(), job(held))); d != heldSnooze {
			t.Errorf("held agent snoozes %s", d)
		}
		setPaused(t, st, true)
		if d := snoozed(w.Work(context.Background(), job(ready))); d != pausedSnooze {
			t.Errorf("kill switch snoozes %s", d)
		}
		for _, id := range []string{held, ready} {
			if p, _ := st.ProposalGet(context.Background(), &store.ProposalGetParams{ID: id}); p.Status != proposal.StatusAllowed {
				t.Errorf("%s is %s after a snooze on its last attempt, want allowed", id, p.Status)
			}
		}
		setPaused(t, st, false)
		if err := w.Work(context.Background(), job(ready)); err != nil {
			t.Fatalf("after resume: %v", err)
		}
	})
}
