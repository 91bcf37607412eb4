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

// writeRecords upserts the last row of each (system, system_id). An
// existing record keeps its person; a row equal to what is stored is not
// rewritten, so re-importing a file leaves no dead rows behind.
func writeRecords(ctx context.Context, tx pgx.Tx, rows []foundation.Record, l *linker) error {
	n := len(l.keep)
	var (
		personIDs                                 = make([]int64, 0, n)
		systems, systemIDs, emails, emailKeys     = make([]string, 0, n), make([]string, 0, n), make([]string, 0, n), make([]string, 0, n)
		firsts, lasts, titles, phones, accountIDs = make([]string, 0, n), make([]string, 0, n), make([]string, 0, n), make([]string, 0, n), make([]string, 0, n)
		countries, regions, traits                = make([]string, 0, n), make([]string, 0, n), make([]string, 0, n)
		createdAt, updatedAt                      = make([]pgtype.Timestamptz, 0, n), make([]pgtype.Timestamptz, 0, n)
	)
	for _, i := range l.keep {
		r := rows[i]
		t, err := traitsParam(r.Traits)
		if err != nil {
			return fmt.Errorf("record %s %q: %w", r.System, r.SystemID, err)
		}
		personIDs = append(personIDs, l.personOf(i))
		systems, systemIDs = append(systems, r.System), append(systemIDs, r.SystemID)
		emails, emailKeys = append(emails, r.Email), append(emailKeys, foundation.NormalizeEmail(r.Email))
		firsts, lasts, titles = append(firsts, r.FirstName), append(lasts, r.LastName), append(titles, r.Title)
		phones, accountIDs = append(phones, r.Phone), append(accountIDs, r.AccountID)
		countries, regions, traits = append(countries, r.Country), append(regions, r.Region), append(traits, t)
		createdAt, updatedAt = append(createdAt, timeParam(r.CreatedAt)), append(updatedAt, timeParam(r.UpdatedAt))
	}
	_, err := tx.Exec(ctx, `
		INSERT INTO records (person_id, system, system_id, email, email_key, first_name, last_name, title,
		                     phone, account_id, country, region, traits, created_at, updated_at)
		SELECT person_id, system, system_id, email, email_key, first_name, last_name, title,
		       phone, NULLIF(account_id, ''), country, region, traits::jsonb, created_at, updated_at
		FROM unnest($1::int8[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
		            $8::text[], $9::text[], $10::text[], $11::text[], $12::text[], $13::text[],
		            $14::timestamptz[], $15::timestamptz[])
		     AS v(person_id, system, system_id, email, email_key, first_name, last_name, title,
		          phone, account_id, country, region, traits, created_at, updated_at)
		ON CONFLICT (system, system_id) DO UPDATE SET
			email = excluded.email, email_key = excluded.email_key, first_name = excluded.first_name,
			last_name = excluded.last_name, title = excluded.title, phone = excluded.phone,
			account_id = excluded.account_id, country = excluded.country, region = excluded.region,
			traits = excluded.traits, created_at = excluded.created_at, updated_at = excluded.updated_at
		WHERE (records.email, records.first_name, records.last_name, records.title, records.phone,
		       records.account_id, records.country, records.region, records.traits,
		       records.created_at, records.updated_at)
		      IS DISTINCT FROM
		      (excluded.email, excluded.first_name, excluded.last_name, excluded.title, excluded.phone,
		       excluded.account_id, excluded.country, excluded.region, excluded.traits,
		       excluded.created_at, excluded.updated_at)`,
		personIDs, systems, systemIDs, emails, emailKeys, firsts, lasts, titles,
		phones, accountIDs, countries, regions, traits, createdAt, updatedAt)
	if err != nil {
		return fmt.Errorf("upsert records: %w", err)
	}
	return nil
}
