package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/towerops/tower/internal/foundation"
)

// linker resolves the person of every row of a records batch, set-wise.
//
// The result must equal writing the batch one row at a time: the first row
// of a new (system, system_id) creates the record, so its PersonKey picks
// the person; later rows for the same record only update it. A record
// already stored keeps its person. A person key already known is reused;
// the other keys become new people, created with the first non-empty
// value of each field among their rows. Existing people get their empty
// fields filled the same way.
type linker struct {
	rows []foundation.Record
	rej  *rejections
	keep []int // rows to write: the last of each (system, system_id)

	firstKey map[string]string // record key -> PersonKey of its first row
	existing map[string]int64  // record key -> person of the stored record
	byKey    map[string]int64  // PersonKey -> person
	fresh    map[int64]bool    // people this batch created
}

func newLinker(rows []foundation.Record, rej *rejections) *linker {
	return &linker{rows: rows, rej: rej}
}

func recordKey(r foundation.Record) string { return r.System + "\x00" + r.SystemID }

// personOf returns the person row i is linked to; valid after link.
func (l *linker) personOf(i int) int64 {
	rk := recordKey(l.rows[i])
	if id, ok := l.existing[rk]; ok {
		return id
	}
	return l.byKey[l.firstKey[rk]]
}

// valid calls fn for every row that is not rejected, in batch order.
func (l *linker) valid(fn func(i int, r foundation.Record)) {
	for i, r := range l.rows {
		if !l.rej.has(i) {
			fn(i, r)
		}
	}
}

func (l *linker) link(ctx context.Context, tx pgx.Tx) error {
	l.keep = lastOf(len(l.rows), l.rej, func(i int) string { return recordKey(l.rows[i]) })
	if len(l.keep) == 0 {
		return nil
	}
	l.firstKey = make(map[string]string, len(l.keep))
	l.valid(func(_ int, r foundation.Record) {
		if _, ok := l.firstKey[recordKey(r)]; !ok {
			l.firstKey[recordKey(r)] = r.PersonKey()
		}
	})
	if err := l.findRecords(ctx, tx); err != nil {
		return err
	}
	if err := l.findPeople(ctx, tx); err != nil {
		return err
	}
	if err := l.createPeople(ctx, tx); err != nil {
		return err
	}
	return l.fillPeople(ctx, tx)
}

// findRecords learns the person of every record of the batch already stored.
func (l *linker) findRecords(ctx context.Context, tx pgx.Tx) error {
	systems := make([]string, len(l.keep))
	ids := make([]string, len(l.keep))
	for n, i := range l.keep {
		systems[n], ids[n] = l.rows[i].System, l.rows[i].SystemID
	}
	rows, err := tx.Query(ctx, `
		SELECT r.system, r.system_id, r.person_id
		FROM unnest($1::text[], $2::text[]) AS k(system, system_id)
		JOIN records r ON r.system = k.system AND r.system_id = k.system_id`, systems, ids)
	if err != nil {
		return fmt.Errorf("find records: %w", err)
	}
	l.existing = map[string]int64{}
	var sys, id string
	var person int64
	_, err = pgx.ForEachRow(rows, []any{&sys, &id, &person}, func() error {
		l.existing[sys+"\x00"+id] = person
		return nil
	})
	if err != nil {
		return fmt.Errorf("find records: %w", err)
	}
	return nil
}

// neededKeys lists the person keys of new records, once each, in batch order.
func (l *linker) neededKeys() []string {
	var keys []string
	seen := map[string]bool{}
	for _, i := range l.keep {
		rk := recordKey(l.rows[i])
		if _, ok := l.existing[rk]; ok {
			continue
		}
		if k := l.firstKey[rk]; !seen[k] {
			seen[k] = true
			keys = append(keys, k)
		}
	}
	return keys
}

// findPeople resolves the keys of new records to people already stored.
// Only the key links: a person whose first record had no e-mail and later
// gained one keeps its record key, and a new record with that address makes
// a person of its own (a duplicate for a merge to resolve). That is the
// rule the conformance suite holds every backend to.
func (l *linker) findPeople(ctx context.Context, tx pgx.Tx) error {
	l.byKey = map[string]int64{}
	keys := l.neededKeys()
	if len(keys) == 0 {
		return nil
	}
	rows, err := tx.Query(ctx, `SELECT key, id FROM people WHERE key = ANY($1::text[])`, keys)
	if err != nil {
		return fmt.Errorf("find people: %w", err)
	}
	var key string
	var id int64
	if _, err := pgx.ForEachRow(rows, []any{&key, &id}, func() error { l.byKey[key] = id; return nil }); err != nil {
		return fmt.Errorf("find people: %w", err)
	}
	return nil
}

// createPeople inserts a person for every key still unknown. ON CONFLICT
// DO NOTHING plus a second look covers another node creating the same
// person at the same moment; such a person is then filled like any other.
func (l *linker) createPeople(ctx context.Context, tx pgx.Tx) error {
	fills := map[string]*personFill{}
	var order []string
	l.valid(func(_ int, r foundation.Record) {
		rk := recordKey(r)
		if _, ok := l.existing[rk]; ok {
			return
		}
		k := l.firstKey[rk]
		if l.byKey[k] != 0 {
			return
		}
		f := fills[k]
		if f == nil {
			f = &personFill{}
			fills[k] = f
			order = append(order, k)
		}
		f.add(r)
	})
	l.fresh = map[int64]bool{}
	if len(order) == 0 {
		return nil
	}
	cols, err := fillColumns(len(order), func(n int) (string, *personFill) { return order[n], fills[order[n]] })
	if err != nil {
		return err
	}
	rows, err := tx.Query(ctx, `
		INSERT INTO people (key, email, first_name, last_name, title, phone, account_id, country, region, traits)
		SELECT key, email, first_name, last_name, title, phone, NULLIF(account_id, ''), country, region, traits::jsonb
		FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
		            $8::text[], $9::text[], $10::text[])
		     AS v(key, email, first_name, last_name, title, phone, account_id, country, region, traits)
		ON CONFLICT (key) DO NOTHING
		RETURNING key, id`, cols...)
	if err != nil {
		return fmt.Errorf("create people: %w", err)
	}
	var key string
	var id int64
	_, err = pgx.ForEachRow(rows, []any{&key, &id}, func() error {
		l.byKey[key], l.fresh[id] = id, true
		return nil
	})
	if err != nil {
		return fmt.Errorf("create people: %w", err)
	}
	var raced []string
	for _, k := range order {
		if l.byKey[k] == 0 {
			raced = append(raced, k)
		}
	}
	if len(raced) == 0 {
		return nil
	}
	rows, err = tx.Query(ctx, `SELECT key, id FROM people WHERE key = ANY($1::text[])`, raced)
	if err != nil {
		return fmt.Errorf("find people: %w", err)
	}
	if _, err := pgx.ForEachRow(rows, []any{&key, &id}, func() error { l.byKey[key] = id; return nil }); err != nil {
		return fmt.Errorf("find people: %w", err)
	}
	for _, k := range raced {
		if l.byKey[k] == 0 {
			return fmt.Errorf("create people: person %q was neither created nor found", k)
		}
	}
	return nil
}

// fillPeople fills the empty fields of the people this batch links to but
// did not create. Only people with something to fill are rewritten.
func (l *linker) fillPeople(ctx context.Context, tx pgx.Tx) error {
	fills := map[int64]*personFill{}
	var order []int64
	l.valid(func(i int, r foundation.Record) {
		id := l.personOf(i)
		if l.fresh[id] {
			return
		}
		f := fills[id]
		if f == nil {
			f = &personFill{}
			fills[id] = f
			order = append(order, id)
		}
		f.add(r)
	})
	if len(order) == 0 {
		return nil
	}
	ids := make([]int64, len(order))
	copy(ids, order)
	cols, err := fillColumns(len(order), func(n int) (string, *personFill) { return "", fills[order[n]] })
	if err != nil {
		return err
	}
	_, err = tx.Exec(ctx, `
		UPDATE people p SET
			email      = CASE WHEN p.email = '' THEN v.email ELSE p.email END,
			first_name = CASE WHEN p.first_name = '' THEN v.first_name ELSE p.first_name END,
			last_name  = CASE WHEN p.last_name = '' THEN v.last_name ELSE p.last_name END,
			title      = CASE WHEN p.title = '' THEN v.title ELSE p.title END,
			phone      = CASE WHEN p.phone = '' THEN v.phone ELSE p.phone END,
			account_id = COALESCE(p.account_id, NULLIF(v.account_id, '')),
			country    = CASE WHEN p.country = '' THEN v.country ELSE p.country END,
			region     = CASE WHEN p.region = '' THEN v.region ELSE p.region END,
			traits     = v.traits::jsonb || p.traits,
			updated_at = now()
		FROM unnest($1::int8[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
		            $8::text[], $9::text[], $10::text[])
		     AS v(id, email, first_name, last_name, title, phone, account_id, country, region, traits)
		WHERE p.id = v.id AND (
			(p.email = '' AND v.email <> '') OR (p.first_name = '' AND v.first_name <> '') OR
			(p.last_name = '' AND v.last_name <> '') OR (p.title = '' AND v.title <> '') OR
			(p.phone = '' AND v.phone <> '') OR (p.account_id IS NULL AND v.account_id <> '') OR
			(p.country = '' AND v.country <> '') OR (p.region = '' AND v.region <> '') OR
			v.traits::jsonb || p.traits <> p.traits)`,
		append([]any{ids}, cols[1:]...)...)
	if err != nil {
		return fmt.Errorf("fill people: %w", err)
	}
	return nil
}

// personFill gathers, per person, the first non-empty value of each field
// among a batch's rows: the value the person would have had if the rows had
// been written one at a time.
type personFill struct {
	email, first, last, title, phone, account, country, region string
	traits                                                     foundation.Traits
}

func (f *personFill) add(r foundation.Record) {
	first := func(dst *string, v string) {
		if *dst == "" {
			*dst = v
		}
	}
	first(&f.email, foundation.NormalizeEmail(r.Email))
	first(&f.first, r.FirstName)
	first(&f.last, r.LastName)
	first(&f.title, r.Title)
	first(&f.phone, r.Phone)
	first(&f.account, r.AccountID)
	first(&f.country, r.Country)
	first(&f.region, r.Region)
	for k, v := range r.Traits {
		if f.traits == nil {
			f.traits = foundation.Traits{}
		}
		if _, ok := f.traits[k]; !ok {
			f.traits[k] = v
		}
	}
}

// fillColumns lays n fills out as the ten array parameters of the people
// statements: key, email, first, last, title, phone, account, country,
// region, traits.
func fillColumns(n int, at func(n int) (string, *personFill)) ([]any, error) {
	var c [10][]string
	for i := range c {
		c[i] = make([]string, n)
	}
	for i := 0; i < n; i++ {
		key, f := at(i)
		t, err := traitsParam(f.traits)
		if err != nil {
			return nil, fmt.Errorf("person %q: %w", key, err)
		}
		c[0][i], c[1][i], c[2][i], c[3][i], c[4][i] = key, f.email, f.first, f.last, f.title
		c[5][i], c[6][i], c[7][i], c[8][i], c[9][i] = f.phone, f.account, f.country, f.region, t
	}
	out := make([]any, len(c))
	for i := range c {
		out[i] = c[i]
	}
	return out, nil
}
