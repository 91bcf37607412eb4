package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// personFill is the identity a person takes from its records: each field
// keeps its first non-empty value.
type personFill struct {
	email, first, last, title, phone, account, country, region string
	traits                                                     any // encoded JSON or nil
}

// absorb fills the empty fields from one record; it reports a change.
func (f *personFill) absorb(pr *pendingRecord) bool {
	r := pr.rec
	changed := false
	set := func(dst *string, v string) {
		if *dst == "" && v != "" {
			*dst, changed = v, true
		}
	}
	set(&f.email, pr.emailKey)
	set(&f.first, r.FirstName)
	set(&f.last, r.LastName)
	set(&f.title, r.Title)
	set(&f.phone, r.Phone)
	set(&f.account, r.AccountID)
	set(&f.country, r.Country)
	set(&f.region, r.Region)
	if f.traits == nil && pr.traits != nil {
		f.traits, changed = pr.traits, true
	}
	return changed
}

// fillPeople fills empty fields of existing people from the batch's
// records (in batch order) and writes only the people that changed, so
// re-importing a file touches no person.
func fillPeople(ctx context.Context, tx *sql.Tx, recs []*pendingRecord) error {
	if len(recs) == 0 {
		return nil
	}
	var ids []int64
	seen := map[int64]bool{}
	for _, pr := range recs {
		if !seen[pr.personID] {
			seen[pr.personID] = true
			ids = append(ids, pr.personID)
		}
	}
	current := make(map[int64]*personFill, len(ids))
	err := lookup(ctx, tx, `SELECT id, email, first_name, last_name, title, phone, coalesce(account_id, ''),
		country, region, traits FROM people WHERE id IN (%s)`, ids, nil, func(r *sql.Rows) error {
		var id int64
		var f personFill
		var tr sql.NullString
		if err := r.Scan(&id, &f.email, &f.first, &f.last, &f.title, &f.phone, &f.account, &f.country, &f.region, &tr); err != nil {
			return err
		}
		if tr.Valid {
			f.traits = tr.String
		}
		current[id] = &f
		return nil
	})
	if err != nil {
		return fmt.Errorf("read people: %w", err)
	}
	changed := map[int64]bool{}
	var fix []fillUpdate
	for _, pr := range recs {
		f := current[pr.personID]
		if f != nil && f.absorb(pr) && !changed[pr.personID] {
			changed[pr.personID] = true
			fix = append(fix, fillUpdate{id: pr.personID, f: f})
		}
	}
	return updatePeople(ctx, tx, fix)
}

// fillUpdate is a person whose fields a batch filled.
type fillUpdate struct {
	id int64
	f  *personFill
}

// updatePeople writes filled person fields.
func updatePeople(ctx context.Context, tx *sql.Tx, fix []fillUpdate) error {
	if len(fix) == 0 {
		return nil
	}
	stmt, err := tx.PrepareContext(ctx, `UPDATE people SET email = ?, first_name = ?, last_name = ?, title = ?,
		phone = ?, account_id = ?, country = ?, region = ?, traits = ?, updated_at = ? WHERE id = ?`)
	if err != nil {
		return fmt.Errorf("fill people: %w", err)
	}
	defer stmt.Close()
	now := encTime(time.Now())
	for _, u := range fix {
		f := u.f
		if _, err := stmt.ExecContext(ctx, f.email, f.first, f.last, f.title, f.phone, nullStr(f.account),
			f.country, f.region, f.traits, now, u.id); err != nil {
			return fmt.Errorf("fill person %d: %w", u.id, err)
		}
	}
	return nil
}
