package storetest

import (
	"math/rand/v2"
	"testing"

	"github.com/towerops/tower/internal/foundation"
	"github.com/towerops/tower/internal/store"
)

var ownerTests = []test{
	{"RoundTripAndIdempotent", func(t *testing.T, s store.Store) {
		owners := []foundation.Owner{
			{ID: "O-001", Name: "Ana Silva", Email: "ana@tower.test", Team: foundation.TeamSales, Region: "EMEA", Capacity: 40},
			{ID: "O-002", Name: "Bo Chen", Email: "bo@tower.test", Team: foundation.TeamCS, Region: "APAC"},
		}
		for range 2 {
			mustWrite(t, 2)(s.OwnersUpsert(ctx(t), &store.OwnersUpsertParams{Owners: owners}))
		}
		got := must[[]foundation.Owner](t)(s.OwnersList(ctx(t), &store.OwnersListParams{}))
		checkEqual(t, "owners", got, owners)
		checkEqual(t, "Counts.Owners", counts(t, s).Owners, int64(2))
	}},
	{"ReUpsertUpdates", func(t *testing.T, s store.Store) {
		o := foundation.Owner{ID: "O-001", Name: "Ana", Email: "ana@tower.test", Team: foundation.TeamSales, Capacity: 10}
		mustWrite(t, 1)(s.OwnersUpsert(ctx(t), &store.OwnersUpsertParams{Owners: []foundation.Owner{o}}))
		o.Name, o.Team, o.Region, o.Capacity = "Ana Silva", foundation.TeamMarketing, "NA", 25
		mustWrite(t, 1)(s.OwnersUpsert(ctx(t), &store.OwnersUpsertParams{Owners: []foundation.Owner{o}}))
		got := must[[]foundation.Owner](t)(s.OwnersList(ctx(t), &store.OwnersListParams{}))
		checkEqual(t, "owners", got, []foundation.Owner{o})
	}},
	{"SameKeyTwiceInBatchLastWins", func(t *testing.T, s store.Store) {
		a := foundation.Owner{ID: "O-001", Name: "First", Email: "a@tower.test", Team: foundation.TeamSales}
		b := a
		b.Name = "Second"
		mustWrite(t, 2)(s.OwnersUpsert(ctx(t), &store.OwnersUpsertParams{Owners: []foundation.Owner{a, b}}))
		got := must[[]foundation.Owner](t)(s.OwnersList(ctx(t), &store.OwnersListParams{}))
		checkEqual(t, "owners", got, []foundation.Owner{b})
	}},
	{"ListOrderFilterPage", func(t *testing.T, s store.Store) {
		keys := seq("O", 120)
		owners := make([]foundation.Owner, len(keys))
		for i, id := range keys {
			team := foundation.TeamSales
			if i%3 == 0 {
				team = foundation.TeamCS
			}
			owners[i] = foundation.Owner{ID: id, Name: "Owner " + id, Email: id + "@tower.test", Team: team}
		}
		shuffled := append([]foundation.Owner(nil), owners...)
		rand.Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
		mustWrite(t, 120)(s.OwnersUpsert(ctx(t), &store.OwnersUpsertParams{Owners: shuffled}))

		key := func(o foundation.Owner) string { return o.ID }
		page := must[[]foundation.Owner](t)(s.OwnersList(ctx(t), &store.OwnersListParams{}))
		checkEqual(t, "default page (Limit 0 = 100)", ids(page, key), keys[:100])
		page = must[[]foundation.Owner](t)(s.OwnersList(ctx(t), &store.OwnersListParams{Page: store.Page{Offset: 100}}))
		checkEqual(t, "Offset 100", ids(page, key), keys[100:])
		page = must[[]foundation.Owner](t)(s.OwnersList(ctx(t), &store.OwnersListParams{Page: store.Page{Limit: 5, Offset: 10}}))
		checkEqual(t, "Limit 5 Offset 10", ids(page, key), keys[10:15])
		page = must[[]foundation.Owner](t)(s.OwnersList(ctx(t), &store.OwnersListParams{Page: store.Page{Limit: 1000}}))
		checkEqual(t, "Limit 1000", len(page), 120)

		page = must[[]foundation.Owner](t)(s.OwnersList(ctx(t), &store.OwnersListParams{Team: foundation.TeamCS, Page: store.Page{Limit: 1000}}))
		if len(page) != 40 {
			t.Fatalf("Team cs: %d owners, want 40", len(page))
		}
		for _, o := range page {
			if o.Team != foundation.TeamCS {
				t.Errorf("Team filter returned %s of team %s", o.ID, o.Team)
			}
		}
	}},
}

var accountTests = []test{
	{"RoundTrip", func(t *testing.T, s store.Store) {
		seedOwners(t, s)
		accts := []foundation.Account{
			{ID: "A-001", Name: "Acme", Domain: "acme.test", Industry: "Software", Employees: 1200, Region: "EMEA",
				Tier: "enterprise", OwnerID: "O-001", LifecycleStage: "customer",
				Traits: foundation.Traits{"score": 87.5, "plan": "gold", "flags": []any{"a", 1.0, true},
					"nested": map[string]any{"x": map[string]any{"y": "z"}, "n": nil}}},
			{ID: "A-002", Name: "Globex"}, // no owner: stored as NULL
		}
		for range 2 {
			mustWrite(t, 2)(s.AccountsUpsert(ctx(t), &store.AccountsUpsertParams{Accounts: accts}))
		}
		got := must[[]foundation.Account](t)(s.AccountsList(ctx(t), &store.AccountsListParams{}))
		if len(got) != 2 {
			t.Fatalf("AccountsList: %d rows, want 2", len(got))
		}
		for i := range accts {
			checkTraits(t, "Traits", got[i].Traits, accts[i].Traits)
			g, w := got[i], accts[i]
			g.Traits, w.Traits = nil, nil
			checkEqual(t, "account", g, w)
		}
		checkEqual(t, "Counts.Accounts", counts(t, s).Accounts, int64(2))
	}},
	{"ReUpsertUpdates", func(t *testing.T, s store.Store) {
		seedOwners(t, s)
		a := foundation.Account{ID: "A-001", Name: "Acme", OwnerID: "O-001", Traits: foundation.Traits{"k": "v1"}}
		mustWrite(t, 1)(s.AccountsUpsert(ctx(t), &store.AccountsUpsertParams{Accounts: []foundation.Account{a}}))
		a.Name, a.OwnerID, a.Employees, a.Traits = "Acme Corp", "O-002", 50, foundation.Traits{"k": "v2"}
		mustWrite(t, 1)(s.AccountsUpsert(ctx(t), &store.AccountsUpsertParams{Accounts: []foundation.Account{a}}))
		d := must[*store.AccountDetail](t)(s.AccountGet(ctx(t), &store.AccountGetParams{ID: "A-001"}))
		checkEqual(t, "Name", d.Account.Name, "Acme Corp")
		checkEqual(t, "OwnerID", d.Account.OwnerID, "O-002")
		checkEqual(t, "Employees", d.Account.Employees, 50)
		checkTraits(t, "Traits", d.Account.Traits, a.Traits)
	}},
	{"UnknownOwnerRejected", func(t *testing.T, s store.Store) {
		seedOwners(t, s)
		res, err := s.AccountsUpsert(ctx(t), &store.AccountsUpsertParams{Accounts: []foundation.Account{
			{ID: "A-001", Name: "Acme", OwnerID: "O-001"},
			{ID: "A-002", Name: "Bad", OwnerID: "O-404"},
			{ID: "A-003", Name: "Initech"},
		}})
		checkRejected(t, res, err, 2, store.Rejection{Index: 1, Field: "owner_id", Reason: "O-404"})
		got := must[[]foundation.Account](t)(s.AccountsList(ctx(t), &store.AccountsListParams{}))
		checkEqual(t, "ids", ids(got, func(a foundation.Account) string { return a.ID }), []string{"A-001", "A-003"})
	}},
	{"Get", func(t *testing.T, s store.Store) {
		seedAccounts(t, s)
		seedProducts(t, s)
		mustWrite(t, 2)(s.HoldingsUpsert(ctx(t), &store.HoldingsUpsertParams{Holdings: []foundation.Holding{
			{AccountID: "A-001", ProductID: "P-002", Seats: 5},
			{AccountID: "A-001", ProductID: "P-001", PersonEmail: "ana@acme.test", MRR: 99.5},
		}}))
		mustWrite(t, 3)(s.RecordsUpsert(ctx(t), &store.RecordsUpsertParams{Records: []foundation.Record{
			{System: "crm", SystemID: "c1", Email: "ana@acme.test", AccountID: "A-001"},
			{System: "esp", SystemID: "e1", Email: "ana@acme.test", AccountID: "A-001"}, // same person
			{System: "crm", SystemID: "c2", Email: "bo@acme.test", AccountID: "A-001"},
		}}))
		d := must[*store.AccountDetail](t)(s.AccountGet(ctx(t), &store.AccountGetParams{ID: "A-001"}))
		checkEqual(t, "Account.ID", d.Account.ID, "A-001")
		if d.Owner == nil || d.Owner.ID != "O-001" || d.Owner.Name != "Ana Silva" {
			t.Errorf("Owner = %+v, want O-001 Ana Silva", d.Owner)
		}
		checkEqual(t, "holdings", ids(d.Holdings, func(h foundation.Holding) string { return h.ProductID }), []string{"P-001", "P-002"})
		checkEqual(t, "People", d.People, 2)

		d = must[*store.AccountDetail](t)(s.AccountGet(ctx(t), &store.AccountGetParams{ID: "A-003"}))
		if d.Owner != nil {
			t.Errorf("unowned account: Owner = %+v, want nil", d.Owner)
		}
		checkEqual(t, "People of A-003", d.People, 0)
		checkEqual(t, "Holdings of A-003", len(d.Holdings), 0)

		_, err := s.AccountGet(ctx(t), &store.AccountGetParams{ID: "A-404"})
		wantNotFound(t, "AccountGet A-404", err)
	}},
	{"ListFilters", func(t *testing.T, s store.Store) {
		seedAccounts(t, s)
		key := func(a foundation.Account) string { return a.ID }
		list := func(p store.AccountsListParams) []string {
			return ids(must[[]foundation.Account](t)(s.AccountsList(ctx(t), &p)), key)
		}
		checkEqual(t, "all", list(store.AccountsListParams{}), []string{"A-001", "A-002", "A-003"})
		checkEqual(t, "Search name, any case", list(store.AccountsListParams{Search: "gLoB"}), []string{"A-002"})
		checkEqual(t, "Search domain", list(store.AccountsListParams{Search: "initech.test"}), []string{"A-003"})
		checkEqual(t, "OwnerID", list(store.AccountsListParams{OwnerID: "O-001"}), []string{"A-001", "A-002"})
		checkEqual(t, "Region", list(store.AccountsListParams{Region: "NA"}), []string{"A-002", "A-003"})
		checkEqual(t, "Region+OwnerID", list(store.AccountsListParams{Region: "NA", OwnerID: "O-001"}), []string{"A-002"})
		checkEqual(t, "Limit Offset", list(store.AccountsListParams{Page: store.Page{Limit: 1, Offset: 1}}), []string{"A-002"})
		checkEqual(t, "no match", len(list(store.AccountsListParams{Search: "zzz"})), 0)
	}},
}

// seedOwners writes O-001 (sales, EMEA) and O-002 (cs, NA).
func seedOwners(t *testing.T, s store.Writer) {
	t.Helper()
	mustWrite(t, 2)(s.OwnersUpsert(ctx(t), &store.OwnersUpsertParams{Owners: []foundation.Owner{
		{ID: "O-001", Name: "Ana Silva", Email: "ana@tower.test", Team: foundation.TeamSales, Region: "EMEA", Capacity: 40},
		{ID: "O-002", Name: "Bo Chen", Email: "bo@tower.test", Team: foundation.TeamCS, Region: "NA", Capacity: 20},
	}}))
}

// seedAccounts writes the owners and A-001 Acme (EMEA, O-001), A-002
// Globex (NA, O-001), A-003 Initech (NA, unowned).
func seedAccounts(t *testing.T, s store.Writer) {
	t.Helper()
	seedOwners(t, s)
	mustWrite(t, 3)(s.AccountsUpsert(ctx(t), &store.AccountsUpsertParams{Accounts: []foundation.Account{
		{ID: "A-001", Name: "Acme", Domain: "acme.test", Region: "EMEA", OwnerID: "O-001"},
		{ID: "A-002", Name: "Globex", Domain: "globex.test", Region: "NA", OwnerID: "O-001"},
		{ID: "A-003", Name: "Initech", Domain: "initech.test", Region: "NA"},
	}}))
}
