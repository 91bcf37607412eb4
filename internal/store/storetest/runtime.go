package storetest

import (
	"errors"
	"testing"
	"time"

	"github.com/towerops/tower/internal/proposal"
	"github.com/towerops/tower/internal/store"
)

// runtimeTests check the runtime part of the store contract (store.Runtime)
// and the reads the runtime added to the Reader (LastActivity, Until).
// They are gathered from runtime_*.go, one file per concept.
var runtimeTests = concat(agentTests, proposalTests, proposalUpdateTests, executionTests, runTests, activityTests)

func concat(groups ...[]test) []test {
	var out []test
	for _, g := range groups {
		out = append(out, g...)
	}
	return out
}

// agent builds an agent with every field set.
func agent(name, skill string) store.Agent {
	return store.Agent{Name: name, Skill: skill, Owner: "maria", Description: "watches " + skill,
		Scope:    store.Scope{Kind: "region", Values: []string{"emea", "na"}},
		Params:   map[string]any{"threshold": 0.25, "window": "7d", "strict": true, "sizes": []any{1.0, 2.0}},
		Autonomy: map[proposal.Kind]string{proposal.Suppress: "auto", proposal.Notify: "suggest"},
		Caps:     store.Caps{RecordsPerRun: 500, RecordsPerDay: 2000, AudiencePct: 2.5},
		Schedule: "0 6 * * *", State: store.AgentActive, Source: "workspace",
		CreatedAt: time.Date(2025, 3, 1, 9, 0, 0, 123456789, time.UTC), UpdatedAt: time.Date(2025, 3, 1, 9, 0, 0, 123456789, time.UTC)}
}

// checkAgent compares an agent read back with what was written.
func checkAgent(t *testing.T, got *store.Agent, want store.Agent) {
	t.Helper()
	checkTime(t, want.Name+" CreatedAt", got.CreatedAt, want.CreatedAt)
	checkTime(t, want.Name+" UpdatedAt", got.UpdatedAt, want.UpdatedAt)
	g := *got
	g.CreatedAt, g.UpdatedAt, want.CreatedAt, want.UpdatedAt = time.Time{}, time.Time{}, time.Time{}, time.Time{}
	checkEqual(t, "agent "+want.Name, g, want)
}

var agentTests = []test{
	{"AgentsRoundTrip", func(t *testing.T, s store.Store) {
		a := agent("suppress-emea", "suppression-sync")
		bare := store.Agent{Name: "bare", Skill: "campaign-watch", State: store.AgentPaused, StateReason: "new",
			CreatedAt: date(2025, 1, 1), UpdatedAt: date(2025, 1, 2)}
		if err := s.AgentsUpsert(ctx(t), &store.AgentsUpsertParams{Agents: []store.Agent{a, bare}}); err != nil {
			t.Fatal(err)
		}
		checkAgent(t, must[*store.Agent](t)(s.AgentGet(ctx(t), &store.AgentGetParams{Name: a.Name})), a)
		checkAgent(t, must[*store.Agent](t)(s.AgentGet(ctx(t), &store.AgentGetParams{Name: "bare"})), bare)
		_, err := s.AgentGet(ctx(t), &store.AgentGetParams{Name: "nobody"})
		wantNotFound(t, "AgentGet(nobody)", err)
	}},
	{"AgentsUpsertKeepsCreatedAt", func(t *testing.T, s store.Store) {
		a := agent("a1", "suppression-sync")
		if err := s.AgentsUpsert(ctx(t), &store.AgentsUpsertParams{Agents: []store.Agent{a}}); err != nil {
			t.Fatal(err)
		}
		b := a
		b.Owner, b.State, b.StateReason = "li", store.AgentPaused, "too noisy"
		b.CreatedAt, b.UpdatedAt = date(2026, 1, 1), date(2026, 1, 2)
		b.Params = map[string]any{"threshold": 0.5}
		if err := s.AgentsUpsert(ctx(t), &store.AgentsUpsertParams{Agents: []store.Agent{b}}); err != nil {
			t.Fatal(err)
		}
		want := b
		want.CreatedAt = a.CreatedAt
		checkAgent(t, must[*store.Agent](t)(s.AgentGet(ctx(t), &store.AgentGetParams{Name: "a1"})), want)
		checkEqual(t, "count", must[int](t)(s.AgentsCount(ctx(t), &store.AgentsListParams{})), 1)
	}},
	{"AgentsListPagesByName", func(t *testing.T, s store.Store) {
		var all []store.Agent
		for i, name := range seq("agent", 25) {
			a := agent(name, []string{"suppression-sync", "campaign-watch"}[i%2])
			if i%5 == 0 {
				a.State = store.AgentPaused
			}
			if i%3 == 0 {
				a.Source = "cli"
			}
			all = append(all, a)
		}
		// Written in reverse, so the order read is the store's own.
		rev := make([]store.Agent, len(all))
		for i := range all {
			rev[len(all)-1-i] = all[i]
		}
		if err := s.AgentsUpsert(ctx(t), &store.AgentsUpsertParams{Agents: rev}); err != nil {
			t.Fatal(err)
		}
		var got []string
		after := ""
		for pages := 0; ; pages++ {
			page := must[[]store.Agent](t)(s.AgentsList(ctx(t), &store.AgentsListParams{After: after, Limit: 10}))
			if len(page) == 0 {
				checkEqual(t, "pages", pages, 3)
				break
			}
			got = append(got, ids(page, func(a store.Agent) string { return a.Name })...)
			after = page[len(page)-1].Name
		}
		checkEqual(t, "names paged", got, seq("agent", 25))
		checkEqual(t, "default limit reads all 25", len(must[[]store.Agent](t)(s.AgentsList(ctx(t), &store.AgentsListParams{}))), 25)

		filters := []store.AgentsListParams{
			{Skill: "campaign-watch"}, {State: store.AgentPaused}, {Source: "cli"},
			{Skill: "suppression-sync", State: store.AgentActive, Source: "workspace"},
		}
		for _, f := range filters {
			var want []string
			for _, a := range all {
				if (f.Skill == "" || a.Skill == f.Skill) && (f.State == "" || a.State == f.State) && (f.Source == "" || a.Source == f.Source) {
					want = append(want, a.Name)
				}
			}
			list := must[[]store.Agent](t)(s.AgentsList(ctx(t), &f))
			checkEqual(t, "list filtered", ids(list, func(a store.Agent) string { return a.Name }), want)
			checkEqual(t, "count filtered", must[int](t)(s.AgentsCount(ctx(t), &f)), len(want))
		}
		// After pages a list; it does not change the count.
		checkEqual(t, "count with After", must[int](t)(s.AgentsCount(ctx(t), &store.AgentsListParams{After: "agent-010"})), 25)
	}},
	{"AgentStateSetAndDelete", func(t *testing.T, s store.Store) {
		if err := s.AgentsUpsert(ctx(t), &store.AgentsUpsertParams{Agents: []store.Agent{
			agent("a1", "x"), agent("a2", "x"), agent("a3", "x")}}); err != nil {
			t.Fatal(err)
		}
		at := time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)
		got := must[*store.Agent](t)(s.AgentStateSet(ctx(t), &store.AgentStateSetParams{
			Name: "a2", State: store.AgentTripped, Reason: "undo rate 40% over the last 20 proposals", At: at}))
		checkEqual(t, "state", got.State, store.AgentTripped)
		checkEqual(t, "reason", got.StateReason, "undo rate 40% over the last 20 proposals")
		checkTime(t, "UpdatedAt", got.UpdatedAt, at)
		checkTime(t, "CreatedAt kept", got.CreatedAt, agent("a2", "x").CreatedAt)
		reread := must[*store.Agent](t)(s.AgentGet(ctx(t), &store.AgentGetParams{Name: "a2"}))
		checkEqual(t, "state stored", reread.State, store.AgentTripped)
		checkEqual(t, "tripped count", must[int](t)(s.AgentsCount(ctx(t), &store.AgentsListParams{State: store.AgentTripped})), 1)

		_, err := s.AgentStateSet(ctx(t), &store.AgentStateSetParams{Name: "nobody", State: store.AgentPaused})
		wantNotFound(t, "AgentStateSet(nobody)", err)
		if _, err := s.AgentStateSet(ctx(t), &store.AgentStateSetParams{Name: "a1", State: "sleeping"}); err == nil {
			t.Error("AgentStateSet accepted an unknown state")
		}

		n := must[int](t)(s.AgentsDelete(ctx(t), &store.AgentsDeleteParams{Names: []string{"a1", "a3", "nobody"}}))
		checkEqual(t, "deleted", n, 2)
		left := must[[]store.Agent](t)(s.AgentsList(ctx(t), &store.AgentsListParams{}))
		checkEqual(t, "left", ids(left, func(a store.Agent) string { return a.Name }), []string{"a2"})
		_, err = s.AgentGet(ctx(t), &store.AgentGetParams{Name: "a1"})
		if !errors.Is(err, store.ErrNotFound) {
			t.Errorf("deleted agent still found: %v", err)
		}
	}},
}
