package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/towerops/tower/internal/foundation"
	"github.com/towerops/tower/internal/store"
)

var accountsUpsert = upsert{
	table:    "accounts",
	cols:     []string{"id", "name", "domain", "industry", "employees", "region", "tier", "owner_id", "lifecycle_stage", "traits"},
	conflict: "id",
	update:   []string{"name", "domain", "industry", "employees", "region", "tier", "owner_id", "lifecycle_stage", "traits"},
}

// ownerRef checks an owner_id column.
func ownerRef(value func(i int) string) ref {
	return ref{field: "owner_id", query: "SELECT id FROM owners WHERE id IN (%s)", value: value,
		reason: notFound("owner", "owners.csv")}
}

func (q *queries) AccountsUpsert(ctx context.Context, p *store.AccountsUpsertParams) (*store.UpsertResult, error) {
	as := p.Accounts
	refs := []ref{ownerRef(func(i int) string { return as[i].OwnerID })}
	needs := []need{needText("id", "the account has no id", func(i int) string { return as[i].ID })}
	res, err := q.upsertRows(ctx, len(as), accountsUpsert, needs, refs, func(i int) ([]any, error) {
		a := as[i]
		tr, err := encTraits(a.Traits)
		return []any{a.ID, a.Name, a.Domain, a.Industry, a.Employees, a.Region, a.Tier, nullStr(a.OwnerID),
			a.LifecycleStage, tr}, err
	})
	if err != nil {
		return nil, fmt.Errorf("save accounts: %w", err)
	}
	return res, nil
}

const accountCols = "id, name, domain, industry, employees, region, tier, coalesce(owner_id, ''), lifecycle_stage, traits"

func scanAccount(r interface{ Scan(...any) error }) (foundation.Account, error) {
	var a foundation.Account
	var tr sql.NullString
	if err := r.Scan(&a.ID, &a.Name, &a.Domain, &a.Industry, &a.Employees, &a.Region, &a.Tier, &a.OwnerID,
		&a.LifecycleStage, &tr); err != nil {
		return a, err
	}
	var err error
	a.Traits, err = decTraits(tr)
	return a, err
}

func (q *queries) AccountGet(ctx context.Context, p *store.AccountGetParams) (*store.AccountDetail, error) {
	a, err := scanAccount(q.read.QueryRowContext(ctx, "SELECT "+accountCols+" FROM accounts WHERE id = ?", p.ID))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("account %q: %w", p.ID, store.ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("get account %q: %w", p.ID, err)
	}
	d := &store.AccountDetail{Account: a}
	if a.OwnerID != "" {
		o, err := scanOwner(q.read.QueryRowContext(ctx, "SELECT "+ownerCols+" FROM owners WHERE id = ?", a.OwnerID))
		if err != nil {
			return nil, fmt.Errorf("get owner of account %q: %w", p.ID, err)
		}
		d.Owner = &o
	}
	d.Holdings, err = list(ctx, q.read, scanHolding,
		"SELECT "+holdingCols+" FROM holdings WHERE account_id = ? ORDER BY product_id, person_email", p.ID)
	if err != nil {
		return nil, fmt.Errorf("get holdings of account %q: %w", p.ID, err)
	}
	err = q.read.QueryRowContext(ctx,
		"SELECT count(*) FROM people WHERE account_id = ? AND merged_into IS NULL", p.ID).Scan(&d.People)
	if err != nil {
		return nil, fmt.Errorf("count people of account %q: %w", p.ID, err)
	}
	return d, nil
}

func (q *queries) AccountsList(ctx context.Context, p *store.AccountsListParams) ([]foundation.Account, error) {
	var w where
	if p.Search != "" {
		s := likeArg(p.Search)
		w.add(`(name LIKE ? ESCAPE '\' OR domain LIKE ? ESCAPE '\')`, s, s)
	}
	if p.OwnerID != "" {
		w.add("owner_id = ?", p.OwnerID)
	}
	if p.Region != "" {
		w.add("region = ?", p.Region)
	}
	out, err := list(ctx, q.read, func(r *sql.Rows) (foundation.Account, error) { return scanAccount(r) },
		"SELECT "+accountCols+" FROM accounts"+w.String()+" ORDER BY id LIMIT ? OFFSET ?", w.page(p.Page)...)
	if err != nil {
		return nil, fmt.Errorf("list accounts: %w", err)
	}
	return out, nil
}
