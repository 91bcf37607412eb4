package nextbestaction

import (
	"context"
	"fmt"
	"time"

	"github.com/towerops/tower/internal/foundation"
	"github.com/towerops/tower/internal/skill"
	"github.com/towerops/tower/internal/store"
)

// conversion is the event the propensity model learns to predict.
const conversion = "Trial Started"

// activity names the per-person event counts used as features, and how
// each is recognised.
var activity = []struct {
	Name  string
	Match func(e foundation.Event) bool
}{
	{"pricing_views", track("Pricing Viewed")},
	{"page_views", func(e foundation.Event) bool { return e.Type == "page" }},
	{"email_clicks", track("Email Clicked")},
	{"webinars", track("Webinar Registered")},
	{"demo_requests", track("Demo Requested")},
	{"whitepapers", track("Whitepaper Downloaded")},
	{"product_use", track("Feature Used")},
	{"trials", track(conversion)},
}

// page is how many rows each read asks for.
const page = 1000

func track(name string) func(foundation.Event) bool {
	return func(e foundation.Event) bool { return e.Type == "track" && e.Event == name }
}

// workspace is what the skill reads once per run.
type workspace struct {
	accounts map[string]foundation.Account
	owners   map[string]foundation.Owner
	csms     []foundation.Owner // owners on the cs team, by id
	products []foundation.Product
	held     map[string]map[string]bool // account → product ids held
	people   []foundation.Person        // people with an account
	events   []foundation.Event         // since the start of the learning window
}

func load(ctx context.Context, v skill.View, since time.Time) (*workspace, error) {
	w := &workspace{accounts: map[string]foundation.Account{}, owners: map[string]foundation.Owner{}, held: map[string]map[string]bool{}}
	accounts, err := store.ReadAll(page, func(p store.Page) ([]foundation.Account, error) {
		return v.AccountsList(ctx, &store.AccountsListParams{Page: p})
	})
	if err != nil {
		return nil, fmt.Errorf("reading accounts: %w", err)
	}
	for _, a := range accounts {
		w.accounts[a.ID] = a
	}
	owners, err := store.ReadAll(page, func(p store.Page) ([]foundation.Owner, error) {
		return v.OwnersList(ctx, &store.OwnersListParams{Page: p})
	})
	if err != nil {
		return nil, fmt.Errorf("reading owners: %w", err)
	}
	for _, o := range owners {
		w.owners[o.ID] = o
		if o.Team == foundation.TeamCS {
			w.csms = append(w.csms, o)
		}
	}
	if w.products, err = store.ReadAll(page, func(p store.Page) ([]foundation.Product, error) {
		return v.ProductsList(ctx, &store.ProductsListParams{Page: p})
	}); err != nil {
		return nil, fmt.Errorf("reading products: %w", err)
	}
	holdings, err := store.ReadAll(page, func(p store.Page) ([]foundation.Holding, error) {
		return v.HoldingsList(ctx, &store.HoldingsListParams{Page: p})
	})
	if err != nil {
		return nil, fmt.Errorf("reading holdings: %w", err)
	}
	for _, h := range holdings {
		if w.held[h.AccountID] == nil {
			w.held[h.AccountID] = map[string]bool{}
		}
		w.held[h.AccountID][h.ProductID] = true
	}
	people, err := store.ReadAll(page, func(p store.Page) ([]store.PersonSummary, error) {
		return v.PeopleList(ctx, &store.PeopleListParams{Page: p})
	})
	if err != nil {
		return nil, fmt.Errorf("reading people: %w", err)
	}
	for _, p := range people {
		if _, ok := w.accounts[p.AccountID]; ok && p.MergedInto == 0 {
			w.people = append(w.people, p.Person)
		}
	}
	if w.events, err = store.ReadAll(page, func(p store.Page) ([]foundation.Event, error) {
		return v.EventsList(ctx, &store.EventsListParams{Page: p, Since: since})
	}); err != nil {
		return nil, fmt.Errorf("reading events: %w", err)
	}
	return w, nil
}

// csmFor is the customer success manager of an account: its owner when
// the owner is on the cs team, else the first CSM of its region, else
// none.
func (w *workspace) csmFor(a foundation.Account) (foundation.Owner, bool) {
	if o, ok := w.owners[a.OwnerID]; ok && o.Team == foundation.TeamCS {
		return o, true
	}
	for _, o := range w.csms {
		if o.Region == a.Region {
			return o, true
		}
	}
	return foundation.Owner{}, false
}

// whitespace is the monthly list price of the products an account does
// not hold, and their names.
func (w *workspace) whitespace(accountID string) (float64, []string) {
	var sum float64
	var names []string
	for _, p := range w.products {
		if !w.held[accountID][p.ID] {
			sum += p.ListPrice
			names = append(names, p.Name)
		}
	}
	return sum, names
}
