package signalrouter

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/towerops/tower/internal/fleet"
	"github.com/towerops/tower/internal/proposal"
	"github.com/towerops/tower/internal/store"
	"github.com/towerops/tower/internal/store/eachbackend"
)

// runAt runs the router's agent at t through the fleet runner (default
// governance) and executes what governance allowed, as a worker would.
func runAt(t *testing.T, st store.Store, at time.Time) []proposal.Proposal {
	t.Helper()
	ctx := context.Background()
	res, err := (&fleet.Runner{Store: st}).Run(ctx, fleet.RunRequest{Skill: Name, Now: at})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Invalid) > 0 {
		t.Fatalf("invalid drafts: %+v", res.Invalid)
	}
	lc := &fleet.Lifecycle{Store: st, Now: func() time.Time { return at }}
	for _, p := range res.Proposals {
		if p.Status == proposal.StatusAllowed {
			if _, err := lc.Execute(ctx, p.ID); err != nil {
				t.Fatalf("execute %s: %v", p.Title, err)
			}
		}
	}
	return res.Proposals
}

func byKeyPrefix(ps []proposal.Proposal, prefix string) []proposal.Proposal {
	var out []proposal.Proposal
	for _, p := range ps {
		if strings.HasPrefix(p.Key, prefix) {
			out = append(out, p)
		}
	}
	return out
}

// taskFor returns the tasks whose note is about the person with e-mail.
func taskFor(t *testing.T, st store.Store, email string) []store.Task {
	t.Helper()
	ts, err := st.TasksList(context.Background(), &store.TasksListParams{Page: store.Page{Limit: 1000}})
	if err != nil {
		t.Fatal(err)
	}
	var out []store.Task
	for _, task := range ts {
		if strings.Contains(task.Note, "<"+email+">") {
			out = append(out, task)
		}
	}
	return out
}

// TestEscalatesAnOverdueTaskOnce: the first run routes and its tasks are
// created (create_task runs on its own under the default autonomy). Ann's
// and Bob's demo requests were more than an hour old by then, so the next
// run, two minutes later, routes nothing again and proposes exactly one
// escalation for each of their tasks; later runs propose none for them.
// Cat's task, marked done before its deadline, is never escalated. Under
// the default pack an escalation waits for an approver.
func TestEscalatesAnOverdueTaskOnce(t *testing.T) {
	eachbackend.Run(t, func(t *testing.T, st store.Store) {
		ctx := context.Background()
		fixture(t, st)
		if err := st.AgentsUpsert(ctx, &store.AgentsUpsertParams{Agents: []store.Agent{{Name: "router", Skill: Name, Owner: "maria",
			State: store.AgentActive, Source: "cli", CreatedAt: now, UpdatedAt: now,
			Params: map[string]any{"escalate_to": "sales-lead", "lookback": "6h"}}}}); err != nil {
			t.Fatal(err)
		}
		// Run at the time of Eve's trial + 1 minute: Ann and Bob's demo
		// requests are already overdue when routed; the first run only routes.
		t1 := now.Add(-2*time.Hour - 39*time.Minute)
		first := runAt(t, st, t1)
		if n := len(byKeyPrefix(first, "escalate:")); n != 0 {
			t.Fatalf("first run escalated %d tasks before any existed", n)
		}
		routedN := len(byKeyPrefix(first, "person:"))
		if routedN != 5 { // ann, bob, cat, dan, eve (fay's request comes later)
			t.Fatalf("first run routed %d people, want 5: %v", routedN, titles(first))
		}
		if got := taskFor(t, st, "ann@acme.test"); len(got) != 1 || got[0].OwnerID != "O-1" || got[0].Status != "open" {
			t.Fatalf("Ann's task after the first run: %+v", got)
		}
		// Cat's pricing visits have a 24-hour SLA: mark her task done now.
		markDone(t, st, taskFor(t, st, "cat@cora.test")[0])

		// Two minutes later: nothing is routed twice; Ann's and Bob's
		// follow-ups (due an hour after their requests) are overdue.
		t2 := t1.Add(2 * time.Minute)
		second := runAt(t, st, t2)
		if n := len(byKeyPrefix(second, "person:")); n != 0 {
			t.Errorf("second run routed %d signals again: %v", n, titles(second))
		}
		esc := byKeyPrefix(second, "escalate:")
		if len(esc) != 2 {
			t.Fatalf("second run proposed %d escalations, want Ann's and Bob's: %v", len(esc), titles(second))
		}
		for _, p := range esc {
			if len(p.Actions) != 2 || p.Actions[0].Kind != proposal.Notify || p.Actions[0].Param("to") != "sales-lead" || p.Actions[1].Kind != proposal.CreateTask {
				t.Errorf("escalation %q: actions %+v", p.Title, p.Actions)
			}
			// Nia holds both; the next NA seller, Ola, is at capacity, so
			// the follow-up goes to the rotation's next seller with room.
			if next := p.Actions[1].Param("owner_id"); next == "O-1" || next == "O-2" || next == "" {
				t.Errorf("escalation %q reassigns to %q", p.Title, next)
			}
			// The default pack's signal-router.reassign rule holds a
			// reassignment for an approver.
			if p.Status != proposal.StatusPendingApproval {
				t.Errorf("escalation %q is %s, want it waiting for approval", p.Title, p.Status)
			}
		}
		// Later runs: each task was escalated once; the escalation tasks
		// themselves are not escalated; Cat's done task never is.
		for _, at := range []time.Time{t2.Add(time.Hour), now.Add(30 * time.Hour)} {
			later := runAt(t, st, at)
			for _, p := range byKeyPrefix(later, "escalate:") {
				if strings.Contains(p.Title, "cat@cora.test") {
					t.Errorf("escalated Cat's done task at %s", at)
				}
				if strings.Contains(p.Title, "ann@acme.test") || strings.Contains(p.Title, "bob@bolt.test") {
					t.Errorf("escalated again at %s: %s", at, p.Title)
				}
			}
			if n := len(byKeyPrefix(later, "person:")); n != 0 && at.Before(now) {
				t.Errorf("run at %s routed %d signals: %v", at, n, titles(later))
			}
		}
		// The escalation waits for its approver, so Ann still has only her
		// own follow-up (and the open escalation blocks a second one).
		if got := taskFor(t, st, "ann@acme.test"); len(got) != 1 {
			t.Errorf("Ann has %d tasks, want only her follow-up while the escalation waits", len(got))
		}
	})
}

func titles(ps []proposal.Proposal) []string {
	var out []string
	for _, p := range ps {
		out = append(out, p.Title)
	}
	return out
}

// markDone closes a task. The store has no "complete a task" call yet, so
// the test replaces the row with a done copy.
func markDone(t *testing.T, st store.Store, task store.Task) {
	t.Helper()
	ctx := context.Background()
	if _, err := st.TasksDelete(ctx, &store.TasksDeleteParams{IDs: []string{task.ID}}); err != nil {
		t.Fatal(err)
	}
	task.Status = "done"
	if err := st.TasksInsert(ctx, &store.TasksInsertParams{Tasks: []store.Task{task}}); err != nil {
		t.Fatal(err)
	}
}
