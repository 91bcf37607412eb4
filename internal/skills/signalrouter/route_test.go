package signalrouter

import (
	"context"
	"maps"
	"testing"
	"time"

	"github.com/towerops/tower/internal/skill"
	"github.com/towerops/tower/internal/store"
	"github.com/towerops/tower/internal/store/eachbackend"
)

func TestRoutesEachSignalToTheRightPerson(t *testing.T) {
	eachbackend.Run(t, func(t *testing.T, st store.Store) {
		fixture(t, st)
		ctx := context.Background()
		drafts, err := Skill{}.Run(ctx, skill.NewView(st, now, nil, nil), []skill.Agent{agent(t, "router", store.Scope{}, nil)})
		if err != nil {
			t.Fatal(err)
		}
		tasks, assigns, other := summarize(t, drafts)
		want := map[string]routed{
			"ann@acme.test": {"O-1", RuleAccountOwner, "2026-11-20"},
			"bob@bolt.test": {"O-1", RuleTerritory, "2026-11-20"},
			"cat@cora.test": {"O-3", RuleTerritory, "2026-11-21"},
			"dan@dune.test": {"O-5", RuleAccountOwner, "2026-11-21"},
			"eve@mail.test": {"O-4", RuleTerritory, "2026-11-20"},
			"fay@mail.test": {"O-3", RuleRoundRobin, "2026-11-20"},
		}
		if !maps.Equal(tasks, want) {
			t.Errorf("tasks:\n got %v\nwant %v", tasks, want)
		}
		if !maps.Equal(assigns, map[string]string{"A-3": "O-3"}) {
			t.Errorf("account assignments %v, want Cora to Pia", assigns)
		}
		if len(other) != 0 {
			t.Errorf("unexpected drafts: %+v", other)
		}
	})
}

// TestScopeAndNobodyHasRoom: an EMEA agent sees only Cora's signal; with
// every seller full, a NA demo request goes to nobody and the escalation
// contact is told instead.
func TestScopeAndNobodyHasRoom(t *testing.T) {
	st := eachbackend.SQLite(t)
	fixture(t, st)
	ctx := context.Background()
	v := skill.NewView(st, now, nil, nil)
	drafts, err := Skill{}.Run(ctx, v, []skill.Agent{agent(t, "emea", store.Scope{Kind: "region", Values: []string{"EMEA"}}, nil)})
	if err != nil {
		t.Fatal(err)
	}
	tasks, _, _ := summarize(t, drafts)
	if len(tasks) != 1 || tasks["cat@cora.test"].owner != "O-3" {
		t.Errorf("EMEA agent routed %v, want only Cora's signal to Pia", tasks)
	}
	// Raj had no capacity recorded (no limit); now he has room for one,
	// and holds it.
	ros := owners()
	ros[3].Capacity = 1
	if _, err := st.OwnersUpsert(ctx, &store.OwnersUpsertParams{Owners: ros}); err != nil {
		t.Fatal(err)
	}
	var full []store.Task
	for i := 0; i < 10; i++ {
		for _, o := range []string{"O-1", "O-3", "O-4"} {
			full = append(full, store.Task{ID: o + "-busy-" + string(rune('a'+i)), Title: "busy", OwnerID: o, Status: "open", CreatedAt: now.Add(-time.Hour)})
		}
	}
	if err := st.TasksInsert(ctx, &store.TasksInsertParams{Tasks: full}); err != nil {
		t.Fatal(err)
	}
	drafts, err = Skill{}.Run(ctx, v, []skill.Agent{agent(t, "na", store.Scope{Kind: "region", Values: []string{"NA"}}, map[string]any{"escalate_to": "sales-lead"})})
	if err != nil {
		t.Fatal(err)
	}
	tasks, _, other := summarize(t, drafts)
	// Dan is a customer: his CSM still has room.
	if len(tasks) != 1 || tasks["dan@dune.test"].owner != "O-5" {
		t.Errorf("with NA sales full, routed %v; want only Dan to Cal", tasks)
	}
	told := map[string]bool{}
	for _, d := range other {
		if d.Actions[0].Kind != "notify" || d.Actions[0].Param("to") != "sales-lead" {
			t.Errorf("unexpected draft %+v", d)
		}
		told[d.Actions[0].Targets[0].Label] = true
	}
	if !told["ann@acme.test"] || !told["bob@bolt.test"] || len(told) != 2 {
		t.Errorf("nobody-has-room notices for %v, want ann and bob", told)
	}
}

func TestFireCountsWithinTheWindowOnce(t *testing.T) {
	c := kindConfig{kind: PricingVisits, count: 3, window: 24 * time.Hour, sla: time.Hour}
	at := func(h int) time.Time { return now.Add(time.Duration(h) * time.Hour) }
	// Visits at 0, 1, 2 (fires at 2), 3, 4 (quiet: same window), 30, 31, 32 (fires at 32).
	ts := []time.Time{at(4), at(0), at(1), at(2), at(3), at(30), at(31), at(32)}
	names := make([]string, len(ts))
	got := fire(c, 7, ts, names)
	if len(got) != 2 || !got[0].At.Equal(at(2)) || !got[1].At.Equal(at(32)) || got[0].Count != 3 {
		t.Fatalf("fired %+v, want at +2h and +32h", got)
	}
	one := kindConfig{kind: DemoRequest, count: 1}
	if got := fire(one, 7, []time.Time{at(1), at(1), at(2)}, []string{"", "", ""}); len(got) != 2 {
		t.Fatalf("one-off kind fired %d times for events in two distinct seconds", len(got))
	}
}

func TestRefRoundTrip(t *testing.T) {
	r := signalRef{Kind: DemoRequest, Person: 42, At: now}
	got, ok := parseRef(r.String())
	if !ok || got != r {
		t.Fatalf("parse(%q) = %+v, %v", r.String(), got, ok)
	}
	for _, bad := range []string{"", "demo_request person:x at 2026-11-20T12:00:00Z", "demo_request person:1 on 2026", "demo_request person:1 at yesterday"} {
		if _, ok := parseRef(bad); ok {
			t.Errorf("parseRef(%q) accepted", bad)
		}
	}
}

// TestViewHidesLaterTasks: a run at a past time (a simulation) does not
// see tasks created after it, so it routes as that day would have.
func TestViewHidesLaterTasks(t *testing.T) {
	st := eachbackend.SQLite(t)
	fixture(t, st)
	ctx := context.Background()
	var later []store.Task
	for i := 0; i < 7; i++ {
		later = append(later, store.Task{ID: "later-" + string(rune('a'+i)), Title: "later", OwnerID: "O-1", Status: "open", CreatedAt: now.Add(time.Duration(i+1) * time.Hour)})
	}
	if err := st.TasksInsert(ctx, &store.TasksInsertParams{Tasks: later}); err != nil {
		t.Fatal(err)
	}
	v := skill.NewView(st, now, nil, nil)
	got, err := allTasks(ctx, v)
	if err != nil || len(got) != 1 || got[0].ID != "t-earlier" {
		t.Fatalf("view at now sees %d tasks (%v), want only the earlier one", len(got), err)
	}
	page, err := skill.NewView(st, now.Add(3*time.Hour), nil, nil).TasksList(ctx, &store.TasksListParams{Page: store.Page{Limit: 2, Offset: 2}})
	if err != nil || len(page) != 2 || page[0].ID != "later-c" || page[1].ID != "t-earlier" {
		t.Fatalf("second page of 2 at now+3h: %+v, %v", page, err)
	}
	// The same run with the later tasks hidden routes Ann to Nia, whose
	// five later tasks would otherwise fill her capacity.
	drafts, err := Skill{}.Run(ctx, v, []skill.Agent{agent(t, "router", store.Scope{}, nil)})
	if err != nil {
		t.Fatal(err)
	}
	if tasks, _, _ := summarize(t, drafts); tasks["ann@acme.test"].owner != "O-1" {
		t.Errorf("Ann routed to %v, want Nia", tasks["ann@acme.test"])
	}
}
