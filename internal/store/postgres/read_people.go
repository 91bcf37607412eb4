package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/towerops/tower/internal/foundation"
	"github.com/towerops/tower/internal/store"
)

const personCols = `p.id, p.email, p.first_name, p.last_name, p.title, p.phone, COALESCE(p.account_id, ''),
	p.country, p.region, p.traits, p.created_at, p.updated_at, COALESCE(p.merged_into, 0)`

// scanPerson reads personCols, then any extra columns into extra.
func scanPerson(row pgx.Row, extra ...any) (foundation.Person, error) {
	var p foundation.Person
	var traits []byte
	dest := append([]any{&p.ID, &p.Email, &p.FirstName, &p.LastName, &p.Title, &p.Phone, &p.AccountID,
		&p.Country, &p.Region, &traits, &p.CreatedAt, &p.UpdatedAt, &p.MergedInto}, extra...)
	if err := row.Scan(dest...); err != nil {
		return p, err
	}
	p.CreatedAt, p.UpdatedAt = p.CreatedAt.UTC(), p.UpdatedAt.UTC()
	var err error
	p.Traits, err = traitsOf(traits)
	return p, err
}

const recordCols = `r.id, r.person_id, r.system, r.system_id, r.email, r.first_name, r.last_name, r.title,
	r.phone, COALESCE(r.account_id, ''), r.country, r.region, r.traits, r.created_at, r.updated_at`

func scanRecord(row pgx.CollectableRow) (foundation.Record, error) {
	var r foundation.Record
	var traits []byte
	var created, updated *time.Time
	if err := row.Scan(&r.ID, &r.PersonID, &r.System, &r.SystemID, &r.Email, &r.FirstName, &r.LastName, &r.Title,
		&r.Phone, &r.AccountID, &r.Country, &r.Region, &traits, &created, &updated); err != nil {
		return r, err
	}
	r.CreatedAt, r.UpdatedAt = timeOf(created), timeOf(updated)
	var err error
	r.Traits, err = traitsOf(traits)
	return r, err
}

const consentCols = `c.id, c.system, c.system_id, c.email, c.channel, c.status, c.reason, c.at,
	COALESCE(c.record_id, 0), COALESCE(c.person_id, 0)`

func scanConsent(row pgx.CollectableRow) (foundation.Consent, error) {
	var c foundation.Consent
	var at *time.Time
	err := row.Scan(&c.ID, &c.System, &c.SystemID, &c.Email, &c.Channel, &c.Status, &c.Reason, &at, &c.RecordID, &c.PersonID)
	c.At = timeOf(at)
	return c, err
}

// collect runs a list query and scans every row.
func collect[T any](ctx context.Context, db dbtx, what, sql string, args []any, scan pgx.RowToFunc[T]) ([]T, error) {
	rows, err := db.Query(ctx, sql, args...)
	if err != nil {
		return nil, fmt.Errorf("postgres: %s: %w", what, err)
	}
	out, err := pgx.CollectRows(rows, scan)
	if err != nil {
		return nil, fmt.Errorf("postgres: %s: %w", what, err)
	}
	return out, nil
}

// notFound turns pgx.ErrNoRows into store.ErrNotFound, naming what was sought.
func notFound(err error, what string) error {
	if errors.Is(err, pgx.ErrNoRows) {
		return fmt.Errorf("%s: %w", what, store.ErrNotFound)
	}
	return fmt.Errorf("postgres: %s: %w", what, err)
}

// PersonGet returns a person by id, or by normalised e-mail (an unmerged
// person first, then the lowest id), with its records and consent facts.
func (q *queries) PersonGet(ctx context.Context, p *store.PersonGetParams) (*store.PersonDetail, error) {
	var row pgx.Row
	var what string
	switch {
	case p.ID != 0:
		what = fmt.Sprintf("person %d", p.ID)
		row = q.db.QueryRow(ctx, `SELECT `+personCols+` FROM people p WHERE p.id = $1`, p.ID)
	case foundation.NormalizeEmail(p.Email) != "":
		email := foundation.NormalizeEmail(p.Email)
		what = fmt.Sprintf("person %q", email)
		row = q.db.QueryRow(ctx, `SELECT `+personCols+` FROM people p WHERE p.email = $1
			ORDER BY p.merged_into IS NOT NULL, p.id LIMIT 1`, email)
	default:
		return nil, fmt.Errorf("person without an id or e-mail: %w", store.ErrNotFound)
	}
	person, err := scanPerson(row)
	if err != nil {
		return nil, notFound(err, what)
	}
	d := &store.PersonDetail{Person: person}
	d.Records, err = collect(ctx, q.db, "records of "+what,
		`SELECT `+recordCols+` FROM records r WHERE r.person_id = $1 ORDER BY r.system, r.system_id`,
		[]any{person.ID}, scanRecord)
	if err != nil {
		return nil, err
	}
	d.Consent, err = collect(ctx, q.db, "consent of "+what,
		`SELECT `+consentCols+` FROM consent c WHERE c.person_id = $1 ORDER BY c.at, c.id`,
		[]any{person.ID}, scanConsent)
	if err != nil {
		return nil, err
	}
	return d, nil
}

// PeopleList lists unmerged people by id, with the systems that know them.
func (q *queries) PeopleList(ctx context.Context, p *store.PeopleListParams) ([]store.PersonSummary, error) {
	var w where
	w.conds = append(w.conds, "p.merged_into IS NULL")
	if p.Search != "" {
		w.add("(p.email ILIKE ? OR p.first_name ILIKE ? OR p.last_name ILIKE ?)", likeContains(p.Search))
	}
	if p.AccountID != "" {
		w.add("p.account_id = ?", p.AccountID)
	}
	if p.System != "" {
		w.add("EXISTS (SELECT 1 FROM records s WHERE s.person_id = p.id AND s.system = ?)", p.System)
	}
	tail, args := w.sql("p.id", p.Page)
	return collect(ctx, q.db, "list people", `SELECT `+personCols+`,
		ARRAY(SELECT DISTINCT r.system FROM records r WHERE r.person_id = p.id ORDER BY 1)
		FROM people p`+tail, args,
		func(row pgx.CollectableRow) (store.PersonSummary, error) {
			var s store.PersonSummary
			var err error
			s.Person, err = scanPerson(row, &s.Systems)
			return s, err
		})
}

// RecordsList lists records by (system, system_id).
func (q *queries) RecordsList(ctx context.Context, p *store.RecordsListParams) ([]foundation.Record, error) {
	var w where
	if p.PersonID != 0 {
		w.add("r.person_id = ?", p.PersonID)
	}
	if p.System != "" {
		w.add("r.system = ?", p.System)
	}
	if p.SystemID != "" {
		w.add("r.system_id = ?", p.SystemID)
	}
	tail, args := w.sql("r.system, r.system_id", p.Page)
	return collect(ctx, q.db, "list records", `SELECT `+recordCols+` FROM records r`+tail, args, scanRecord)
}

// ConsentList lists consent facts by (at, id).
func (q *queries) ConsentList(ctx context.Context, p *store.ConsentListParams) ([]foundation.Consent, error) {
	var w where
	if p.PersonID != 0 {
		w.add("c.person_id = ?", p.PersonID)
	}
	if p.System != "" {
		w.add("c.system = ?", p.System)
	}
	if p.Channel != "" {
		w.add("c.channel = ?", string(p.Channel))
	}
	if p.Status != "" {
		w.add("c.status = ?", string(p.Status))
	}
	if !p.Until.IsZero() {
		w.add("c.at <= ?", timeParam(p.Until))
	}
	tail, args := w.sql("c.at, c.id", p.Page)
	return collect(ctx, q.db, "list consent", `SELECT `+consentCols+` FROM consent c`+tail, args, scanConsent)
}
