package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"

	"github.com/towerops/tower/internal/store"
)

// LicensesUpsert writes licences; natural key tool.
func (q *queries) LicensesUpsert(ctx context.Context, p *store.LicensesUpsertParams) (*store.UpsertResult, error) {
	rows := p.Licenses
	var rej rejections
	for i, l := range rows {
		if l.Tool == "" {
			rej.add(i, "tool", "the licence names no tool")
		}
	}
	keep := lastOf(len(rows), &rej, func(i int) string { return rows[i].Tool })
	if len(keep) == 0 {
		return result(len(rows), &rej), nil
	}
	var tools, vendors, categories, owners []string
	var seats []int64
	var costs []float64
	var renewals []pgtype.Date
	for _, i := range keep {
		l := rows[i]
		tools, vendors, categories = append(tools, l.Tool), append(vendors, l.Vendor), append(categories, l.Category)
		seats, costs = append(seats, int64(l.Seats)), append(costs, l.CostPerSeatMonth)
		renewals, owners = append(renewals, dateParam(l.RenewalDate)), append(owners, l.OwnerEmail)
	}
	err := q.batch(ctx, "write licences", &rej, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `
			INSERT INTO licenses (tool, vendor, category, seats, cost_per_seat_month, renewal_date, owner_email)
			SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::int8[], $5::float8[], $6::date[], $7::text[])
			ON CONFLICT (tool) DO UPDATE SET
				vendor = excluded.vendor, category = excluded.category, seats = excluded.seats,
				cost_per_seat_month = excluded.cost_per_seat_month, renewal_date = excluded.renewal_date,
				owner_email = excluded.owner_email`,
			tools, vendors, categories, seats, costs, renewals, owners)
		return err
	})
	if err != nil {
		return nil, err
	}
	return result(len(rows), &rej), nil
}

// LicenseUsageUpsert writes usage; natural key (tool, user_email). An
// unknown tool is rejected.
func (q *queries) LicenseUsageUpsert(ctx context.Context, p *store.LicenseUsageUpsertParams) (*store.UpsertResult, error) {
	rows := p.Usage
	var rej rejections
	tools := make([]string, len(rows))
	for i, u := range rows {
		tools[i] = u.Tool
		switch {
		case u.Tool == "":
			rej.add(i, "tool", "the usage row names no tool")
		case u.UserEmail == "":
			rej.add(i, "user_email", "the usage row has no user e-mail")
		}
	}
	if len(rows) == 0 {
		return result(0, &rej), nil
	}
	err := q.batch(ctx, "write licence usage", &rej, func(tx pgx.Tx) error {
		gone, err := missing(ctx, tx, "licenses", "tool", tools)
		if err != nil {
			return err
		}
		for i, u := range rows {
			if gone[u.Tool] {
				rej.add(i, "tool", fmt.Sprintf("tool %q not found; import licenses.csv first", u.Tool))
			}
		}
		keep := lastOf(len(rows), &rej, func(i int) string { return rows[i].Tool + "\x00" + rows[i].UserEmail })
		if len(keep) == 0 {
			return nil
		}
		var ts, users []string
		var last []pgtype.Timestamptz
		var actions []int64
		for _, i := range keep {
			u := rows[i]
			ts, users = append(ts, u.Tool), append(users, u.UserEmail)
			last, actions = append(last, timeParam(u.LastActiveAt)), append(actions, int64(u.Actions30d))
		}
		_, err = tx.Exec(ctx, `
			INSERT INTO license_usage (tool, user_email, last_active_at, actions_30d)
			SELECT * FROM unnest($1::text[], $2::text[], $3::timestamptz[], $4::int8[])
			ON CONFLICT (tool, user_email) DO UPDATE SET
				last_active_at = excluded.last_active_at, actions_30d = excluded.actions_30d`,
			ts, users, last, actions)
		return err
	})
	if err != nil {
		return nil, err
	}
	return result(len(rows), &rej), nil
}

// TemplatesUpsert writes templates; natural key id.
func (q *queries) TemplatesUpsert(ctx context.Context, p *store.TemplatesUpsertParams) (*store.UpsertResult, error) {
	rows := p.Templates
	var rej rejections
	for i, t := range rows {
		if t.ID == "" {
			rej.add(i, "id", "the template has no id")
		}
	}
	keep := lastOf(len(rows), &rej, func(i int) string { return rows[i].ID })
	if len(keep) == 0 {
		return result(len(rows), &rej), nil
	}
	var c [9][]string // id, esp, dialect, subject, campaign_id, segment, path, body, traits
	for _, i := range keep {
		t := rows[i]
		tr, err := traitsParam(t.Traits)
		if err != nil {
			return nil, fmt.Errorf("postgres: template %q: %w", t.ID, err)
		}
		for k, v := range []string{t.ID, string(t.ESP), string(t.Dialect), t.Subject, t.CampaignID, t.Segment, t.Path, t.Body, tr} {
			c[k] = append(c[k], v)
		}
	}
	err := q.batch(ctx, "write templates", &rej, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `
			INSERT INTO templates (id, esp, dialect, subject, campaign_id, segment, path, body, traits)
			SELECT id, esp, dialect, subject, campaign_id, segment, path, body, traits::jsonb
			FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
			            $8::text[], $9::text[])
			     AS v(id, esp, dialect, subject, campaign_id, segment, path, body, traits)
			ON CONFLICT (id) DO UPDATE SET
				esp = excluded.esp, dialect = excluded.dialect, subject = excluded.subject,
				campaign_id = excluded.campaign_id, segment = excluded.segment, path = excluded.path,
				body = excluded.body, traits = excluded.traits`,
			c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7], c[8])
		return err
	})
	if err != nil {
		return nil, err
	}
	return result(len(rows), &rej), nil
}
