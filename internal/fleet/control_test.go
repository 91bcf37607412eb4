package fleet

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/towerops/tower/internal/governance"
	"github.com/towerops/tower/internal/proposal"
	"github.com/towerops/tower/internal/store"
	"github.com/towerops/tower/internal/store/eachbackend"
)

// tagProposals writes n allowed proposals of agent tagging one record
// each, created now (inside the breaker's window).
func tagProposals(t *testing.T, st store.Store, agent string, n int) []string {
	t.Helper()
	var ps []proposal.Proposal
	var ids []string
	now := time.Now().UTC()
	for i := range n {
		id := fmt.Sprintf("p_tag_%s_%d", agent, i)
		ps = append(ps, proposal.Proposal{ID: id, Skill: "test-fleet", Agent: agent, Key: id, Status: proposal.StatusAllowed,
			CreatedAt: now, UpdatedAt: now, ExpiresAt: now.Add(proposal.DefaultTTL),
			Decision: &proposal.Decision{Effect: proposal.EffectAllow, Autonomy: "auto", DecidedAt: now},
			Actions: []proposal.Action{{Kind: proposal.Tag, Targets: []proposal.Target{proposal.RecordTarget("crm", "ann", "")},
				Params: map[string]any{"tag": fmt.Sprint("t", i)}}}})
		ids = append(ids, id)
	}
	if _, err := st.ProposalsInsert(context.Background(), &store.ProposalsInsertParams{Proposals: ps}); err != nil {
		t.Fatal(err)
	}
	return ids
}

func TestUndoDemotesAndCountsForTheBreaker(t *testing.T) {
	eachbackend.Run(t, func(t *testing.T, st store.Store) {
		ctx := context.Background()
		seed(t, st, store.Agent{Name: "a1", Autonomy: map[proposal.Kind]string{proposal.Tag: "auto"}})
		pack := &governance.Pack{Breaker: governance.BreakerConfig{Undos: 2}}
		now := time.Now().UTC()
		lc := &Lifecycle{Store: st, Pack: pack, Now: func() time.Time { return now }}
		ids := tagProposals(t, st, "a1", 2)
		if done, failed, err := lc.ExecuteReady(ctx); err != nil || done != 2 || failed != 0 {
			t.Fatalf("ExecuteReady: %d done, %d failed, %v", done, failed, err)
		}
		if _, err := lc.Undo(ctx, ids[0], "ana"); err != nil {
			t.Fatal(err)
		}
		a, err := st.AgentGet(ctx, &store.AgentGetParams{Name: "a1"})
		if err != nil {
			t.Fatal(err)
		}
		tracks, err := st.AutonomyTracksList(ctx, &store.AutonomyTracksListParams{Agents: []string{"a1"}})
		if err != nil || len(tracks) != 1 {
			t.Fatalf("tracks after an undo: %+v %v", tracks, err)
		}
		if l, _ := pack.Autonomy.LevelFor(*a, proposal.Tag, &tracks[0]); l != governance.Approve || !tracks[0].LastUndoAt.Equal(now.Truncate(time.Microsecond)) {
			t.Errorf("after an undo tag is %s, last undo %s; want approve, %s", l, tracks[0].LastUndoAt, now)
		}
		if a.State != store.AgentActive {
			t.Fatalf("one undo tripped the agent (limit 2)")
		}
		if _, err := lc.Undo(ctx, ids[1], "ana"); err != nil {
			t.Fatal(err)
		}
		if a, _ := st.AgentGet(ctx, &store.AgentGetParams{Name: "a1"}); a.State != store.AgentTripped {
			t.Errorf("two undos left the agent %s, want tripped", a.State)
		}
		verifyAudit(t, st)
	})
}

func TestFailureCountsForTheBreaker(t *testing.T) {
	eachbackend.Run(t, func(t *testing.T, st store.Store) {
		ctx := context.Background()
		seed(t, st, store.Agent{Name: "a1"})
		lc := &Lifecycle{Store: st, Pack: &governance.Pack{Breaker: governance.BreakerConfig{Errors: 1}}}
		id := tagProposals(t, st, "a1", 1)[0]
		if _, err := st.ProposalUpdate(ctx, &store.ProposalUpdateParams{ID: id, From: proposal.StatusAllowed,
			To: proposal.StatusExecuting, At: time.Now()}); err != nil {
			t.Fatal(err)
		}
		if _, err := lc.Fail(ctx, id, "the CRM said no"); err != nil {
			t.Fatal(err)
		}
		a, _ := st.AgentGet(ctx, &store.AgentGetParams{Name: "a1"})
		if a.State != store.AgentTripped {
			t.Errorf("a failure at limit 1 left the agent %s", a.State)
		}
	})
}
