package signalrouter

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/towerops/tower/internal/foundation"
	"github.com/towerops/tower/internal/proposal"
	"github.com/towerops/tower/internal/skill"
	"github.com/towerops/tower/internal/store"
)

var now = time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC)

// The synthetic company:
//
//	O-1 Nia   sales NA    capacity 5
//	O-2 Ola   sales NA    capacity 1, already holding one open task
//	O-3 Pia   sales EMEA  capacity 10
//	O-4 Raj   sales APAC  no capacity recorded
//	O-5 Cal   cs    NA    capacity 5
//	O-6 Mo    marketing NA (never routed to)
//
//	A-1 Acme  NA prospect, owner Nia
//	A-2 Bolt  NA prospect, owner Ola (at capacity)
//	A-3 Cora  EMEA target, no owner
//	A-4 Dune  NA customer, owner Cal
func owners() []foundation.Owner {
	o := func(id, name string, team foundation.Team, region string, capacity int) foundation.Owner {
		return foundation.Owner{ID: id, Name: name, Email: name + "@tower.test", Team: team, Region: region, Capacity: capacity}
	}
	return []foundation.Owner{
		o("O-1", "Nia", foundation.TeamSales, "NA", 5), o("O-2", "Ola", foundation.TeamSales, "NA", 1),
		o("O-3", "Pia", foundation.TeamSales, "EMEA", 10), o("O-4", "Raj", foundation.TeamSales, "APAC", 0),
		o("O-5", "Cal", foundation.TeamCS, "NA", 5), o("O-6", "Mo", foundation.TeamMarketing, "NA", 50),
	}
}

// person is one fixture person: their account (or region) and events,
// as offsets before now.
type person struct {
	email, account, region string
	events                 []ev
}

type ev struct {
	name string
	ago  time.Duration
}

func repeat(name string, n int, from, step time.Duration) []ev {
	var out []ev
	for i := 0; i < n; i++ {
		out = append(out, ev{name, from + time.Duration(i)*step})
	}
	return out
}

// people, with what the router must do for each:
//
//	ann  Acme, demo request 5h ago            → Nia (account owner)
//	bob  Bolt, demo request 4h ago            → Nia (territory: Ola is at capacity)
//	cat  Cora, 3 pricing visits in a day      → Pia (territory) and Cora given to Pia
//	dan  Dune (customer), 10 uses in 5 hours  → Cal (account owner, customer success)
//	eve  no account, APAC, trial start        → Raj (territory by the person's region)
//	fay  no account, no region, demo request  → round robin: Pia (fewest recent, lowest id among ties)
//	gus  Acme, demo request 3 days ago        → nothing (outside the 2-day lookback)
//	hal  Acme, only 2 pricing visits          → nothing (below the threshold)
//	ivy  Acme, 9 uses in 80 minutes          → nothing (not a surge: 9 < 10)
var people = []person{
	{"ann@acme.test", "A-1", "", []ev{{"Demo Requested", 5 * time.Hour}}},
	{"bob@bolt.test", "A-2", "", []ev{{"Demo Requested", 4 * time.Hour}}},
	{"cat@cora.test", "A-3", "", repeat("Pricing Viewed", 3, 3*time.Hour+30*time.Minute, 6*time.Hour)},
	{"dan@dune.test", "A-4", "", repeat("Feature Used", 10, 2*time.Hour+50*time.Minute, 30*time.Minute)},
	{"eve@mail.test", "", "APAC", []ev{{"Trial Started", 2*time.Hour + 40*time.Minute}}},
	{"fay@mail.test", "", "", []ev{{"Demo Requested", 90 * time.Minute}}},
	{"gus@acme.test", "A-1", "", []ev{{"Demo Requested", 72 * time.Hour}}},
	{"hal@acme.test", "A-1", "", repeat("Pricing Viewed", 2, 6*time.Hour, time.Hour)},
	{"ivy@acme.test", "A-1", "", repeat("Feature Used", 9, 3*time.Hour, 10*time.Minute)},
}

// fixture writes the company and returns person ids by e-mail.
func fixture(t *testing.T, st store.Store) map[string]int64 {
	t.Helper()
	ctx := context.Background()
	if _, err := st.OwnersUpsert(ctx, &store.OwnersUpsertParams{Owners: owners()}); err != nil {
		t.Fatal(err)
	}
	if _, err := st.AccountsUpsert(ctx, &store.AccountsUpsertParams{Accounts: []foundation.Account{
		{ID: "A-1", Name: "Acme", Region: "NA", OwnerID: "O-1", LifecycleStage: "prospect"},
		{ID: "A-2", Name: "Bolt", Region: "NA", OwnerID: "O-2", LifecycleStage: "prospect"},
		{ID: "A-3", Name: "Cora", Region: "EMEA", LifecycleStage: "target"},
		{ID: "A-4", Name: "Dune", Region: "NA", OwnerID: "O-5", LifecycleStage: "customer"},
	}}); err != nil {
		t.Fatal(err)
	}
	var recs []foundation.Record
	for _, p := range people {
		recs = append(recs, foundation.Record{System: "crm", SystemID: "crm-" + p.email, Email: p.email,
			FirstName: p.email[:3], LastName: "Test", AccountID: p.account, Region: p.region})
	}
	if _, err := st.RecordsUpsert(ctx, &store.RecordsUpsertParams{Records: recs}); err != nil {
		t.Fatal(err)
	}
	ids := map[string]int64{}
	var evs []foundation.Event
	for _, p := range people {
		d, err := st.PersonGet(ctx, &store.PersonGetParams{Email: p.email})
		if err != nil {
			t.Fatal(err)
		}
		ids[p.email] = d.Person.ID
		for i, e := range p.events {
			at := now.Add(-e.ago)
			evs = append(evs, foundation.Event{MessageID: fmt.Sprintf("%s-%d", p.email, i), Type: "track", Event: e.name,
				UserID: "crm-" + p.email, Timestamp: at, ReceivedAt: at, PersonID: d.Person.ID})
		}
	}
	// An anonymous demo request: nobody to route it to.
	evs = append(evs, foundation.Event{MessageID: "anon-1", Type: "track", Event: "Demo Requested", AnonymousID: "a-1",
		Timestamp: now.Add(-time.Hour), ReceivedAt: now.Add(-time.Hour)})
	if _, err := st.EventsInsert(ctx, &store.EventsInsertParams{Events: evs}); err != nil {
		t.Fatal(err)
	}
	// Ola already holds one open task (from elsewhere): she is at capacity.
	if err := st.TasksInsert(ctx, &store.TasksInsertParams{Tasks: []store.Task{{ID: "t-earlier", Title: "Call back Bolt's CFO",
		OwnerID: "O-2", Status: "open", CreatedAt: now.Add(-24 * time.Hour)}}}); err != nil {
		t.Fatal(err)
	}
	return ids
}

func agent(t *testing.T, name string, scope store.Scope, over map[string]any) skill.Agent {
	t.Helper()
	p, err := Skill{}.Manifest().Resolve(over)
	if err != nil {
		t.Fatal(err)
	}
	return skill.Agent{Name: name, Owner: "maria", Scope: scope, Params: p}
}

// routed is what drafts say: the owner of each person's task, the rule,
// and the accounts given away.
type routed struct {
	owner, rule, due string
}

func summarize(t *testing.T, drafts []proposal.Draft) (tasks map[string]routed, assigns map[string]string, other []proposal.Draft) {
	t.Helper()
	tasks, assigns = map[string]routed{}, map[string]string{}
	for _, d := range drafts {
		if err := d.Validate(); err != nil {
			t.Errorf("invalid draft: %v", err)
		}
		a := d.Actions[0]
		switch {
		case len(d.Actions) == 1 && a.Kind == proposal.CreateTask:
			who := a.Targets[0].Label
			if _, dup := tasks[who]; dup {
				t.Errorf("two tasks for %s", who)
			}
			rule := ""
			for _, f := range d.Evidence.Facts {
				if f.Name == "routed by" {
					rule = f.Value.(string)
				}
			}
			tasks[who] = routed{a.Param("owner_id"), rule, a.Param("due")}
		case a.Kind == proposal.AssignOwner:
			assigns[a.Targets[0].ID] = a.Param("owner_id")
		default:
			other = append(other, d)
		}
	}
	return tasks, assigns, other
}
