package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"

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
//
// Only the key links: a person whose first record had no e-mail and later
// gained one keeps its record key, so a new record with that address makes
// a person of its own (a duplicate for a merge to resolve). That is the
// rule the conformance suite holds every backend to.
//
// The linker works on row indexes rather than string-keyed maps where it
// can: at a million rows per import, the allocations are the client's
// main cost.
type linker struct {
	rows      []foundation.Record
	rej       *rejections
	emailKeys []string // per row: NormalizeEmail(Email)

	first []int // per row: index of the first row of its record; -1 if rejected
	keep  []int // rows to write: the last row of each record, batch order

	stored []int64 // per first row: person of the record already stored, else 0
	keyOf  []int   // per first row of a new record: index into keys
	keys   []string
	index  map[string]int // key -> its position in keys
	people []int64        // per key: its person, once found or created
	fresh  map[int64]bool
}

func newLinker(rows []foundation.Record, rej *rejections) *linker {
	l := &linker{rows: rows, rej: rej,
		emailKeys: make([]string, len(rows)), first: make([]int, len(rows))}
	firstOf := make(map[string]int, len(rows))
	last := make([]int, len(rows))
	for i, r := range rows {
		l.first[i] = -1
		if rej.has(i) {
			continue
		}
		l.emailKeys[i] = foundation.NormalizeEmail(r.Email)
		rk := r.System + "\x00" + r.SystemID
		f, ok := firstOf[rk]
		if !ok {
			f = i
			firstOf[rk] = i
		}
		l.first[i], last[f] = f, i
	}
	for i, f := range l.first {
		if f >= 0 && last[f] == i {
			l.keep = append(l.keep, i)
		}
	}
	return l
}

// personKey is foundation.Record.PersonKey with the e-mail already
// normalised.
func (l *linker) personKey(i int) string {
	if e := l.emailKeys[i]; e != "" {
		return "email:" + e
	}
	return "record:" + l.rows[i].System + ":" + l.rows[i].SystemID
}

// personOf returns the person row i is linked to; valid after link.
func (l *linker) personOf(i int) int64 {
	f := l.first[i]
	if id := l.stored[f]; id != 0 {
		return id
	}
	return l.people[l.keyOf[f]]
}

func (l *linker) link(ctx context.Context, tx pgx.Tx) error {
	if len(l.keep) == 0 {
		return nil
	}
	l.stored = make([]int64, len(l.rows))
	l.keyOf = make([]int, len(l.rows))
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

// findRecords learns the person of every record of the batch already
// stored. WITH ORDINALITY numbers the rows so the answer maps back by
// position, without string keys; the lookup is a probe per key (see
// probe.go).
func (l *linker) findRecords(ctx context.Context, tx pgx.Tx) error {
	systems := make([]string, len(l.keep))
	ids := make([]string, len(l.keep))
	for n, i := range l.keep {
		systems[n], ids[n] = l.rows[i].System, l.rows[i].SystemID
	}
	rows, err := tx.Query(ctx, sqlFindRecords, systems, ids)
	if err != nil {
		return fmt.Errorf("find records: %w", err)
	}
	var n int64
	var person pgtype.Int8
	_, err = pgx.ForEachRow(rows, []any{&n, &person}, func() error {
		if person.Valid {
			l.stored[l.first[l.keep[n-1]]] = person.Int64
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("find records: %w", err)
	}
	return nil
}

// findPeople collects the person keys of new records, once each in batch
// order, and resolves those already stored.
func (l *linker) findPeople(ctx context.Context, tx pgx.Tx) error {
	l.index = map[string]int{}
	for _, i := range l.keep {
		f := l.first[i]
		if l.stored[f] != 0 {
			continue
		}
		k := l.personKey(f)
		n, ok := l.index[k]
		if !ok {
			n = len(l.keys)
			l.index[k] = n
			l.keys = append(l.keys, k)
		}
		l.keyOf[f] = n
	}
	l.people = make([]int64, len(l.keys))
	if len(l.keys) == 0 {
		return nil
	}
	return l.lookupKeys(ctx, tx, l.keys, func(n int, id int64) { l.people[n] = id })
}

// lookupKeys finds the people with the given keys, a probe per key;
// found(n, id) is called with each known key's position in keys.
func (l *linker) lookupKeys(ctx context.Context, tx pgx.Tx, keys []string, found func(n int, id int64)) error {
	rows, err := tx.Query(ctx, sqlLookupKeys, keys)
	if err != nil {
		return fmt.Errorf("find people: %w", err)
	}
	var n int64
	var id pgtype.Int8
	_, err = pgx.ForEachRow(rows, []any{&n, &id}, func() error {
		if id.Valid {
			found(int(n-1), id.Int64)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("find people: %w", err)
	}
	return nil
}

// createPeople inserts a person for every key still unknown, with COPY
// (see writeRecords for why not INSERT ... ON CONFLICT): should another
// node create one of these people first, the unique violation makes the
// batch retry, and the retry finds the person.
func (l *linker) createPeople(ctx context.Context, tx pgx.Tx) error {
	fillOf := make([]int, len(l.keys)) // key -> 1 + index into fills
	var fills []personFill
	var order []int // keys to create, in batch order
	for i, f := range l.first {
		if f < 0 || l.stored[f] != 0 || l.people[l.keyOf[f]] != 0 {
			continue
		}
		n := l.keyOf[f]
		if fillOf[n] == 0 {
			fills = append(fills, personFill{})
			fillOf[n] = len(fills)
			order = append(order, n)
		}
		fills[fillOf[n]-1].add(l.rows[i], l.emailKeys[i])
	}
	l.fresh = make(map[int64]bool, len(order))
	if len(order) == 0 {
		return nil
	}
	// Ids come from the identity's sequence up front, so the people can
	// go in with COPY (which returns nothing) and still be known by id.
	rows, err := tx.Query(ctx, `SELECT nextval('people_id_seq') FROM generate_series(1, $1) ORDER BY 1`, len(order))
	if err != nil {
		return fmt.Errorf("create people: %w", err)
	}
	ids, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil {
		return fmt.Errorf("create people: reserve ids: %w", err)
	}
	if len(ids) != len(order) {
		return fmt.Errorf("create people: reserved %d ids for %d people", len(ids), len(order))
	}
	for j, n := range order {
		l.people[n], l.fresh[ids[j]] = ids[j], true
	}
	src := &peopleSource{l: l, order: order, fills: fills, ids: ids, pos: -1}
	if _, err := tx.CopyFrom(ctx, pgx.Identifier{"people"}, peopleCopyColumns, src); err != nil {
		return fmt.Errorf("create people: %w", err)
	}
	return nil
}

var peopleCopyColumns = []string{"id", "key", "email", "first_name", "last_name", "title", "phone",
	"account_id", "country", "region", "traits"}

// peopleSource streams new people to COPY, like recordSource.
type peopleSource struct {
	l     *linker
	order []int // keys, in the order of fills and ids
	fills []personFill
	ids   []int64
	pos   int
	vals  [11]any
	err   error
}

func (s *peopleSource) Next() bool {
	s.pos++
	return s.pos < len(s.order) && s.err == nil
}

func (s *peopleSource) Values() ([]any, error) {
	f := &s.fills[s.pos]
	t, err := traitsParam(f.traits)
	if err != nil {
		s.err = fmt.Errorf("person %q: %w", s.l.keys[s.order[s.pos]], err)
		return nil, s.err
	}
	var account any
	if f.account != "" {
		account = f.account
	}
	s.vals = [11]any{s.ids[s.pos], s.l.keys[s.order[s.pos]], f.email, f.first, f.last, f.title, f.phone,
		account, f.country, f.region, t}
	return s.vals[:], nil
}

func (s *peopleSource) Err() error { return s.err }

// fillPeople fills the empty fields of the people this batch links to but
// did not create. Only people with something to fill are rewritten.
func (l *linker) fillPeople(ctx context.Context, tx pgx.Tx) error {
	fillOf := map[int64]int{}
	var fills []personFill
	var ids []int64
	for i, f := range l.first {
		if f < 0 {
			continue
		}
		id := l.personOf(i)
		if l.fresh[id] {
			continue
		}
		j, ok := fillOf[id]
		if !ok {
			j = len(fills)
			fillOf[id] = j
			fills = append(fills, personFill{})
			ids = append(ids, id)
		}
		fills[j].add(l.rows[i], l.emailKeys[i])
	}
	if len(ids) == 0 {
		return nil
	}
	cols, err := fillColumns(len(ids), func(j int) (string, *personFill) { return "", &fills[j] })
	if err != nil {
		return err
	}
	args := append([]any{ids}, cols[1:]...)
	// First find who has something to fill — on most batches nobody — so
	// that only those rows are written (and locked).
	rows, err := tx.Query(ctx, sqlFillNeeded, args...)
	if err != nil {
		return fmt.Errorf("fill people: %w", err)
	}
	needed, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil {
		return fmt.Errorf("fill people: %w", err)
	}
	if len(needed) == 0 {
		return nil
	}
	for c := range args {
		args[c] = pick(args[c], needed)
	}
	// INSERT ... ON CONFLICT (id) updates by a probe of the primary key per
	// row. Every id exists (people are never deleted), so nothing is
	// inserted; the key given for the would-be row only satisfies NOT NULL.
	_, err = tx.Exec(ctx, `
		INSERT INTO people AS p (id, key, email, first_name, last_name, title, phone, account_id, country, region, traits)
		OVERRIDING SYSTEM VALUE
		SELECT id, 'fill:' || id, email, first_name, last_name, title, phone, NULLIF(account_id, ''), country, region, traits::jsonb
		FROM unnest($1::int8[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
		            $8::text[], $9::text[], $10::text[])
		     AS v(id, email, first_name, last_name, title, phone, account_id, country, region, traits)
		ON CONFLICT (id) DO UPDATE SET
			email      = CASE WHEN p.email = '' THEN excluded.email ELSE p.email END,
			first_name = CASE WHEN p.first_name = '' THEN excluded.first_name ELSE p.first_name END,
			last_name  = CASE WHEN p.last_name = '' THEN excluded.last_name ELSE p.last_name END,
			title      = CASE WHEN p.title = '' THEN excluded.title ELSE p.title END,
			phone      = CASE WHEN p.phone = '' THEN excluded.phone ELSE p.phone END,
			account_id = COALESCE(p.account_id, excluded.account_id),
			country    = CASE WHEN p.country = '' THEN excluded.country ELSE p.country END,
			region     = CASE WHEN p.region = '' THEN excluded.region ELSE p.region END,
			traits     = excluded.traits || p.traits,
			updated_at = now()`, args...)
	if err != nil {
		return fmt.Errorf("fill people: %w", err)
	}
	return nil
}

// fillNeeded is true when person p has an empty field that v can fill.
const fillNeeded = `(p.email = '' AND v.email <> '') OR (p.first_name = '' AND v.first_name <> '') OR
	(p.last_name = '' AND v.last_name <> '') OR (p.title = '' AND v.title <> '') OR
	(p.phone = '' AND v.phone <> '') OR (p.account_id IS NULL AND v.account_id <> '') OR
	(p.country = '' AND v.country <> '') OR (p.region = '' AND v.region <> '') OR
	v.traits::jsonb || p.traits <> p.traits`

// personFill gathers, per person, the first non-empty value of each field
// among a batch's rows: the value the person would have had if the rows had
// been written one at a time.
type personFill struct {
	email, first, last, title, phone, account, country, region string
	traits                                                     foundation.Traits
}

func (f *personFill) add(r foundation.Record, emailKey string) {
	first := func(dst *string, v string) {
		if *dst == "" {
			*dst = v
		}
	}
	first(&f.email, emailKey)
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
func fillColumns(n int, at func(j int) (string, *personFill)) ([]any, error) {
	var c [10][]string
	for i := range c {
		c[i] = make([]string, n)
	}
	for j := 0; j < n; j++ {
		key, f := at(j)
		t, err := traitsParam(f.traits)
		if err != nil {
			return nil, fmt.Errorf("person %q: %w", key, err)
		}
		c[0][j], c[1][j], c[2][j], c[3][j], c[4][j] = key, f.email, f.first, f.last, f.title
		c[5][j], c[6][j], c[7][j], c[8][j], c[9][j] = f.phone, f.account, f.country, f.region, t
	}
	out := make([]any, len(c))
	for i := range c {
		out[i] = c[i]
	}
	return out, nil
}

// sqlFindRecords probes records by (system, system_id) and returns the
// person of each stored one. OFFSET 0 keeps the subquery whole, so the
// probe runs once per key and only found rows travel back.
const sqlFindRecords = `
		SELECT n, person_id FROM (
			SELECT k.n, (SELECT r.person_id FROM records r WHERE r.system_id = k.system_id AND r.system = k.system) AS person_id
			FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS k(system, system_id, n) OFFSET 0) found
		WHERE person_id IS NOT NULL`

// sqlLookupKeys probes people by key and returns the id of each known one.
const sqlLookupKeys = `
		SELECT n, id FROM (
			SELECT k.n, (SELECT p.id FROM people p WHERE p.key = k.key) AS id
			FROM unnest($1::text[]) WITH ORDINALITY AS k(key, n) OFFSET 0) found
		WHERE id IS NOT NULL`

// sqlFillNeeded numbers the fills that would change their person.
const sqlFillNeeded = `
		SELECT v.n FROM unnest($1::int8[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
		                       $8::text[], $9::text[], $10::text[])
		     WITH ORDINALITY AS v(id, email, first_name, last_name, title, phone, account_id, country, region, traits, n)
		WHERE (SELECT ` + fillNeeded + ` FROM people p WHERE p.id = v.id)`
