package crosssell

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/towerops/tower/internal/foundation"
	"github.com/towerops/tower/internal/knowledge"
	"github.com/towerops/tower/internal/store"
)

// smallBook is 30 customers: 12 hold A and B, 10 of them also C; 18 hold
// only A. Customer c00 (A+B, no C) is the opportunity; c01 too, but it
// already has an open task; x00 is churned with A+B and no C.
func smallBook() *Input {
	in := &Input{Products: []foundation.Product{
		{ID: "a", Name: "Alpha", ListPrice: 100}, {ID: "b", Name: "Beta", ListPrice: 200}, {ID: "c", Name: "Gamma", ListPrice: 300}}}
	hold := func(acc string, ps ...string) {
		for _, p := range ps {
			in.Holdings = append(in.Holdings, foundation.Holding{AccountID: acc, ProductID: p, MRR: 10})
		}
	}
	for i := range 30 {
		id := fmt.Sprintf("c%02d", i)
		in.Accounts = append(in.Accounts, foundation.Account{ID: id, Name: "Customer " + id, OwnerID: "o1", LifecycleStage: "customer"})
		switch {
		case i < 2:
			hold(id, "a", "b")
		case i < 12:
			hold(id, "a", "b", "c")
		default:
			hold(id, "a")
		}
	}
	in.Accounts = append(in.Accounts, foundation.Account{ID: "x00", Name: "Gone Ltd", LifecycleStage: "churned"})
	hold("x00", "a", "b")
	in.OpenTasks = []store.Task{{ID: "t1", Title: "Offer Gamma to Customer c01", Targets: []string{"account:c01"}, Status: "open"}}
	return in
}

func TestFindOffersOnlyTheGap(t *testing.T) {
	rep, err := Find(context.Background(), smallBook(), Options{MinSupport: 0.1, MinConfidence: 0.8, MinLift: 1.5, MinAccounts: 5})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Customers != 30 || rep.HeldBack != 1 || len(rep.Opportunities) != 1 {
		t.Fatalf("customers %d, held back %d, opportunities %+v", rep.Customers, rep.HeldBack, rep.Opportunities)
	}
	o := rep.Opportunities[0]
	// A+B → C and B → C: 10 of 12, lift (10/12)/(10/30) = 2.5; the
	// shorter rule is the one quoted.
	if o.Account.ID != "c00" || o.Product.ID != "c" || strings.Join(o.Rule.If, "+") != "b" || o.HoldIf != 12 ||
		o.Rule.Count != 10 || !near(o.Rule.Lift, 2.5) || o.TypicalMRR != 10 {
		t.Fatalf("opportunity %+v", o)
	}
}

func TestNoteNeverPromisesAnEndedOffer(t *testing.T) {
	rep, err := Find(context.Background(), smallBook(), Options{MinSupport: 0.1, MinConfidence: 0.8, MinLift: 1.5, MinAccounts: 5})
	if err != nil {
		t.Fatal(err)
	}
	o := rep.Opportunities[0]
	day := func(s string) time.Time { d, _ := time.Parse(time.DateOnly, s); return d }
	now := day("2026-11-01")
	cat := Catalog{
		Products: []knowledge.Product{{ID: "gamma-slug", Name: "gamma", Solves: "Does the gamma thing.", For: "Gamma teams"}},
		Offers: []knowledge.Offer{
			{ID: "old", Name: "Summer deal", Product: "gamma-slug", Description: "Half price.", Ends: day("2026-08-31")},
			{ID: "soon", Name: "Winter deal", Product: "gamma-slug", Description: "A free month.", Starts: day("2026-12-01")},
		},
	}
	d := draft("xs", o, cat.pitch(o.Product, now), now, 14*24*time.Hour)
	if err := d.Validate(); err != nil {
		t.Fatal(err)
	}
	n := d.Actions[0].Param("note")
	if strings.Contains(n, "Summer") || strings.Contains(n, "Winter") || !strings.Contains(n, "No offer for Gamma is running today") ||
		!strings.Contains(n, "Does the gamma thing.") || d.Actions[0].Param("due") != "2026-11-15" || d.Key != "cross-sell:c00:c" {
		t.Fatalf("draft %+v\nnote:\n%s", d, n)
	}
	cat.Offers = append(cat.Offers, knowledge.Offer{ID: "now", Name: "Autumn deal", Product: "gamma-slug", Description: "Setup included.", Ends: day("2026-11-30")})
	n = draft("xs", o, cat.pitch(o.Product, now), now, 14*24*time.Hour).Actions[0].Param("note")
	if !strings.Contains(n, "Offer you can make: Autumn deal. Setup included.") || !strings.Contains(n, "It ends on 2026-11-30") || strings.Contains(n, "Summer") {
		t.Fatalf("note with a running offer:\n%s", n)
	}
	n = draft("xs", o, Catalog{}.pitch(o.Product, now), now, time.Hour).Actions[0].Param("note")
	if !strings.Contains(n, "no entry for Gamma") {
		t.Fatalf("note without product knowledge:\n%s", n)
	}
}
