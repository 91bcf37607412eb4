package governance

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/towerops/tower/internal/proposal"
	"github.com/towerops/tower/internal/store"
	"github.com/towerops/tower/internal/store/eachbackend"
)

// putProposals writes proposals of agent in the given statuses, created at.
func putProposals(t *testing.T, st store.Store, agent string, at time.Time, statuses ...proposal.Status) {
	t.Helper()
	var ps []proposal.Proposal
	for i, s := range statuses {
		id := fmt.Sprintf("p_%s_%d_%d", agent, at.UnixNano(), i)
		ps = append(ps, proposal.Proposal{ID: id, Agent: agent, Skill: "hygiene", Key: id, Status: s, CreatedAt: at, UpdatedAt: at,
			Actions: []proposal.Action{{Kind: proposal.Tag}}})
	}
	if _, err := st.ProposalsInsert(context.Background(), &store.ProposalsInsertParams{Proposals: ps}); err != nil {
		t.Fatal(err)
	}
}

func check(t *testing.T, st store.Store, b Breaker, agent string, at time.Time) bool {
	t.Helper()
	var tripped bool
	inTx(t, st, func(ctx context.Context, q store.Queries) error {
		var err error
		tripped, err = b.Check(ctx, q, agent, at)
		return err
	})
	return tripped
}

func agentState(t *testing.T, st store.Store, name string) (store.AgentState, string) {
	t.Helper()
	a, err := st.AgentGet(context.Background(), &store.AgentGetParams{Name: name})
	if err != nil {
		t.Fatal(err)
	}
	return a.State, a.StateReason
}

func TestBreakerTrips(t *testing.T) {
	R, A, X, U, F, P := proposal.StatusRejected, proposal.StatusApproved, proposal.StatusExecuted, proposal.StatusUndone,
		proposal.StatusFailed, proposal.StatusPendingApproval
	cfg := BreakerConfig{Window: 24 * time.Hour, MinDecided: 5, RejectRate: 0.5, Undos: 3, Errors: 2}
	for _, tc := range []struct {
		name     string
		recent   []proposal.Status // in the window
		old      []proposal.Status // before the window
		tripped  bool
		reasonIs string
	}{
		{"a clean record", []proposal.Status{A, X, X, X, R, P, P}, nil, false, ""},
		{"rejections under the minimum decided", []proposal.Status{R, R, R, R, P, P, P}, nil, false, ""},
		{"rejection rate reached", []proposal.Status{R, R, R, A, X, X, P}, nil, true,
			"circuit breaker: 3 of 6 proposals decided in the last 24 hours were rejected (limit 50%)"},
		{"rejections before the window do not count", []proposal.Status{A, X, X, R, X}, []proposal.Status{R, R, R, R}, false, ""},
		{"undos", []proposal.Status{U, U, U}, nil, true, "circuit breaker: 3 proposals undone in the last 24 hours (limit 3)"},
		{"failures", []proposal.Status{F, X, F}, nil, true, "circuit breaker: 2 executions failed in the last 24 hours (limit 2)"},
		{"one failure", []proposal.Status{F, X, X}, nil, false, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			eachbackend.Run(t, func(t *testing.T, st store.Store) {
				b := Breaker{Pack: &Pack{Breaker: cfg, Autonomy: AutonomyConfig{}}}
				a := addAgent(t, st, store.Agent{Name: "hyg", Autonomy: map[proposal.Kind]string{proposal.Tag: "auto"}})
				now := day0.Add(48 * time.Hour)
				putProposals(t, st, a.Name, now.Add(-time.Hour), tc.recent...)
				putProposals(t, st, a.Name, now.Add(-25*time.Hour), tc.old...)
				putProposals(t, st, "someone-else", now.Add(-time.Hour), R, R, R, R, R, R, U, U, U, F, F)
				if got := check(t, st, b, a.Name, now); got != tc.tripped {
					t.Fatalf("Check tripped = %v, want %v", got, tc.tripped)
				}
				state, reason := agentState(t, st, a.Name)
				if !tc.tripped {
					if state != store.AgentActive {
						t.Errorf("state %s, want active", state)
					}
					return
				}
				if state != store.AgentTripped || reason != tc.reasonIs {
					t.Errorf("state %s %q, want tripped %q", state, reason, tc.reasonIs)
				}
				checkList(t, "audit", auditActions(t, st, "agent."), []string{"agent.tripped agent:hyg <nil>"})
				// Its autonomy goes back to approve, built-in auto kinds too.
				checkList(t, "demoted", auditActions(t, st, "autonomy."), []string{"autonomy.demoted agent:hyg create_task",
					"autonomy.demoted agent:hyg notify", "autonomy.demoted agent:hyg tag"})
				ns := strings.Join(notificationsTo(t, st, "maria"), "\n")
				if !strings.Contains(ns, "Agent hyg was stopped by the circuit breaker: "+strings.TrimPrefix(tc.reasonIs, "circuit breaker: ")) ||
					!strings.Contains(ns, "tower agents reset hyg") || !strings.Contains(ns, "needs approval again to create task, notify, tag (breaker)") {
					t.Errorf("owner notifications: %q", ns)
				}
				// Tripping again changes nothing: one entry, one reason.
				if check(t, st, b, a.Name, now.Add(time.Minute)) {
					t.Error("a tripped agent was tripped again")
				}
			})
		})
	}
}

func TestBreakerResetStartsAfresh(t *testing.T) {
	eachbackend.Run(t, func(t *testing.T, st store.Store) {
		b := Breaker{Pack: &Pack{Breaker: BreakerConfig{Undos: 2}}}
		a := addAgent(t, st, store.Agent{Name: "hyg"})
		now := day0
		putProposals(t, st, a.Name, now.Add(-time.Hour), proposal.StatusUndone, proposal.StatusUndone)
		if !check(t, st, b, a.Name, now) {
			t.Fatal("two undos did not trip the breaker")
		}
		err := st.InTx(context.Background(), func(ctx context.Context, q store.Queries) error {
			return ResetBreaker(ctx, q, "nobody", "ana", now)
		})
		if !errors.Is(err, store.ErrNotFound) {
			t.Errorf("reset of an unknown agent: %v", err)
		}
		inTx(t, st, func(ctx context.Context, q store.Queries) error {
			return ResetBreaker(ctx, q, a.Name, "ana", now.Add(time.Minute))
		})
		if s, _ := agentState(t, st, a.Name); s != store.AgentActive {
			t.Fatalf("after reset: %s", s)
		}
		// The undos that tripped it are before the reset: they no longer count.
		if check(t, st, b, a.Name, now.Add(2*time.Minute)) {
			t.Fatal("the breaker tripped again on the record it was reset from")
		}
		putProposals(t, st, a.Name, now.Add(3*time.Minute), proposal.StatusUndone, proposal.StatusUndone)
		if !check(t, st, b, a.Name, now.Add(4*time.Minute)) {
			t.Fatal("two new undos after the reset did not trip the breaker")
		}
		err = st.InTx(context.Background(), func(ctx context.Context, q store.Queries) error {
			if _, err := q.AgentStateSet(ctx, &store.AgentStateSetParams{Name: a.Name, State: store.AgentPaused, At: now}); err != nil {
				return err
			}
			return ResetBreaker(ctx, q, a.Name, "ana", now.Add(5*time.Minute))
		})
		if !errors.Is(err, ErrNotTripped) {
			t.Errorf("reset of a paused agent: %v, want ErrNotTripped", err)
		}
		checkList(t, "audit", auditActions(t, st, "agent."), []string{
			"agent.tripped agent:hyg <nil>", "agent.reset agent:hyg <nil>", "agent.tripped agent:hyg <nil>"})
	})
}

func TestBreakerOffWithoutLimits(t *testing.T) {
	eachbackend.Run(t, func(t *testing.T, st store.Store) {
		a := addAgent(t, st, store.Agent{Name: "hyg"})
		putProposals(t, st, a.Name, day0, proposal.StatusUndone, proposal.StatusUndone, proposal.StatusFailed, proposal.StatusRejected)
		if check(t, st, Breaker{}, a.Name, day0) || check(t, st, Breaker{Pack: &Pack{}}, a.Name, day0) {
			t.Error("a breaker without limits tripped")
		}
	})
}
