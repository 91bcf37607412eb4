package nextbestaction

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/towerops/tower/internal/foundation"
	"github.com/towerops/tower/internal/proposal"
	"github.com/towerops/tower/internal/skill"
	"github.com/towerops/tower/internal/store"
	"github.com/towerops/tower/internal/store/eachbackend"
)

var now = time.Date(2026, 6, 1, 9, 0, 0, 0, time.UTC)

// synthetic builds a workspace where the right motion is known by
// construction. Twenty prospect accounts of fifteen people teach the
// model: the half who viewed pricing three times 31–59 days ago started
// a trial in the last 30 days, the rest did neither. Then five accounts
// of five people each:
//
//	hot    prospect, seller s1, everyone viewed pricing recently → sales outreach to s1
//	cust   customer (owner s1, a seller), viewing pricing        → service-led, to the CSM c1
//	lost   churned, viewing pricing                              → nurture, never sales
//	orphan target with no owner, viewing pricing                 → nurture (no seller)
//	quiet  prospect, one page view each                          → no action
func synthetic(t *testing.T, st store.Store) {
	ctx := context.Background()
	must := func(_ any, err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(st.OwnersUpsert(ctx, &store.OwnersUpsertParams{Owners: []foundation.Owner{
		{ID: "s1", Name: "Sam Seller", Email: "sam@co.com", Team: foundation.TeamSales, Region: "NA", Capacity: 50},
		{ID: "c1", Name: "Cleo Success", Email: "cleo@co.com", Team: foundation.TeamCS, Region: "NA", Capacity: 50},
	}}))
	must(st.ProductsUpsert(ctx, &store.ProductsUpsertParams{Products: []foundation.Product{
		{ID: "core", Name: "Core", Family: "platform", ListPrice: 2000}, {ID: "addon", Name: "Add-on", Family: "platform", ListPrice: 500},
	}}))
	accts := []foundation.Account{
		{ID: "hot", Name: "Hot Co", Region: "NA", Tier: "mid-market", Employees: 500, OwnerID: "s1", LifecycleStage: "prospect"},
		{ID: "cust", Name: "Cust Co", Region: "NA", Tier: "mid-market", Employees: 500, OwnerID: "s1", LifecycleStage: "customer"},
		{ID: "lost", Name: "Lost Co", Region: "NA", Tier: "mid-market", Employees: 500, OwnerID: "s1", LifecycleStage: "churned"},
		{ID: "orphan", Name: "Orphan Co", Region: "NA", Tier: "mid-market", Employees: 500, LifecycleStage: "target"},
		{ID: "quiet", Name: "Quiet Co", Region: "NA", Tier: "mid-market", Employees: 500, OwnerID: "s1", LifecycleStage: "prospect"},
	}
	for i := range 20 {
		accts = append(accts, foundation.Account{ID: fmt.Sprintf("f%02d", i), Name: fmt.Sprintf("Filler %d", i), Region: "NA",
			Tier: "smb", Employees: 50, OwnerID: "s1", LifecycleStage: "prospect"})
	}
	must(st.AccountsUpsert(ctx, &store.AccountsUpsertParams{Accounts: accts}))
	must(st.HoldingsUpsert(ctx, &store.HoldingsUpsertParams{Holdings: []foundation.Holding{{AccountID: "cust", ProductID: "core", Since: now.AddDate(-1, 0, 0), Seats: 10, MRR: 2000}}}))
	var recs []foundation.Record
	for _, a := range accts {
		n := 5
		if a.ID[0] == 'f' {
			n = 15
		}
		for k := range n {
			recs = append(recs, foundation.Record{System: "crm", SystemID: fmt.Sprintf("%s-%d", a.ID, k), Email: fmt.Sprintf("p%d@%s.com", k, a.ID),
				FirstName: "P", LastName: fmt.Sprint(k), Title: "Manager", AccountID: a.ID, Region: "NA"})
		}
	}
	must(st.RecordsUpsert(ctx, &store.RecordsUpsertParams{Records: recs}))
	var evs []foundation.Event
	ev := func(email, name string, typ foundation.EventType, at time.Time) {
		d, err := st.PersonGet(ctx, &store.PersonGetParams{Email: email})
		if err != nil {
			t.Fatal(err)
		}
		evs = append(evs, foundation.Event{MessageID: fmt.Sprintf("%s-%s-%d", email, name, at.Unix()), Type: typ, Event: name, Email: email,
			UserID: email, Timestamp: at, ReceivedAt: at, PersonID: d.Person.ID})
	}
	days := func(d int) time.Time { return now.Add(-time.Duration(d) * 24 * time.Hour) }
	for _, r := range recs {
		switch {
		case r.AccountID[0] == 'f' && (r.SystemID[len(r.SystemID)-1]-'0')%2 == 0:
			for d := range 3 {
				ev(r.Email, "Pricing Viewed", "track", days(40+d))
			}
			ev(r.Email, "Trial Started", "track", days(10))
		case r.AccountID == "quiet":
			ev(r.Email, "Home", "page", days(3))
		case r.AccountID[0] != 'f':
			for d := range 3 {
				ev(r.Email, "Pricing Viewed", "track", days(2+d))
			}
		}
	}
	must(st.EventsInsert(ctx, &store.EventsInsertParams{Events: evs}))
}

func TestMotionsKnownByConstruction(t *testing.T) {
	eachbackend.Run(t, func(t *testing.T, st store.Store) {
		synthetic(t, st)
		drafts := run(t, skill.NewView(st, now, nil, nil), map[string]any{"max_proposals": 500})
		got := map[string]proposal.Draft{}
		for _, d := range drafts {
			if err := d.Validate(); err != nil {
				t.Errorf("invalid draft: %v", err)
			}
			got[d.Key] = d
		}
		want := map[string]string{ // key → owner_id for tasks, "" for nurture
			"nba:hot:" + string(Sales):      "s1",
			"nba:cust:" + string(Service):   "c1",
			"nba:lost:" + string(Digital):   "",
			"nba:orphan:" + string(Digital): "",
		}
		for key, owner := range want {
			d, ok := got[key]
			if !ok {
				t.Errorf("no proposal %s; got %v", key, keys(got))
				continue
			}
			act := d.Actions[0]
			if owner != "" && (act.Kind != proposal.CreateTask || act.Param("owner_id") != owner) {
				t.Errorf("%s: %s for %q, want a task for %s", key, act.Kind, act.Param("owner_id"), owner)
			}
			if owner == "" && (act.Kind != proposal.Tag || len(act.Targets) != 5 || act.Param("tag") != "nurture:next-best-action") {
				t.Errorf("%s: %s on %d targets", key, act.Kind, len(act.Targets))
			}
		}
		for key := range got {
			for _, bad := range []string{"nba:quiet:", "nba:lost:" + string(Sales), "nba:cust:" + string(Sales)} {
				if len(key) >= len(bad) && key[:len(bad)] == bad {
					t.Errorf("unexpected proposal %s: %s", key, got[key].Title)
				}
			}
		}
		hot := got["nba:hot:"+string(Sales)]
		if hot.ExpectedValue.PipelineUSD <= 0 || hot.ExpectedValue.PipelineUSD > 12*2500 {
			t.Errorf("hot: expected value %v", hot.ExpectedValue.PipelineUSD)
		}
		// The same run again proposes the same keys: stable per account and motion.
		again := run(t, skill.NewView(st, now, nil, nil), map[string]any{"max_proposals": 500})
		if len(again) != len(drafts) {
			t.Fatalf("second run: %d proposals, first %d", len(again), len(drafts))
		}
		for i := range again {
			if again[i].Key != drafts[i].Key {
				t.Errorf("run 2 proposal %d key %s, run 1 %s", i, again[i].Key, drafts[i].Key)
			}
		}
		// Bounded: the default keeps the 20 with the highest expected value.
		if n := len(run(t, skill.NewView(st, now, nil, nil), nil)); n > 20 {
			t.Errorf("%d proposals with the default bound", n)
		}
	})
}

func TestDecideRules(t *testing.T) {
	th := Thresholds{MinScore: 0.1, SalesScore: 0.35, MinSalesValue: 5000}
	for _, c := range []struct {
		in   Account
		want Motion
	}{
		{Account{Stage: "prospect", Propensity: 0.6, Value: 30000, HasSeller: true}, Sales},
		{Account{Stage: "prospect", Propensity: 0.6, Value: 3000, HasSeller: true}, Digital}, // not worth a seller
		{Account{Stage: "prospect", Propensity: 0.2, Value: 30000, HasSeller: true}, Digital},
		{Account{Stage: "prospect", Propensity: 0.05, Value: 30000, HasSeller: true}, None},
		{Account{Stage: "churned", Propensity: 0.9, Value: 30000, HasSeller: true}, Digital},
		{Account{Stage: "churned", Propensity: 0.05, Value: 30000, HasSeller: true}, None},
		{Account{Stage: "customer", Propensity: 0.9, Value: 30000, HasSeller: true, HasCSM: true}, Service},
		{Account{Stage: "customer", Propensity: 0.9, Value: 30000, HasSeller: true}, Digital},
		{Account{Stage: "customer", Propensity: 0.9, Value: 0, HasCSM: true}, None}, // holds everything
	} {
		if got, why, _ := Decide(c.in, th); got != c.want {
			t.Errorf("%+v: %s (%s), want %s", c.in, got, why, c.want)
		}
	}
}

func keys(m map[string]proposal.Draft) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}
