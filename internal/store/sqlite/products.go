package sqlite

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/towerops/tower/internal/foundation"
	"github.com/towerops/tower/internal/store"
)

var productsUpsert = upsert{
	table:    "products",
	cols:     []string{"id", "name", "family", "list_price"},
	conflict: "id",
	update:   []string{"name", "family", "list_price"},
}

func (q *queries) ProductsUpsert(ctx context.Context, p *store.ProductsUpsertParams) (*store.UpsertResult, error) {
	ps := p.Products
	needs := []need{needText("id", "the product has no id", func(i int) string { return ps[i].ID })}
	res, err := q.upsertRows(ctx, len(ps), productsUpsert, needs, nil, func(i int) ([]any, error) {
		return []any{ps[i].ID, ps[i].Name, ps[i].Family, ps[i].ListPrice}, nil
	})
	if err != nil {
		return nil, fmt.Errorf("save products: %w", err)
	}
	return res, nil
}

func (q *queries) ProductsList(ctx context.Context, p *store.ProductsListParams) ([]foundation.Product, error) {
	l, o := limit(p.Page)
	out, err := list(ctx, q.read, func(r *sql.Rows) (foundation.Product, error) {
		var p foundation.Product
		return p, r.Scan(&p.ID, &p.Name, &p.Family, &p.ListPrice)
	}, "SELECT id, name, family, list_price FROM products ORDER BY id LIMIT ? OFFSET ?", l, o)
	if err != nil {
		return nil, fmt.Errorf("list products: %w", err)
	}
	return out, nil
}

var holdingsUpsert = upsert{
	table:    "holdings",
	cols:     []string{"account_id", "product_id", "person_email", "since", "seats", "mrr"},
	conflict: "account_id, product_id, person_email",
	update:   []string{"since", "seats", "mrr"},
}

func (q *queries) HoldingsUpsert(ctx context.Context, p *store.HoldingsUpsertParams) (*store.UpsertResult, error) {
	hs := p.Holdings
	refs := []ref{
		{field: "account_id", query: "SELECT id FROM accounts WHERE id IN (%s)",
			value: func(i int) string { return hs[i].AccountID }, reason: notFound("account", "accounts.csv"),
			known: q.knownAccounts()},
		{field: "product_id", query: "SELECT id FROM products WHERE id IN (%s)",
			value: func(i int) string { return hs[i].ProductID }, reason: notFound("product", "products.csv")},
	}
	needs := []need{
		needText("account_id", "the holding names no account", func(i int) string { return hs[i].AccountID }),
		needText("product_id", "the holding names no product", func(i int) string { return hs[i].ProductID }),
	}
	res, err := q.upsertRows(ctx, len(hs), holdingsUpsert, needs, refs, func(i int) ([]any, error) {
		h := hs[i]
		return []any{h.AccountID, h.ProductID, h.PersonEmail, encDate(h.Since), h.Seats, h.MRR}, nil
	})
	if err != nil {
		return nil, fmt.Errorf("save holdings: %w", err)
	}
	return res, nil
}

const holdingCols = "account_id, product_id, person_email, since, seats, mrr"

func scanHolding(r *sql.Rows) (foundation.Holding, error) {
	var h foundation.Holding
	var since sql.NullString
	if err := r.Scan(&h.AccountID, &h.ProductID, &h.PersonEmail, &since, &h.Seats, &h.MRR); err != nil {
		return h, err
	}
	var err error
	h.Since, err = decDate(since)
	return h, err
}

func (q *queries) HoldingsList(ctx context.Context, p *store.HoldingsListParams) ([]foundation.Holding, error) {
	var w where
	if p.AccountID != "" {
		w.add("account_id = ?", p.AccountID)
	}
	if p.ProductID != "" {
		w.add("product_id = ?", p.ProductID)
	}
	out, err := list(ctx, q.read, scanHolding,
		"SELECT "+holdingCols+" FROM holdings"+w.String()+" ORDER BY account_id, product_id, person_email LIMIT ? OFFSET ?",
		w.page(p.Page)...)
	if err != nil {
		return nil, fmt.Errorf("list holdings: %w", err)
	}
	return out, nil
}
