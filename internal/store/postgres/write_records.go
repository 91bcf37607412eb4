package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"

	"github.com/towerops/tower/internal/foundation"
	"github.com/towerops/tower/internal/store"
)

// RecordsUpsert writes records; natural key (system, system_id). New
// records are linked to people set-wise (see link.go); an account_id that
// names no account is rejected.
func (q *queries) RecordsUpsert(ctx context.Context, p *store.RecordsUpsertParams) (*store.UpsertResult, error) {
	rows := p.Records
	var rej rejections
	accounts := make([]string, len(rows))
	for i, r := range rows {
		accounts[i] = r.AccountID
		switch {
		case r.System == "":
			rej.add(i, "system", "the record names no system")
		case r.SystemID == "":
			rej.add(i, "system_id", "the record has no system_id")
		}
	}
	if len(rows) == 0 {
		return result(0, &rej), nil
	}
	err := q.batch(ctx, "write records", &rej, func(tx pgx.Tx) error {
		gone, err := missing(ctx, tx, "accounts", "id", accounts)
		if err != nil {
			return err
		}
		for i, r := range rows {
			if gone[r.AccountID] {
				rej.add(i, "account_id", accountNotFound(r.AccountID))
			}
		}
		l := newLinker(rows, &rej)
		if err := l.link(ctx, tx); err != nil {
			return err
		}
		return writeRecords(ctx, tx, rows, l)
	})
	if err != nil {
		return nil, err
	}
	return result(len(rows), &rej), nil
}

// writeRecords writes the last row of each (system, system_id): new
// records with COPY, known ones with an UPDATE of what changed.
// INSERT ... ON CONFLICT would do both in one statement, but its
// speculative insertion costs about a third more time and WAL per row,
// which on a first import of a million rows is most of the work; COPY
// inserts a page of rows at a time and streams while the client encodes.
// Should another node insert one of the "new" records meanwhile, COPY
// fails with a unique violation and the batch is retried, finding it
// known.
//
// An existing record keeps its person; a row equal to what is stored is
// not rewritten, so re-importing a file leaves no dead rows behind.
func writeRecords(ctx context.Context, tx pgx.Tx, rows []foundation.Record, l *linker) error {
	var fresh, known []int
	for _, i := range l.keep {
		if l.stored[l.first[i]] != 0 {
			known = append(known, i)
		} else {
			fresh = append(fresh, i)
		}
	}
	if len(fresh) > 0 {
		src := &recordSource{rows: rows, idx: fresh, l: l, pos: -1}
		if _, err := tx.CopyFrom(ctx, pgx.Identifier{"records"}, recordCopyColumns, src); err != nil {
			return fmt.Errorf("insert records: %w", err)
		}
	}
	if len(known) > 0 {
		return updateRecords(ctx, tx, rows, known, l)
	}
	return nil
}

// updateRecords rewrites the known records whose row differs from what is
// stored: it finds them with a probe per record, then upserts just those
// (see probe.go). A re-import of an unchanged file so writes nothing.
func updateRecords(ctx context.Context, tx pgx.Tx, rows []foundation.Record, known []int, l *linker) error {
	cols, err := recordColumns(rows, known, l)
	if err != nil {
		return err
	}
	res, err := tx.Query(ctx, sqlChangedRecords, cols...)
	if err != nil {
		return fmt.Errorf("compare records: %w", err)
	}
	changed, err := pgx.CollectRows(res, pgx.RowTo[int64])
	if err != nil {
		return fmt.Errorf("compare records: %w", err)
	}
	if len(changed) == 0 {
		return nil
	}
	for c := range cols {
		cols[c] = pick(cols[c], changed)
	}
	if _, err := tx.Exec(ctx, `
		INSERT INTO records (person_id, system, system_id, email, email_key, first_name, last_name, title,
		                     phone, account_id, country, region, traits, created_at, updated_at)
		SELECT person_id, system, system_id, email, email_key, first_name, last_name, title,
		       phone, NULLIF(account_id, ''), country, region, traits::jsonb, created_at, updated_at
		FROM unnest($1::int8[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
		            $8::text[], $9::text[], $10::text[], $11::text[], $12::text[], $13::text[],
		            $14::timestamptz[], $15::timestamptz[])
		     AS v(person_id, system, system_id, email, email_key, first_name, last_name, title,
		          phone, account_id, country, region, traits, created_at, updated_at)
		ON CONFLICT (system_id, system) DO UPDATE SET
			email = excluded.email, email_key = excluded.email_key, first_name = excluded.first_name,
			last_name = excluded.last_name, title = excluded.title, phone = excluded.phone,
			account_id = excluded.account_id, country = excluded.country, region = excluded.region,
			traits = excluded.traits, created_at = excluded.created_at, updated_at = excluded.updated_at`,
		cols...); err != nil {
		return fmt.Errorf("update records: %w", err)
	}
	return nil
}

// recordColumns lays the rows at idx out as the fifteen array parameters
// of the records statements, person_id first.
func recordColumns(rows []foundation.Record, idx []int, l *linker) ([]any, error) {
	n := len(idx)
	personIDs := make([]int64, n)
	var text [12][]string // system … traits
	for k := range text {
		text[k] = make([]string, n)
	}
	createdAt, updatedAt := make([]pgtype.Timestamptz, n), make([]pgtype.Timestamptz, n)
	for j, i := range idx {
		r := rows[i]
		t, err := traitsParam(r.Traits)
		if err != nil {
			return nil, fmt.Errorf("record %s %q: %w", r.System, r.SystemID, err)
		}
		personIDs[j] = l.personOf(i)
		for k, v := range [12]string{r.System, r.SystemID, r.Email, l.emailKeys[i], r.FirstName,
			r.LastName, r.Title, r.Phone, r.AccountID, r.Country, r.Region, t} {
			text[k][j] = v
		}
		createdAt[j], updatedAt[j] = timeParam(r.CreatedAt), timeParam(r.UpdatedAt)
	}
	out := []any{personIDs}
	for _, c := range text {
		out = append(out, c)
	}
	return append(out, createdAt, updatedAt), nil
}

var recordCopyColumns = []string{"person_id", "system", "system_id", "email", "email_key", "first_name", "last_name",
	"title", "phone", "account_id", "country", "region", "traits", "created_at", "updated_at"}

// recordSource streams new records to COPY. pgx encodes the rows in a
// goroutine of its own while the server is already inserting, so the
// client's work overlaps the server's, and COPY inserts rows a page at a
// time rather than one by one.
type recordSource struct {
	rows []foundation.Record
	idx  []int
	l    *linker
	pos  int
	vals [15]any
	err  error
}

func (s *recordSource) Next() bool {
	s.pos++
	return s.pos < len(s.idx) && s.err == nil
}

func (s *recordSource) Values() ([]any, error) {
	i := s.idx[s.pos]
	r := s.rows[i]
	t, err := traitsParam(r.Traits)
	if err != nil {
		s.err = fmt.Errorf("record %s %q: %w", r.System, r.SystemID, err)
		return nil, s.err
	}
	var account any
	if r.AccountID != "" {
		account = r.AccountID
	}
	s.vals = [15]any{s.l.personOf(i), r.System, r.SystemID, r.Email, s.l.emailKeys[i], r.FirstName, r.LastName,
		r.Title, r.Phone, account, r.Country, r.Region, t, timeParam(r.CreatedAt), timeParam(r.UpdatedAt)}
	return s.vals[:], nil
}

func (s *recordSource) Err() error { return s.err }

// sqlChangedRecords numbers the known records whose row differs from the stored one.
const sqlChangedRecords = `
		SELECT v.n FROM unnest($1::int8[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
		                       $8::text[], $9::text[], $10::text[], $11::text[], $12::text[], $13::text[],
		                       $14::timestamptz[], $15::timestamptz[])
		     WITH ORDINALITY AS v(person_id, system, system_id, email, email_key, first_name, last_name, title,
		                          phone, account_id, country, region, traits, created_at, updated_at, n)
		WHERE (SELECT (r.email, r.first_name, r.last_name, r.title, r.phone, r.account_id, r.country, r.region,
		               r.traits, r.created_at, r.updated_at)
		              IS DISTINCT FROM
		              (v.email, v.first_name, v.last_name, v.title, v.phone, NULLIF(v.account_id, ''), v.country,
		               v.region, v.traits::jsonb, v.created_at, v.updated_at)
		       FROM records r WHERE r.system_id = v.system_id AND r.system = v.system)`
