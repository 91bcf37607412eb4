package storetest

import (
	"testing"
	"time"

	"github.com/towerops/tower/internal/foundation"
	"github.com/towerops/tower/internal/store"
)

var productTests = []test{
	{"RoundTripIdempotentUpdate", func(t *testing.T, s store.Store) {
		prods := []foundation.Product{
			{ID: "P-002", Name: "Analytics", Family: "data", ListPrice: 1999.99},
			{ID: "P-001", Name: "Core", Family: "platform", ListPrice: 500},
		}
		for range 2 {
			mustWrite(t, 2)(s.ProductsUpsert(ctx(t), &store.ProductsUpsertParams{Products: prods}))
		}
		got := must[[]foundation.Product](t)(s.ProductsList(ctx(t), &store.ProductsListParams{}))
		checkEqual(t, "products", got, []foundation.Product{prods[1], prods[0]})
		checkEqual(t, "Counts.Products", counts(t, s).Products, int64(2))

		prods[1].Name, prods[1].ListPrice = "Core Plus", 650.25
		mustWrite(t, 1)(s.ProductsUpsert(ctx(t), &store.ProductsUpsertParams{Products: prods[1:]}))
		got = must[[]foundation.Product](t)(s.ProductsList(ctx(t), &store.ProductsListParams{Page: store.Page{Limit: 1}}))
		checkEqual(t, "updated product", got, []foundation.Product{prods[1]})
	}},
}

var holdingTests = []test{
	{"RoundTripIdempotentUpdate", func(t *testing.T, s store.Store) {
		seedAccounts(t, s)
		seedProducts(t, s)
		hs := []foundation.Holding{
			{AccountID: "A-002", ProductID: "P-001", Since: date(2024, 2, 29), Seats: 10, MRR: 1234.5},
			{AccountID: "A-001", ProductID: "P-001", PersonEmail: "ana@acme.test", Seats: 1},
			{AccountID: "A-001", ProductID: "P-001"}, // whole account: a different key than the person's
		}
		for range 2 {
			mustWrite(t, 3)(s.HoldingsUpsert(ctx(t), &store.HoldingsUpsertParams{Holdings: hs}))
		}
		checkEqual(t, "Counts.Holdings", counts(t, s).Holdings, int64(3))
		got := must[[]foundation.Holding](t)(s.HoldingsList(ctx(t), &store.HoldingsListParams{}))
		want := []foundation.Holding{hs[2], hs[1], hs[0]} // (account_id, product_id, person_email)
		if len(got) != 3 {
			t.Fatalf("HoldingsList: %d rows, want 3", len(got))
		}
		for i := range want {
			checkTime(t, "Since", got[i].Since, want[i].Since)
			g, w := got[i], want[i]
			g.Since, w.Since = time.Time{}, time.Time{}
			checkEqual(t, "holding", g, w)
		}

		hs[0].Seats, hs[0].MRR, hs[0].Since = 12, 1500, date(2024, 3, 1)
		mustWrite(t, 1)(s.HoldingsUpsert(ctx(t), &store.HoldingsUpsertParams{Holdings: hs[:1]}))
		got = must[[]foundation.Holding](t)(s.HoldingsList(ctx(t), &store.HoldingsListParams{AccountID: "A-002"}))
		if len(got) != 1 || got[0].Seats != 12 || got[0].MRR != 1500 || !got[0].Since.Equal(date(2024, 3, 1)) {
			t.Errorf("updated holding = %+v", got)
		}
		checkEqual(t, "Counts.Holdings after update", counts(t, s).Holdings, int64(3))
	}},
	{"UnknownReferencesRejected", func(t *testing.T, s store.Store) {
		seedAccounts(t, s)
		seedProducts(t, s)
		res, err := s.HoldingsUpsert(ctx(t), &store.HoldingsUpsertParams{Holdings: []foundation.Holding{
			{AccountID: "A-404", ProductID: "P-001"},
			{AccountID: "A-001", ProductID: "P-001"},
			{AccountID: "A-001", ProductID: "P-404"},
			{AccountID: "A-405", ProductID: "P-405"}, // first column at fault is reported
			{AccountID: "A-002", ProductID: "P-002"},
		}})
		checkRejected(t, res, err, 2,
			store.Rejection{Index: 0, Field: "account_id", Reason: "A-404"},
			store.Rejection{Index: 2, Field: "product_id", Reason: "P-404"},
			store.Rejection{Index: 3, Field: "account_id", Reason: "A-405"},
		)
		checkEqual(t, "Counts.Holdings", counts(t, s).Holdings, int64(2))
	}},
	{"ListFilters", func(t *testing.T, s store.Store) {
		seedAccounts(t, s)
		seedProducts(t, s)
		mustWrite(t, 4)(s.HoldingsUpsert(ctx(t), &store.HoldingsUpsertParams{Holdings: []foundation.Holding{
			{AccountID: "A-001", ProductID: "P-002"},
			{AccountID: "A-001", ProductID: "P-001"},
			{AccountID: "A-002", ProductID: "P-001"},
			{AccountID: "A-003", ProductID: "P-002"},
		}}))
		key := func(h foundation.Holding) string { return h.AccountID + "/" + h.ProductID }
		list := func(p store.HoldingsListParams) []string {
			return ids(must[[]foundation.Holding](t)(s.HoldingsList(ctx(t), &p)), key)
		}
		checkEqual(t, "all", list(store.HoldingsListParams{}), []string{"A-001/P-001", "A-001/P-002", "A-002/P-001", "A-003/P-002"})
		checkEqual(t, "AccountID", list(store.HoldingsListParams{AccountID: "A-001"}), []string{"A-001/P-001", "A-001/P-002"})
		checkEqual(t, "ProductID", list(store.HoldingsListParams{ProductID: "P-002"}), []string{"A-001/P-002", "A-003/P-002"})
		checkEqual(t, "both", list(store.HoldingsListParams{AccountID: "A-003", ProductID: "P-002"}), []string{"A-003/P-002"})
		checkEqual(t, "page", list(store.HoldingsListParams{Page: store.Page{Limit: 2, Offset: 1}}), []string{"A-001/P-002", "A-002/P-001"})
	}},
}

// seedProducts writes P-001 and P-002.
func seedProducts(t *testing.T, s store.Writer) {
	t.Helper()
	mustWrite(t, 2)(s.ProductsUpsert(ctx(t), &store.ProductsUpsertParams{Products: []foundation.Product{
		{ID: "P-001", Name: "Core", Family: "platform", ListPrice: 500},
		{ID: "P-002", Name: "Analytics", Family: "data", ListPrice: 2000},
	}}))
}
