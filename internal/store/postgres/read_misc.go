package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/towerops/tower/internal/foundation"
	"github.com/towerops/tower/internal/store"
)

// LicensesList lists licences by tool.
func (q *queries) LicensesList(ctx context.Context, p *store.LicensesListParams) ([]foundation.License, error) {
	var w where
	tail, args := w.sql("tool", p.Page)
	return collect(ctx, q.db, "list licences", `SELECT tool, vendor, category, seats, cost_per_seat_month,
		renewal_date, owner_email FROM licenses`+tail, args,
		func(row pgx.CollectableRow) (foundation.License, error) {
			var l foundation.License
			var renewal *time.Time
			err := row.Scan(&l.Tool, &l.Vendor, &l.Category, &l.Seats, &l.CostPerSeatMonth, &renewal, &l.OwnerEmail)
			l.RenewalDate = timeOf(renewal)
			return l, err
		})
}

// LicenseUsageList lists usage by (tool, user_email).
func (q *queries) LicenseUsageList(ctx context.Context, p *store.LicenseUsageListParams) ([]foundation.LicenseUsage, error) {
	var w where
	if p.Tool != "" {
		w.add("tool = ?", p.Tool)
	}
	tail, args := w.sql("tool, user_email", p.Page)
	return collect(ctx, q.db, "list licence usage", `SELECT tool, user_email, last_active_at, actions_30d
		FROM license_usage`+tail, args,
		func(row pgx.CollectableRow) (foundation.LicenseUsage, error) {
			var u foundation.LicenseUsage
			var last *time.Time
			err := row.Scan(&u.Tool, &u.UserEmail, &last, &u.Actions30d)
			u.LastActiveAt = timeOf(last)
			return u, err
		})
}

const templateCols = `id, esp, dialect, subject, campaign_id, segment, path, body, traits`

func scanTemplate(row pgx.CollectableRow) (foundation.Template, error) {
	var t foundation.Template
	var traits []byte
	if err := row.Scan(&t.ID, &t.ESP, &t.Dialect, &t.Subject, &t.CampaignID, &t.Segment, &t.Path, &t.Body, &traits); err != nil {
		return t, err
	}
	var err error
	t.Traits, err = traitsOf(traits)
	return t, err
}

// TemplateGet returns one template by id.
func (q *queries) TemplateGet(ctx context.Context, p *store.TemplateGetParams) (*foundation.Template, error) {
	what := fmt.Sprintf("template %q", p.ID)
	ts, err := collect(ctx, q.db, what, `SELECT `+templateCols+` FROM templates WHERE id = $1`, []any{p.ID}, scanTemplate)
	if err != nil {
		return nil, err
	}
	if len(ts) == 0 {
		return nil, fmt.Errorf("%s: %w", what, store.ErrNotFound)
	}
	return &ts[0], nil
}

// TemplatesList lists templates by id.
func (q *queries) TemplatesList(ctx context.Context, p *store.TemplatesListParams) ([]foundation.Template, error) {
	var w where
	if p.ESP != "" {
		w.add("esp = ?", string(p.ESP))
	}
	tail, args := w.sql("id", p.Page)
	return collect(ctx, q.db, "list templates", `SELECT `+templateCols+` FROM templates`+tail, args, scanTemplate)
}

// EventsList lists events by (timestamp, id); Since and Until are inclusive.
func (q *queries) EventsList(ctx context.Context, p *store.EventsListParams) ([]foundation.Event, error) {
	var w where
	if p.PersonID != 0 {
		w.add("person_id = ?", p.PersonID)
	}
	if p.Type != "" {
		w.add("type = ?", string(p.Type))
	}
	if p.Event != "" {
		w.add("event = ?", p.Event)
	}
	if !p.Since.IsZero() {
		w.add("timestamp >= ?", timeParam(p.Since))
	}
	if !p.Until.IsZero() {
		w.add("timestamp <= ?", timeParam(p.Until))
	}
	tail, args := w.sql("timestamp, id", p.Page)
	return collect(ctx, q.db, "list events", `SELECT id, message_id, type, user_id, anonymous_id, event, name,
		group_id, previous_id, email, properties, traits, context, timestamp, received_at, COALESCE(person_id, 0), source
		FROM events`+tail, args,
		func(row pgx.CollectableRow) (foundation.Event, error) {
			var e foundation.Event
			var props, traits, ctxJSON []byte
			var ts, received *time.Time
			err := row.Scan(&e.ID, &e.MessageID, &e.Type, &e.UserID, &e.AnonymousID, &e.Event, &e.Name,
				&e.GroupID, &e.PreviousID, &e.Email, &props, &traits, &ctxJSON, &ts, &received, &e.PersonID, &e.Source)
			e.Properties, e.Traits, e.Context = rawOf(props), rawOf(traits), rawOf(ctxJSON)
			e.Timestamp, e.ReceivedAt = timeOf(ts), timeOf(received)
			return e, err
		})
}

// Counts counts every kind of row in one statement, so the numbers are of
// one moment. People merged into another are not counted: they are kept
// only so a merge can be undone.
func (q *queries) Counts(ctx context.Context) (*store.Counts, error) {
	var c store.Counts
	err := q.db.QueryRow(ctx, `SELECT
		(SELECT count(*) FROM people WHERE merged_into IS NULL), (SELECT count(*) FROM records), (SELECT count(*) FROM accounts),
		(SELECT count(*) FROM owners), (SELECT count(*) FROM products), (SELECT count(*) FROM holdings),
		(SELECT count(*) FROM consent), (SELECT count(*) FROM campaigns), (SELECT count(*) FROM campaign_days),
		(SELECT count(*) FROM events), (SELECT count(*) FROM licenses), (SELECT count(*) FROM license_usage),
		(SELECT count(*) FROM templates)`).Scan(
		&c.People, &c.Records, &c.Accounts, &c.Owners, &c.Products, &c.Holdings,
		&c.Consent, &c.Campaigns, &c.CampaignDays, &c.Events, &c.Licenses, &c.LicenseUsage, &c.Templates)
	if err != nil {
		return nil, fmt.Errorf("postgres: counts: %w", err)
	}
	return &c, nil
}
