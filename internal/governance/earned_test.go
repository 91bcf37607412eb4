package governance

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/towerops/tower/internal/proposal"
	"github.com/towerops/tower/internal/store"
	"github.com/towerops/tower/internal/store/eachbackend"
)

var day0 = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

// earnPack is the promotion rule of the default pack: 20 approvals in a
// row, no undo in 30 days, never for merges.
func earnPack() *Pack {
	return &Pack{Autonomy: AutonomyConfig{Promote: PromotionRule{After: 20, NoUndoFor: 30 * 24 * time.Hour,
		Except: []proposal.Kind{proposal.MergePeople}}}}
}

func addAgent(t *testing.T, st store.Store, a store.Agent) store.Agent {
	t.Helper()
	if a.Skill == "" {
		a.Skill = "hygiene"
	}
	if a.Owner == "" {
		a.Owner = "maria"
	}
	a.State, a.Source = store.AgentActive, "cli"
	if err := st.AgentsUpsert(context.Background(), &store.AgentsUpsertParams{Agents: []store.Agent{a}}); err != nil {
		t.Fatal(err)
	}
	return a
}

func kindProposal(id, agent string, kinds ...proposal.Kind) *proposal.Proposal {
	p := &proposal.Proposal{ID: id, Agent: agent, Skill: "hygiene"}
	for _, k := range kinds {
		p.Actions = append(p.Actions, proposal.Action{Kind: k})
	}
	return p
}

// inTx runs fn in a transaction or fails the test.
func inTx(t *testing.T, st store.Store, fn func(ctx context.Context, q store.Queries) error) {
	t.Helper()
	if err := st.InTx(context.Background(), fn); err != nil {
		t.Fatal(err)
	}
}

func levelNow(t *testing.T, st store.Store, pack *Pack, a store.Agent, kind proposal.Kind) (Level, *store.AutonomyTrack) {
	t.Helper()
	tracks, err := tracksOf(context.Background(), st, a.Name)
	if err != nil {
		t.Fatal(err)
	}
	l, _ := pack.Autonomy.LevelFor(a, kind, tracks[kind])
	return l, tracks[kind]
}

// auditActions lists the actions of the audit log, in order.
func auditActions(t *testing.T, st store.Store, prefix string) []string {
	t.Helper()
	es, err := st.AuditList(context.Background(), &store.AuditListParams{})
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range es {
		if strings.HasPrefix(e.Action, prefix) {
			var d map[string]any
			_ = json.Unmarshal(e.Data, &d)
			out = append(out, fmt.Sprintf("%s %s %v", e.Action, e.Subject, d["kind"]))
		}
	}
	return out
}

func notificationsTo(t *testing.T, st store.Store, who string) []string {
	t.Helper()
	ns, err := st.NotificationsList(context.Background(), &store.NotificationsListParams{To: who})
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, n := range ns {
		out = append(out, n.Message)
	}
	return out
}

func approveN(t *testing.T, st store.Store, e Earner, a store.Agent, n int, at time.Time, kinds ...proposal.Kind) {
	t.Helper()
	for i := range n {
		inTx(t, st, func(ctx context.Context, q store.Queries) error {
			return e.Approved(ctx, q, kindProposal(fmt.Sprintf("p_%d_%d", at.Unix(), i), a.Name, kinds...), a, at)
		})
	}
}

func TestPromotionSequence(t *testing.T) {
	eachbackend.Run(t, func(t *testing.T, st store.Store) {
		pack := earnPack()
		e := Earner{Pack: pack}
		a := addAgent(t, st, store.Agent{Name: "hyg"})
		approveN(t, st, e, a, 19, day0, proposal.Suppress, proposal.Tag, proposal.Suppress)
		if l, tr := levelNow(t, st, pack, a, proposal.Suppress); l != Approve || tr.Streak != 19 {
			t.Fatalf("after 19 approvals: %s, streak %d; want approve, 19", l, tr.Streak)
		}
		if got := auditActions(t, st, "autonomy."); len(got) != 0 {
			t.Fatalf("audit before promotion: %v", got)
		}
		approveN(t, st, e, a, 1, day0.Add(time.Hour), proposal.Suppress, proposal.Tag)
		for _, k := range []proposal.Kind{proposal.Suppress, proposal.Tag} {
			l, tr := levelNow(t, st, pack, a, k)
			if l != Auto || tr.Streak != 20 || !tr.ChangedAt.Equal(day0.Add(time.Hour)) {
				t.Errorf("%s after 20 approvals: %s, streak %d, changed %s; want auto, 20", k, l, tr.Streak, tr.ChangedAt)
			}
			if want := "20 approvals in a row without edit, no undo in 30 days"; tr.Reason != want {
				t.Errorf("%s reason %q, want %q", k, tr.Reason, want)
			}
			if _, earned := pack.Autonomy.LevelFor(a, k, tr); !earned {
				t.Errorf("%s: LevelFor does not say the level was earned", k)
			}
		}
		checkList(t, "audit", auditActions(t, st, "autonomy."), []string{
			"autonomy.promoted agent:hyg suppress", "autonomy.promoted agent:hyg tag"})
		checkList(t, "owner notified", notificationsTo(t, st, "maria"), []string{
			"Agent hyg may now suppress, tag on its own (auto): 20 approvals in a row without edit, no undo in 30 days."})
		// More approvals of an auto kind change nothing.
		approveN(t, st, e, a, 3, day0.Add(2*time.Hour), proposal.Suppress)
		if got := auditActions(t, st, "autonomy."); len(got) != 2 {
			t.Errorf("audit after more approvals: %v", got)
		}
	})
}

func TestRejectInTheMiddleResets(t *testing.T) {
	eachbackend.Run(t, func(t *testing.T, st store.Store) {
		pack := earnPack()
		e := Earner{Pack: pack}
		a := addAgent(t, st, store.Agent{Name: "hyg"})
		approveN(t, st, e, a, 15, day0, proposal.Suppress)
		inTx(t, st, func(ctx context.Context, q store.Queries) error {
			return e.Reset(ctx, q, kindProposal("r1", a.Name, proposal.Suppress), "rejected by ben", day0)
		})
		if _, tr := levelNow(t, st, pack, a, proposal.Suppress); tr.Streak != 0 {
			t.Fatalf("streak after a rejection = %d", tr.Streak)
		}
		approveN(t, st, e, a, 19, day0.Add(time.Hour), proposal.Suppress)
		if l, _ := levelNow(t, st, pack, a, proposal.Suppress); l != Approve {
			t.Fatalf("15 + reject + 19 approvals promoted the agent")
		}
		approveN(t, st, e, a, 1, day0.Add(2*time.Hour), proposal.Suppress)
		if l, _ := levelNow(t, st, pack, a, proposal.Suppress); l != Auto {
			t.Fatalf("20 approvals after the rejection did not promote: %s", l)
		}
	})
}

func TestUndoBlocksPromotionAndDemotes(t *testing.T) {
	eachbackend.Run(t, func(t *testing.T, st store.Store) {
		pack := earnPack()
		e := Earner{Pack: pack}
		a := addAgent(t, st, store.Agent{Name: "hyg"})
		// An undo of a kind still at approve: nothing to demote, but it is
		// remembered and blocks promotion for 30 days.
		inTx(t, st, func(ctx context.Context, q store.Queries) error {
			return e.Demote(ctx, q, a, []proposal.Kind{proposal.Suppress}, CauseUndo, "proposal p_0 undone by ben", day0)
		})
		approveN(t, st, e, a, 25, day0.Add(24*time.Hour), proposal.Suppress)
		if l, tr := levelNow(t, st, pack, a, proposal.Suppress); l != Approve || tr.Streak != 25 {
			t.Fatalf("undo 1 day ago: %s, streak %d; want approve, 25", l, tr.Streak)
		}
		// 30 days after the undo the next approval promotes.
		approveN(t, st, e, a, 1, day0.Add(30*24*time.Hour), proposal.Suppress)
		if l, _ := levelNow(t, st, pack, a, proposal.Suppress); l != Auto {
			t.Fatalf("30 days after the undo: %s, want auto", l)
		}
		// An undo of the auto kind demotes it to approve.
		inTx(t, st, func(ctx context.Context, q store.Queries) error {
			return e.Demote(ctx, q, a, []proposal.Kind{proposal.Suppress}, CauseUndo, "proposal p_9 undone by ben", day0.Add(31*24*time.Hour))
		})
		l, tr := levelNow(t, st, pack, a, proposal.Suppress)
		if l != Approve || tr.Streak != 0 || !tr.LastUndoAt.Equal(day0.Add(31*24*time.Hour)) || tr.Reason != "proposal p_9 undone by ben" {
			t.Fatalf("after the undo: %s, %+v", l, tr)
		}
		checkList(t, "audit", auditActions(t, st, "autonomy."), []string{
			"autonomy.promoted agent:hyg suppress", "autonomy.demoted agent:hyg suppress"})
		ns := notificationsTo(t, st, "maria")
		if len(ns) != 2 || ns[1] != "Agent hyg needs approval again to suppress (undo): proposal p_9 undone by ben." {
			t.Errorf("notifications: %q", ns)
		}
	})
}

func TestExceptListNeverPromotes(t *testing.T) {
	eachbackend.Run(t, func(t *testing.T, st store.Store) {
		pack := earnPack()
		e := Earner{Pack: pack}
		a := addAgent(t, st, store.Agent{Name: "dedupe"})
		approveN(t, st, e, a, 40, day0, proposal.MergePeople, proposal.Tag)
		if l, tr := levelNow(t, st, pack, a, proposal.MergePeople); l != Approve || tr.Streak != 40 {
			t.Errorf("merge_people after 40 approvals: %s, streak %d", l, tr.Streak)
		}
		if l, _ := levelNow(t, st, pack, a, proposal.Tag); l != Auto {
			t.Errorf("tag in the same proposals: %s, want auto", l)
		}
		// After == 0 never promotes.
		never := Earner{Pack: &Pack{}}
		b := addAgent(t, st, store.Agent{Name: "other"})
		approveN(t, st, never, b, 100, day0, proposal.Tag)
		if l, _ := levelNow(t, st, never.Pack, b, proposal.Tag); l != Approve {
			t.Errorf("a pack without a promotion rule promoted: %s", l)
		}
	})
}

func TestIncidentAndBreakerDemoteEverything(t *testing.T) {
	eachbackend.Run(t, func(t *testing.T, st store.Store) {
		pack := earnPack()
		pack.Autonomy.Skills = map[string]map[proposal.Kind]Level{"hygiene": {proposal.UpdateField: AutoSilent}}
		e := Earner{Pack: pack}
		a := addAgent(t, st, store.Agent{Name: "hyg", Autonomy: map[proposal.Kind]string{proposal.AssignOwner: "auto"}})
		approveN(t, st, e, a, 20, day0, proposal.Suppress)
		approveN(t, st, e, a, 5, day0, proposal.Tag)
		inTx(t, st, func(ctx context.Context, q store.Queries) error {
			return e.Demote(ctx, q, a, nil, CauseIncident, "sent to the wrong list", day0.Add(time.Hour))
		})
		// Earned, agent-configured, skill-configured and built-in levels
		// above approve all go back to approve; the tag streak restarts.
		for _, k := range []proposal.Kind{proposal.Suppress, proposal.AssignOwner, proposal.UpdateField, proposal.Notify, proposal.CreateTask, proposal.Tag} {
			l, tr := levelNow(t, st, pack, a, k)
			if l != Approve || tr == nil || tr.Streak != 0 {
				t.Errorf("%s after an incident: %s, %+v", k, l, tr)
			}
			if tr != nil && !tr.LastUndoAt.IsZero() {
				t.Errorf("%s: an incident is recorded as an undo", k)
			}
		}
		checkList(t, "audit", auditActions(t, st, "autonomy.demoted"), []string{
			"autonomy.demoted agent:hyg assign_owner", "autonomy.demoted agent:hyg create_task", "autonomy.demoted agent:hyg notify",
			"autonomy.demoted agent:hyg suppress", "autonomy.demoted agent:hyg update_field"})

		// DemoteOn limits the causes: a breaker trip then changes nothing.
		only := &Pack{Autonomy: AutonomyConfig{DemoteOn: []string{CauseUndo}}}
		b := addAgent(t, st, store.Agent{Name: "b", Autonomy: map[proposal.Kind]string{proposal.Tag: "auto"}})
		inTx(t, st, func(ctx context.Context, q store.Queries) error {
			return Earner{Pack: only}.Demote(ctx, q, b, nil, CauseBreaker, "tripped", day0)
		})
		if l, _ := levelNow(t, st, only, b, proposal.Tag); l != Auto {
			t.Errorf("a breaker trip demoted although demote_on is [undo]: %s", l)
		}
	})
}

func checkList(t *testing.T, what string, got, want []string) {
	t.Helper()
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("%s:\n got %q\nwant %q", what, got, want)
	}
}
