package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/towerops/tower/internal/foundation"
	"github.com/towerops/tower/internal/store"
)

const accountCols = `a.id, a.name, a.domain, a.industry, a.employees, a.region, a.tier,
	COALESCE(a.owner_id, ''), a.lifecycle_stage, a.traits`

func scanAccount(row pgx.CollectableRow) (foundation.Account, error) {
	var a foundation.Account
	var traits []byte
	if err := row.Scan(&a.ID, &a.Name, &a.Domain, &a.Industry, &a.Employees, &a.Region, &a.Tier,
		&a.OwnerID, &a.LifecycleStage, &traits); err != nil {
		return a, err
	}
	var err error
	a.Traits, err = traitsOf(traits)
	return a, err
}

const ownerCols = `o.id, o.name, o.email, o.team, o.region, o.capacity`

func scanOwner(row pgx.CollectableRow) (foundation.Owner, error) {
	var o foundation.Owner
	err := row.Scan(&o.ID, &o.Name, &o.Email, &o.Team, &o.Region, &o.Capacity)
	return o, err
}

const holdingCols = `h.account_id, h.product_id, h.person_email, h.since, h.seats, h.mrr`

func scanHolding(row pgx.CollectableRow) (foundation.Holding, error) {
	var h foundation.Holding
	var since *time.Time
	err := row.Scan(&h.AccountID, &h.ProductID, &h.PersonEmail, &since, &h.Seats, &h.MRR)
	h.Since = timeOf(since)
	return h, err
}

// AccountGet returns an account with its owner, holdings and the number of
// unmerged people linked to it.
func (q *queries) AccountGet(ctx context.Context, p *store.AccountGetParams) (*store.AccountDetail, error) {
	what := fmt.Sprintf("account %q", p.ID)
	accts, err := collect(ctx, q.db, what, `SELECT `+accountCols+` FROM accounts a WHERE a.id = $1`, []any{p.ID}, scanAccount)
	if err != nil {
		return nil, err
	}
	if len(accts) == 0 {
		return nil, fmt.Errorf("%s: %w", what, store.ErrNotFound)
	}
	d := &store.AccountDetail{Account: accts[0]}
	if d.Account.OwnerID != "" {
		owners, err := collect(ctx, q.db, "owner of "+what, `SELECT `+ownerCols+` FROM owners o WHERE o.id = $1`,
			[]any{d.Account.OwnerID}, scanOwner)
		if err != nil {
			return nil, err
		}
		if len(owners) == 1 {
			d.Owner = &owners[0]
		}
	}
	d.Holdings, err = collect(ctx, q.db, "holdings of "+what, `SELECT `+holdingCols+` FROM holdings h
		WHERE h.account_id = $1 ORDER BY h.product_id, h.person_email`, []any{p.ID}, scanHolding)
	if err != nil {
		return nil, err
	}
	if err := q.db.QueryRow(ctx, `SELECT count(*) FROM people WHERE account_id = $1 AND merged_into IS NULL`,
		p.ID).Scan(&d.People); err != nil {
		return nil, fmt.Errorf("postgres: people of %s: %w", what, err)
	}
	return d, nil
}

// AccountsList lists accounts by id; Search matches name or domain.
func (q *queries) AccountsList(ctx context.Context, p *store.AccountsListParams) ([]foundation.Account, error) {
	var w where
	if p.Search != "" {
		w.add("(a.name ILIKE ? OR a.domain ILIKE ?)", likeContains(p.Search))
	}
	if p.OwnerID != "" {
		w.add("a.owner_id = ?", p.OwnerID)
	}
	if p.Region != "" {
		w.add("a.region = ?", p.Region)
	}
	tail, args := w.sql("a.id", p.Page)
	return collect(ctx, q.db, "list accounts", `SELECT `+accountCols+` FROM accounts a`+tail, args, scanAccount)
}

// OwnersList lists owners by id.
func (q *queries) OwnersList(ctx context.Context, p *store.OwnersListParams) ([]foundation.Owner, error) {
	var w where
	if p.Team != "" {
		w.add("o.team = ?", string(p.Team))
	}
	tail, args := w.sql("o.id", p.Page)
	return collect(ctx, q.db, "list owners", `SELECT `+ownerCols+` FROM owners o`+tail, args, scanOwner)
}

// ProductsList lists products by id.
func (q *queries) ProductsList(ctx context.Context, p *store.ProductsListParams) ([]foundation.Product, error) {
	var w where
	tail, args := w.sql("id", p.Page)
	return collect(ctx, q.db, "list products", `SELECT id, name, family, list_price FROM products`+tail, args,
		func(row pgx.CollectableRow) (foundation.Product, error) {
			var pr foundation.Product
			err := row.Scan(&pr.ID, &pr.Name, &pr.Family, &pr.ListPrice)
			return pr, err
		})
}

// HoldingsList lists holdings by (account_id, product_id, person_email).
func (q *queries) HoldingsList(ctx context.Context, p *store.HoldingsListParams) ([]foundation.Holding, error) {
	var w where
	if p.AccountID != "" {
		w.add("h.account_id = ?", p.AccountID)
	}
	if p.ProductID != "" {
		w.add("h.product_id = ?", p.ProductID)
	}
	tail, args := w.sql("h.account_id, h.product_id, h.person_email", p.Page)
	return collect(ctx, q.db, "list holdings", `SELECT `+holdingCols+` FROM holdings h`+tail, args, scanHolding)
}
