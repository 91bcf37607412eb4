package sqlite

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/towerops/tower/internal/foundation"
	"github.com/towerops/tower/internal/store"
)

var licensesUpsert = upsert{
	table:    "licenses",
	cols:     []string{"tool", "vendor", "category", "seats", "cost_per_seat_month", "renewal_date", "owner_email"},
	conflict: "tool",
	update:   []string{"vendor", "category", "seats", "cost_per_seat_month", "renewal_date", "owner_email"},
}

func (q *queries) LicensesUpsert(ctx context.Context, p *store.LicensesUpsertParams) (*store.UpsertResult, error) {
	ls := p.Licenses
	needs := []need{needText("tool", "the licence names no tool", func(i int) string { return ls[i].Tool })}
	res, err := q.upsertRows(ctx, len(ls), licensesUpsert, needs, nil, func(i int) ([]any, error) {
		l := ls[i]
		return []any{l.Tool, l.Vendor, l.Category, l.Seats, l.CostPerSeatMonth, encDate(l.RenewalDate), l.OwnerEmail}, nil
	})
	if err != nil {
		return nil, fmt.Errorf("save licences: %w", err)
	}
	return res, nil
}

func (q *queries) LicensesList(ctx context.Context, p *store.LicensesListParams) ([]foundation.License, error) {
	l, o := limit(p.Page)
	out, err := list(ctx, q.read, func(r *sql.Rows) (foundation.License, error) {
		var l foundation.License
		var renewal sql.NullString
		if err := r.Scan(&l.Tool, &l.Vendor, &l.Category, &l.Seats, &l.CostPerSeatMonth, &renewal, &l.OwnerEmail); err != nil {
			return l, err
		}
		var err error
		l.RenewalDate, err = decDate(renewal)
		return l, err
	}, `SELECT tool, vendor, category, seats, cost_per_seat_month, renewal_date, owner_email
		FROM licenses ORDER BY tool LIMIT ? OFFSET ?`, l, o)
	if err != nil {
		return nil, fmt.Errorf("list licences: %w", err)
	}
	return out, nil
}

var licenseUsageUpsert = upsert{
	table:    "license_usage",
	cols:     []string{"tool", "user_email", "last_active_at", "actions_30d"},
	conflict: "tool, user_email",
	update:   []string{"last_active_at", "actions_30d"},
}

func (q *queries) LicenseUsageUpsert(ctx context.Context, p *store.LicenseUsageUpsertParams) (*store.UpsertResult, error) {
	us := p.Usage
	refs := []ref{{field: "tool", query: "SELECT tool FROM licenses WHERE tool IN (%s)",
		value: func(i int) string { return us[i].Tool }, reason: notFound("licence for tool", "licenses.csv")}}
	needs := []need{
		needText("tool", "the usage row names no tool", func(i int) string { return us[i].Tool }),
		needText("user_email", "the usage row has no user e-mail", func(i int) string { return us[i].UserEmail }),
	}
	res, err := q.upsertRows(ctx, len(us), licenseUsageUpsert, needs, refs, func(i int) ([]any, error) {
		u := us[i]
		return []any{u.Tool, u.UserEmail, encTime(u.LastActiveAt), u.Actions30d}, nil
	})
	if err != nil {
		return nil, fmt.Errorf("save licence usage: %w", err)
	}
	return res, nil
}

func (q *queries) LicenseUsageList(ctx context.Context, p *store.LicenseUsageListParams) ([]foundation.LicenseUsage, error) {
	var w where
	if p.Tool != "" {
		w.add("tool = ?", p.Tool)
	}
	out, err := list(ctx, q.read, func(r *sql.Rows) (foundation.LicenseUsage, error) {
		var u foundation.LicenseUsage
		var last sql.NullString
		if err := r.Scan(&u.Tool, &u.UserEmail, &last, &u.Actions30d); err != nil {
			return u, err
		}
		var err error
		u.LastActiveAt, err = decTime(last)
		return u, err
	}, "SELECT tool, user_email, last_active_at, actions_30d FROM license_usage"+w.String()+
		" ORDER BY tool, user_email LIMIT ? OFFSET ?", w.page(p.Page)...)
	if err != nil {
		return nil, fmt.Errorf("list licence usage: %w", err)
	}
	return out, nil
}
