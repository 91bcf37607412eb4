package ingest

import (
	"context"
	"fmt"

	"github.com/towerops/tower/internal/foundation"
	"github.com/towerops/tower/internal/store"
)

var ownersSpec = &csvSpec[foundation.Owner]{
	kind: KindOwners,
	layout: layout{columns: []column{
		{"id", true}, {"name", true}, {"email", true}, {"team", false}, {"region", false}, {"capacity", false},
	}},
	decode: func(r *row) foundation.Owner {
		return foundation.Owner{
			ID: r.str("id"), Name: r.str("name"), Email: r.email("email"),
			Team: enum(r, "team", foundation.Teams), Region: r.str("region"), Capacity: r.int("capacity"),
		}
	},
	validate:  func(v *foundation.Owner) error { return v.Validate() },
	key:       func(d *dedupe, v *foundation.Owner) { d.add(v.ID) },
	describe:  func(v *foundation.Owner) string { return fmt.Sprintf("id %q", v.ID) },
	keyColumn: "id",
	write: func(ctx context.Context, q store.Queries, items []foundation.Owner) (*store.UpsertResult, error) {
		return q.OwnersUpsert(ctx, &store.OwnersUpsertParams{Owners: items})
	},
}

var accountsSpec = &csvSpec[foundation.Account]{
	kind: KindAccounts,
	layout: layout{traits: true, columns: []column{
		{"id", true}, {"name", true}, {"domain", false}, {"industry", false}, {"employees", false},
		{"region", false}, {"tier", false}, {"owner_id", false}, {"lifecycle_stage", false},
	}},
	decode: func(r *row) foundation.Account {
		return foundation.Account{
			ID: r.str("id"), Name: r.str("name"), Domain: r.str("domain"), Industry: r.str("industry"),
			Employees: r.int("employees"), Region: r.str("region"), Tier: r.str("tier"),
			OwnerID: r.str("owner_id"), LifecycleStage: r.str("lifecycle_stage"), Traits: r.traits(),
		}
	},
	validate:  func(v *foundation.Account) error { return v.Validate() },
	key:       func(d *dedupe, v *foundation.Account) { d.add(v.ID) },
	describe:  func(v *foundation.Account) string { return fmt.Sprintf("id %q", v.ID) },
	keyColumn: "id",
	write: func(ctx context.Context, q store.Queries, items []foundation.Account) (*store.UpsertResult, error) {
		return q.AccountsUpsert(ctx, &store.AccountsUpsertParams{Accounts: items})
	},
}

var productsSpec = &csvSpec[foundation.Product]{
	kind: KindProducts,
	layout: layout{columns: []column{
		{"id", true}, {"name", true}, {"family", false}, {"list_price", false},
	}},
	decode: func(r *row) foundation.Product {
		return foundation.Product{ID: r.str("id"), Name: r.str("name"), Family: r.str("family"), ListPrice: r.decimal("list_price")}
	},
	validate:  func(v *foundation.Product) error { return v.Validate() },
	key:       func(d *dedupe, v *foundation.Product) { d.add(v.ID) },
	describe:  func(v *foundation.Product) string { return fmt.Sprintf("id %q", v.ID) },
	keyColumn: "id",
	write: func(ctx context.Context, q store.Queries, items []foundation.Product) (*store.UpsertResult, error) {
		return q.ProductsUpsert(ctx, &store.ProductsUpsertParams{Products: items})
	},
}

var holdingsSpec = &csvSpec[foundation.Holding]{
	kind: KindHoldings,
	layout: layout{columns: []column{
		{"account_id", true}, {"product_id", true}, {"since", false}, {"seats", false}, {"mrr", false}, {"person_email", false},
	}},
	decode: func(r *row) foundation.Holding {
		return foundation.Holding{
			AccountID: r.str("account_id"), ProductID: r.str("product_id"), Since: r.date("since"),
			Seats: r.int("seats"), MRR: r.decimal("mrr"), PersonEmail: r.email("person_email"),
		}
	},
	validate: func(v *foundation.Holding) error { return v.Validate() },
	key: func(d *dedupe, v *foundation.Holding) {
		d.add(v.AccountID)
		d.add(v.ProductID)
		d.add(v.PersonEmail)
	},
	describe: func(v *foundation.Holding) string {
		if v.PersonEmail != "" {
			return fmt.Sprintf("holding of product %q by %s at account %q", v.ProductID, v.PersonEmail, v.AccountID)
		}
		return fmt.Sprintf("holding of product %q by account %q", v.ProductID, v.AccountID)
	},
	keyColumn: "account_id",
	write: func(ctx context.Context, q store.Queries, items []foundation.Holding) (*store.UpsertResult, error) {
		return q.HoldingsUpsert(ctx, &store.HoldingsUpsertParams{Holdings: items})
	},
}
