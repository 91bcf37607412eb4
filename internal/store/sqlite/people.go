package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"

	"github.com/towerops/tower/internal/foundation"
	"github.com/towerops/tower/internal/store"
)

// byEmail finds people by normalised e-mail (two parameters, both the
// address) through the key index and the people_email_late index.
const byEmail = `(p.key = 'email:' || ? OR (p.email = ? AND substr(p.key, 1, 6) <> 'email:' AND p.email <> ''))`

const personCols = `p.id, p.email, p.first_name, p.last_name, p.title, p.phone, coalesce(p.account_id, ''),
	p.country, p.region, p.traits, p.created_at, p.updated_at, coalesce(p.merged_into, 0)`

func scanPerson(r interface{ Scan(...any) error }) (foundation.Person, error) {
	var p foundation.Person
	var tr, created, updated sql.NullString
	if err := r.Scan(&p.ID, &p.Email, &p.FirstName, &p.LastName, &p.Title, &p.Phone, &p.AccountID,
		&p.Country, &p.Region, &tr, &created, &updated, &p.MergedInto); err != nil {
		return p, err
	}
	var err1, err2, err3 error
	p.Traits, err1 = decTraits(tr)
	p.CreatedAt, err2 = decTime(created)
	p.UpdatedAt, err3 = decTime(updated)
	return p, errors.Join(err1, err2, err3)
}

func (q *queries) PersonGet(ctx context.Context, p *store.PersonGetParams) (*store.PersonDetail, error) {
	var row *sql.Row
	var what string
	if p.ID != 0 {
		what = "person " + strconv.FormatInt(p.ID, 10)
		row = q.read.QueryRowContext(ctx, "SELECT "+personCols+" FROM people p WHERE p.id = ?", p.ID)
	} else {
		email := foundation.NormalizeEmail(p.Email)
		what = fmt.Sprintf("person with e-mail %q", email)
		row = q.read.QueryRowContext(ctx, "SELECT "+personCols+" FROM people p WHERE "+byEmail+
			" ORDER BY p.merged_into IS NOT NULL, p.id LIMIT 1", email, email)
	}
	person, err := scanPerson(row)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("%s: %w", what, store.ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("get %s: %w", what, err)
	}
	d := &store.PersonDetail{Person: person}
	d.Records, err = list(ctx, q.read, scanRecord,
		"SELECT "+recordCols+" FROM records WHERE person_id = ? ORDER BY system, system_id", person.ID)
	if err != nil {
		return nil, fmt.Errorf("get records of %s: %w", what, err)
	}
	d.Consent, err = list(ctx, q.read, scanConsent,
		"SELECT "+consentCols+" FROM consent WHERE person_id = ? ORDER BY at, id", person.ID)
	if err != nil {
		return nil, fmt.Errorf("get consent of %s: %w", what, err)
	}
	return d, nil
}

func (q *queries) PeopleList(ctx context.Context, p *store.PeopleListParams) ([]store.PersonSummary, error) {
	var w where
	w.add("p.merged_into IS NULL")
	if p.Search != "" {
		s := likeArg(p.Search)
		w.add(`(p.email LIKE ? ESCAPE '\' OR p.first_name LIKE ? ESCAPE '\' OR p.last_name LIKE ? ESCAPE '\')`, s, s, s)
	}
	if p.AccountID != "" {
		w.add("p.account_id = ?", p.AccountID)
	}
	if p.System != "" {
		w.add("EXISTS (SELECT 1 FROM records r WHERE r.person_id = p.id AND r.system = ?)", p.System)
	}
	out, err := list(ctx, q.read, func(r *sql.Rows) (store.PersonSummary, error) {
		person, err := scanPerson(r)
		return store.PersonSummary{Person: person}, err
	}, "SELECT "+personCols+" FROM people p"+w.String()+" ORDER BY p.id LIMIT ? OFFSET ?", w.page(p.Page)...)
	if err != nil {
		return nil, fmt.Errorf("list people: %w", err)
	}
	byID := make(map[int64]*store.PersonSummary, len(out))
	ids := make([]int64, len(out))
	for i := range out {
		byID[out[i].ID] = &out[i]
		ids[i] = out[i].ID
	}
	err = lookup(ctx, q.read, "SELECT DISTINCT person_id, system FROM records WHERE person_id IN (%s) ORDER BY person_id, system",
		ids, nil, func(r *sql.Rows) error {
			var id int64
			var system string
			if err := r.Scan(&id, &system); err != nil {
				return err
			}
			byID[id].Systems = append(byID[id].Systems, system)
			return nil
		})
	if err != nil {
		return nil, fmt.Errorf("list systems of people: %w", err)
	}
	return out, nil
}

const recordCols = `id, person_id, system, system_id, email, first_name, last_name, title, phone,
	coalesce(account_id, ''), country, region, traits, created_at, updated_at`

func scanRecord(r *sql.Rows) (foundation.Record, error) {
	var rec foundation.Record
	var tr, created, updated sql.NullString
	if err := r.Scan(&rec.ID, &rec.PersonID, &rec.System, &rec.SystemID, &rec.Email, &rec.FirstName, &rec.LastName,
		&rec.Title, &rec.Phone, &rec.AccountID, &rec.Country, &rec.Region, &tr, &created, &updated); err != nil {
		return rec, err
	}
	var err1, err2, err3 error
	rec.Traits, err1 = decTraits(tr)
	rec.CreatedAt, err2 = decTime(created)
	rec.UpdatedAt, err3 = decTime(updated)
	return rec, errors.Join(err1, err2, err3)
}

func (q *queries) RecordsList(ctx context.Context, p *store.RecordsListParams) ([]foundation.Record, error) {
	var w where
	if p.PersonID != 0 {
		w.add("person_id = ?", p.PersonID)
	}
	if p.System != "" {
		w.add("system = ?", p.System)
	}
	if p.SystemID != "" {
		w.add("system_id = ?", p.SystemID)
	}
	out, err := list(ctx, q.read, scanRecord,
		"SELECT "+recordCols+" FROM records"+w.String()+" ORDER BY system, system_id LIMIT ? OFFSET ?", w.page(p.Page)...)
	if err != nil {
		return nil, fmt.Errorf("list records: %w", err)
	}
	return out, nil
}
