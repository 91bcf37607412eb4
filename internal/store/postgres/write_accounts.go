package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"

	"github.com/towerops/tower/internal/store"
)

// OwnersUpsert writes owners; natural key id.
func (q *queries) OwnersUpsert(ctx context.Context, p *store.OwnersUpsertParams) (*store.UpsertResult, error) {
	rows := p.Owners
	var rej rejections
	for i, o := range rows {
		if o.ID == "" {
			rej.add(i, "id", "the owner has no id")
		}
	}
	keep := lastOf(len(rows), &rej, func(i int) string { return rows[i].ID })
	if len(keep) == 0 {
		return result(len(rows), &rej), nil
	}
	var ids, names, emails, teams, regions []string
	var capacity []int64
	for _, i := range keep {
		o := rows[i]
		ids, names, emails = append(ids, o.ID), append(names, o.Name), append(emails, o.Email)
		teams, regions = append(teams, string(o.Team)), append(regions, o.Region)
		capacity = append(capacity, int64(o.Capacity))
	}
	err := q.batch(ctx, "write owners", &rej, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `
			INSERT INTO owners (id, name, email, team, region, capacity)
			SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::int8[])
			ON CONFLICT (id) DO UPDATE SET
				name = excluded.name, email = excluded.email, team = excluded.team,
				region = excluded.region, capacity = excluded.capacity`,
			ids, names, emails, teams, regions, capacity)
		return err
	})
	if err != nil {
		return nil, err
	}
	return result(len(rows), &rej), nil
}

// AccountsUpsert writes accounts; natural key id. An owner_id naming no
// owner is rejected.
func (q *queries) AccountsUpsert(ctx context.Context, p *store.AccountsUpsertParams) (*store.UpsertResult, error) {
	rows := p.Accounts
	var rej rejections
	owners := make([]string, len(rows))
	for i, a := range rows {
		owners[i] = a.OwnerID
		if a.ID == "" {
			rej.add(i, "id", "the account has no id")
		}
	}
	if len(rows) == 0 {
		return result(0, &rej), nil
	}
	err := q.batch(ctx, "write accounts", &rej, func(tx pgx.Tx) error {
		gone, err := missing(ctx, tx, "owners", "id", owners)
		if err != nil {
			return err
		}
		for i, a := range rows {
			if gone[a.OwnerID] {
				rej.add(i, "owner_id", ownerNotFound(a.OwnerID))
			}
		}
		keep := lastOf(len(rows), &rej, func(i int) string { return rows[i].ID })
		if len(keep) == 0 {
			return nil
		}
		var ids, names, domains, industries, regions, tiers, ownerIDs, stages, traits []string
		var employees []int64
		for _, i := range keep {
			a := rows[i]
			t, err := traitsParam(a.Traits)
			if err != nil {
				return fmt.Errorf("account %q: %w", a.ID, err)
			}
			ids, names, domains = append(ids, a.ID), append(names, a.Name), append(domains, a.Domain)
			industries, regions, tiers = append(industries, a.Industry), append(regions, a.Region), append(tiers, a.Tier)
			ownerIDs, stages, traits = append(ownerIDs, a.OwnerID), append(stages, a.LifecycleStage), append(traits, t)
			employees = append(employees, int64(a.Employees))
		}
		_, err = tx.Exec(ctx, `
			INSERT INTO accounts (id, name, domain, industry, employees, region, tier, owner_id, lifecycle_stage, traits)
			SELECT id, name, domain, industry, employees, region, tier, NULLIF(owner_id, ''), stage, traits::jsonb
			FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::int8[], $6::text[], $7::text[],
			            $8::text[], $9::text[], $10::text[])
			     AS v(id, name, domain, industry, employees, region, tier, owner_id, stage, traits)
			ON CONFLICT (id) DO UPDATE SET
				name = excluded.name, domain = excluded.domain, industry = excluded.industry,
				employees = excluded.employees, region = excluded.region, tier = excluded.tier,
				owner_id = excluded.owner_id, lifecycle_stage = excluded.lifecycle_stage,
				traits = excluded.traits`,
			ids, names, domains, industries, employees, regions, tiers, ownerIDs, stages, traits)
		return err
	})
	if err != nil {
		return nil, err
	}
	return result(len(rows), &rej), nil
}

// ProductsUpsert writes products; natural key id.
func (q *queries) ProductsUpsert(ctx context.Context, p *store.ProductsUpsertParams) (*store.UpsertResult, error) {
	rows := p.Products
	var rej rejections
	for i, pr := range rows {
		if pr.ID == "" {
			rej.add(i, "id", "the product has no id")
		}
	}
	keep := lastOf(len(rows), &rej, func(i int) string { return rows[i].ID })
	if len(keep) == 0 {
		return result(len(rows), &rej), nil
	}
	var ids, names, families []string
	var prices []float64
	for _, i := range keep {
		pr := rows[i]
		ids, names, families = append(ids, pr.ID), append(names, pr.Name), append(families, pr.Family)
		prices = append(prices, pr.ListPrice)
	}
	err := q.batch(ctx, "write products", &rej, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `
			INSERT INTO products (id, name, family, list_price)
			SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::float8[])
			ON CONFLICT (id) DO UPDATE SET
				name = excluded.name, family = excluded.family, list_price = excluded.list_price`,
			ids, names, families, prices)
		return err
	})
	if err != nil {
		return nil, err
	}
	return result(len(rows), &rej), nil
}

// HoldingsUpsert writes holdings; natural key (account_id, product_id,
// person_email). Unknown accounts or products are rejected.
func (q *queries) HoldingsUpsert(ctx context.Context, p *store.HoldingsUpsertParams) (*store.UpsertResult, error) {
	rows := p.Holdings
	var rej rejections
	accounts := make([]string, len(rows))
	products := make([]string, len(rows))
	for i, h := range rows {
		accounts[i], products[i] = h.AccountID, h.ProductID
		switch {
		case h.AccountID == "":
			rej.add(i, "account_id", "the holding names no account")
		case h.ProductID == "":
			rej.add(i, "product_id", "the holding names no product")
		}
	}
	if len(rows) == 0 {
		return result(0, &rej), nil
	}
	err := q.batch(ctx, "write holdings", &rej, func(tx pgx.Tx) error {
		goneAccounts, err := missing(ctx, tx, "accounts", "id", accounts)
		if err != nil {
			return err
		}
		goneProducts, err := missing(ctx, tx, "products", "id", products)
		if err != nil {
			return err
		}
		for i, h := range rows {
			if goneAccounts[h.AccountID] {
				rej.add(i, "account_id", accountNotFound(h.AccountID))
			}
			if goneProducts[h.ProductID] {
				rej.add(i, "product_id", productNotFound(h.ProductID))
			}
		}
		keep := lastOf(len(rows), &rej, func(i int) string {
			return rows[i].AccountID + "\x00" + rows[i].ProductID + "\x00" + rows[i].PersonEmail
		})
		if len(keep) == 0 {
			return nil
		}
		var accs, prods, emails []string
		var since []pgtype.Date
		var seats []int64
		var mrr []float64
		for _, i := range keep {
			h := rows[i]
			accs, prods, emails = append(accs, h.AccountID), append(prods, h.ProductID), append(emails, h.PersonEmail)
			since, seats, mrr = append(since, dateParam(h.Since)), append(seats, int64(h.Seats)), append(mrr, h.MRR)
		}
		_, err = tx.Exec(ctx, `
			INSERT INTO holdings (account_id, product_id, person_email, since, seats, mrr)
			SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::date[], $5::int8[], $6::float8[])
			ON CONFLICT (account_id, product_id, person_email) DO UPDATE SET
				since = excluded.since, seats = excluded.seats, mrr = excluded.mrr`,
			accs, prods, emails, since, seats, mrr)
		return err
	})
	if err != nil {
		return nil, err
	}
	return result(len(rows), &rej), nil
}

// Reasons name the missing thing and the file that brings it, because the
// usual cause is an import in the wrong order.

func ownerNotFound(id string) string {
	return fmt.Sprintf("owner %q not found; import owners.csv first", id)
}

func accountNotFound(id string) string {
	return fmt.Sprintf("account %q not found; import accounts.csv first", id)
}

func productNotFound(id string) string {
	return fmt.Sprintf("product %q not found; import products.csv first", id)
}
