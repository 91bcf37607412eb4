package governance

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/towerops/tower/internal/proposal"
	"github.com/towerops/tower/internal/store"
	"github.com/towerops/tower/internal/store/eachbackend"
)

// putDecided writes n proposals of agent for kind tag in status s, each
// with a person's verdict (approved, or rejected for StatusRejected).
func putDecided(t *testing.T, st store.Store, agent string, at time.Time, n int, s proposal.Status) {
	t.Helper()
	verdict := "approved"
	if s == proposal.StatusRejected {
		verdict = "rejected"
	}
	var ps []proposal.Proposal
	for i := range n {
		id := fmt.Sprintf("d_%s_%s_%d_%d", agent, s, at.UnixNano(), i)
		ps = append(ps, proposal.Proposal{ID: id, Agent: agent, Skill: "hygiene", Key: id, Status: s, CreatedAt: at, UpdatedAt: at,
			Actions: []proposal.Action{{Kind: proposal.Tag}},
			Decision: &proposal.Decision{Effect: proposal.EffectRequireApproval,
				Approvals: []proposal.Approval{{By: "ana", Verdict: verdict, At: at.Add(time.Hour)}}}})
	}
	if _, err := st.ProposalsInsert(context.Background(), &store.ProposalsInsertParams{Proposals: ps}); err != nil {
		t.Fatal(err)
	}
}

func TestPromotionNeedsTheScorecard(t *testing.T) {
	eachbackend.Run(t, func(t *testing.T, st store.Store) {
		pack := &Pack{Autonomy: AutonomyConfig{Promote: PromotionRule{After: 3, MinAcceptRate: 0.8, MaxUndoRate: 0.1,
			Window: 7 * 24 * time.Hour}}}
		e := Earner{Pack: pack}
		now := day0.Add(10 * 24 * time.Hour)

		// 3 approved and 2 rejected in the window: 60% approving. Rejections
		// before the window do not count.
		a := addAgent(t, st, store.Agent{Name: "picky"})
		putDecided(t, st, a.Name, now.Add(-48*time.Hour), 3, proposal.StatusExecuted)
		putDecided(t, st, a.Name, now.Add(-48*time.Hour), 2, proposal.StatusRejected)
		putDecided(t, st, a.Name, now.Add(-9*24*time.Hour), 10, proposal.StatusRejected)
		approveN(t, st, e, a, 3, now, proposal.Tag)
		if l, tr := levelNow(t, st, pack, a, proposal.Tag); l != Approve || tr.Streak != 3 {
			t.Fatalf("with 60%% approving: %s, streak %d; want approve, 3", l, tr.Streak)
		}
		// 5 more approved: 8 of 10, 80%: the next approval promotes.
		putDecided(t, st, a.Name, now.Add(-24*time.Hour), 5, proposal.StatusExecuted)
		approveN(t, st, e, a, 1, now.Add(time.Hour), proposal.Tag)
		l, tr := levelNow(t, st, pack, a, proposal.Tag)
		if want := "3 approvals in a row without edit; 80% of decisions approving in 7 days, 0% of executions undone"; l != Auto || tr.Reason != want {
			t.Errorf("with 80%% approving: %s %q; want auto %q", l, tr.Reason, want)
		}

		// All approved, but 1 of 5 executions undone: 20% is over 10%.
		b := addAgent(t, st, store.Agent{Name: "undone"})
		putDecided(t, st, b.Name, now.Add(-48*time.Hour), 4, proposal.StatusExecuted)
		putDecided(t, st, b.Name, now.Add(-48*time.Hour), 1, proposal.StatusUndone)
		approveN(t, st, e, b, 4, now, proposal.Tag)
		if l, tr := levelNow(t, st, pack, b, proposal.Tag); l != Approve || tr.Streak != 4 {
			t.Errorf("with 20%% undone: %s, streak %d; want approve, 4", l, tr.Streak)
		}
		checkList(t, "audit", auditActions(t, st, "autonomy."), []string{"autonomy.promoted agent:picky tag"})
	})
}
