package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"

	"github.com/towerops/tower/internal/foundation"
	"github.com/towerops/tower/internal/store"
)

// ConsentUpsert writes consent facts; natural key (system, system_id,
// email, channel, status, at). A fact naming a record links to it and its
// person, and is rejected when the record does not exist; a fact keyed by
// e-mail links to the lowest-id record of its system with that address, or
// stays unlinked. Links are resolved again on every write, so re-importing
// a suppression list after the people links it.
func (q *queries) ConsentUpsert(ctx context.Context, p *store.ConsentUpsertParams) (*store.UpsertResult, error) {
	rows := make([]foundation.Consent, len(p.Consents))
	var rej rejections
	for i, c := range p.Consents {
		c.Email = foundation.NormalizeEmail(c.Email)
		rows[i] = c
		switch {
		case c.System == "":
			rej.add(i, "system", "the consent fact names no system")
		case c.SystemID == "" && c.Email == "":
			rej.add(i, "email", "a consent fact needs a system_id or a valid e-mail address")
		}
	}
	if len(rows) == 0 {
		return result(0, &rej), nil
	}
	err := q.batch(ctx, "write consent", &rej, func(tx pgx.Tx) error {
		links, err := consentLinks(ctx, tx, rows, &rej)
		if err != nil {
			return err
		}
		keep := lastOf(len(rows), &rej, func(i int) string {
			c := rows[i]
			return c.System + "\x00" + c.SystemID + "\x00" + c.Email + "\x00" + string(c.Channel) + "\x00" +
				string(c.Status) + "\x00" + c.At.UTC().Format("2006-01-02T15:04:05.000000")
		})
		if len(keep) == 0 {
			return nil
		}
		var systems, systemIDs, emails, channels, statuses, reasons []string
		var at []pgtype.Timestamptz
		var recordIDs, personIDs []pgtype.Int8
		for _, i := range keep {
			c := rows[i]
			systems, systemIDs, emails = append(systems, c.System), append(systemIDs, c.SystemID), append(emails, c.Email)
			channels, statuses, reasons = append(channels, string(c.Channel)), append(statuses, string(c.Status)), append(reasons, c.Reason)
			at = append(at, timeParam(c.At))
			l := links[i]
			recordIDs = append(recordIDs, pgtype.Int8{Int64: l.record, Valid: l.record != 0})
			personIDs = append(personIDs, pgtype.Int8{Int64: l.person, Valid: l.person != 0})
		}
		_, err = tx.Exec(ctx, `
			INSERT INTO consent (system, system_id, email, channel, status, reason, at, record_id, person_id)
			SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[],
			                     $7::timestamptz[], $8::int8[], $9::int8[])
			ON CONFLICT (system, system_id, email, channel, status, at) DO UPDATE SET
				reason = excluded.reason, record_id = excluded.record_id, person_id = excluded.person_id`,
			systems, systemIDs, emails, channels, statuses, reasons, at, recordIDs, personIDs)
		return err
	})
	if err != nil {
		return nil, err
	}
	return result(len(rows), &rej), nil
}

// link is the record and person a consent fact resolved to (0 when none).
type link struct{ record, person int64 }

// consentLinks resolves every fact of the batch with two queries — one for
// facts naming a record, one for facts naming an address — and rejects
// facts whose record does not exist.
func consentLinks(ctx context.Context, tx pgx.Tx, rows []foundation.Consent, rej *rejections) (map[int]link, error) {
	var bySys, byMail [2][]string
	for i, c := range rows {
		if rej.has(i) {
			continue
		}
		if c.SystemID != "" {
			bySys[0], bySys[1] = append(bySys[0], c.System), append(bySys[1], c.SystemID)
		} else {
			byMail[0], byMail[1] = append(byMail[0], c.System), append(byMail[1], c.Email)
		}
	}
	found := map[string]link{}
	collect := func(sql string, cols [2][]string) error {
		if len(cols[0]) == 0 {
			return nil
		}
		rows, err := tx.Query(ctx, sql, cols[0], cols[1])
		if err != nil {
			return fmt.Errorf("link consent: %w", err)
		}
		var sys, key string
		var l link
		_, err = pgx.ForEachRow(rows, []any{&sys, &key, &l.record, &l.person}, func() error {
			found[sys+"\x00"+key] = l
			return nil
		})
		if err != nil {
			return fmt.Errorf("link consent: %w", err)
		}
		return nil
	}
	// Keys are prefixed "id:" and "@" so a system_id that happens to look
	// like an address never picks up the other kind of match.
	// One probe per distinct key (see probe.go).
	if err := collect(sqlConsentBySystemID, bySys); err != nil {
		return nil, err
	}
	if err := collect(sqlConsentByEmail, byMail); err != nil {
		return nil, err
	}
	links := make(map[int]link, len(rows))
	for i, c := range rows {
		if rej.has(i) {
			continue
		}
		if c.SystemID != "" {
			l, ok := found[c.System+"\x00id:"+c.SystemID]
			if !ok {
				rej.add(i, "system_id", fmt.Sprintf("no %s record with id %q; import its people.csv rows first", c.System, c.SystemID))
				continue
			}
			links[i] = l
			continue
		}
		links[i] = found[c.System+"\x00@"+c.Email]
	}
	return links, nil
}

// sqlConsentBySystemID probes the record a consent fact names.
const sqlConsentBySystemID = `
		SELECT k.system, 'id:' || k.system_id, r.id, r.person_id
		FROM (SELECT DISTINCT * FROM unnest($1::text[], $2::text[])) AS k(system, system_id)
		CROSS JOIN LATERAL (SELECT r.id, r.person_id FROM records r
		                    WHERE r.system_id = k.system_id AND r.system = k.system LIMIT 1) r`

// sqlConsentByEmail probes the lowest-id record of a system with an address.
const sqlConsentByEmail = `
		SELECT k.system, '@' || k.email, r.id, r.person_id
		FROM (SELECT DISTINCT * FROM unnest($1::text[], $2::text[])) AS k(system, email)
		CROSS JOIN LATERAL (SELECT r.id, r.person_id FROM records r
		                    WHERE r.email_key = k.email AND r.system = k.system ORDER BY r.id + 0 LIMIT 1) r`
