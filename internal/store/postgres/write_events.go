package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"

	"github.com/towerops/tower/internal/foundation"
	"github.com/towerops/tower/internal/store"
)

// EventsInsert stores new events, with their e-mail normalised; natural
// key message_id. An event whose message id is already stored — or
// appeared earlier in the batch — is a duplicate: counted, not written.
// New events link to the lowest-id unmerged person with their e-mail, else
// to the person of the lowest-id record whose system_id is their userId,
// else to nobody.
func (q *queries) EventsInsert(ctx context.Context, p *store.EventsInsertParams) (*store.UpsertResult, error) {
	rows := p.Events
	var rej rejections
	seen := make(map[string]bool, len(rows))
	var fresh []int // first occurrence of each message id, in batch order
	for i, e := range rows {
		switch {
		case e.MessageID == "":
			rej.add(i, "message_id", "the event has no messageId")
		case !seen[e.MessageID]:
			seen[e.MessageID] = true
			fresh = append(fresh, i)
		}
	}
	res := &store.UpsertResult{Rejected: rej.sorted()}
	if len(fresh) == 0 {
		res.Duplicates = len(rows) - len(rej.list)
		return res, nil
	}
	err := q.batch(ctx, "write events", &rej, func(tx pgx.Tx) error {
		people, err := eventPeople(ctx, tx, rows, fresh)
		if err != nil {
			return err
		}
		n := len(fresh)
		var c [9][]string // message_id, type, user_id, anonymous_id, event, name, group_id, previous_id, email
		var js [3][]*string
		ts, received := make([]pgtype.Timestamptz, 0, n), make([]pgtype.Timestamptz, 0, n)
		personIDs := make([]pgtype.Int8, 0, n)
		for _, i := range fresh {
			e := rows[i]
			for k, v := range []string{e.MessageID, string(e.Type), e.UserID, e.AnonymousID, e.Event, e.Name, e.GroupID, e.PreviousID,
				foundation.NormalizeEmail(e.Email)} {
				c[k] = append(c[k], v)
			}
			js[0], js[1], js[2] = append(js[0], rawParam(e.Properties)), append(js[1], rawParam(e.Traits)), append(js[2], rawParam(e.Context))
			ts, received = append(ts, timeParam(e.Timestamp)), append(received, timeParam(e.ReceivedAt))
			id := people[i]
			personIDs = append(personIDs, pgtype.Int8{Int64: id, Valid: id != 0})
		}
		tag, err := tx.Exec(ctx, `
			INSERT INTO events (message_id, type, user_id, anonymous_id, event, name, group_id, previous_id, email,
			                    properties, traits, context, timestamp, received_at, person_id)
			SELECT message_id, type, user_id, anonymous_id, event, name, group_id, previous_id, email,
			       properties::jsonb, traits::jsonb, context::jsonb, ts, received_at, person_id
			FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
			            $8::text[], $9::text[], $10::text[], $11::text[], $12::text[], $13::timestamptz[],
			            $14::timestamptz[], $15::int8[])
			     AS v(message_id, type, user_id, anonymous_id, event, name, group_id, previous_id, email,
			          properties, traits, context, ts, received_at, person_id)
			ON CONFLICT (message_id) DO NOTHING`,
			c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7], c[8], js[0], js[1], js[2], ts, received, personIDs)
		if err != nil {
			return err
		}
		res.Written = int(tag.RowsAffected())
		return nil
	})
	if err != nil {
		return nil, err
	}
	res.Duplicates = len(rows) - len(rej.list) - res.Written
	return res, nil
}

// eventPeople resolves the person of each fresh event, by e-mail first and
// then by userId, with one query for each.
func eventPeople(ctx context.Context, tx pgx.Tx, rows []foundation.Event, fresh []int) (map[int]int64, error) {
	var emails, users []string
	for _, i := range fresh {
		if e := foundation.NormalizeEmail(rows[i].Email); e != "" {
			emails = append(emails, e)
		}
		if rows[i].UserID != "" {
			users = append(users, rows[i].UserID)
		}
	}
	// One probe per distinct key (see probe.go for "id + 0").
	byEmail, err := lookup(ctx, tx, sqlEventPeopleByEmail, emails)
	if err != nil {
		return nil, fmt.Errorf("link events by e-mail: %w", err)
	}
	byUser, err := lookup(ctx, tx, sqlEventPeopleByUserID, users)
	if err != nil {
		return nil, fmt.Errorf("link events by userId: %w", err)
	}
	out := make(map[int]int64, len(fresh))
	for _, i := range fresh {
		if id := byEmail[foundation.NormalizeEmail(rows[i].Email)]; id != 0 {
			out[i] = id
		} else if id := byUser[rows[i].UserID]; id != 0 && rows[i].UserID != "" {
			out[i] = id
		}
	}
	return out, nil
}

// lookup runs a query of (text, bigint or NULL) rows for the distinct
// keys of a list and returns the non-NULL ones as a map; no keys, no query.
func lookup(ctx context.Context, tx pgx.Tx, sql string, keys []string) (map[string]int64, error) {
	out := map[string]int64{}
	seen := map[string]bool{}
	var distinct []string
	for _, k := range keys {
		if !seen[k] {
			seen[k] = true
			distinct = append(distinct, k)
		}
	}
	if len(distinct) == 0 {
		return out, nil
	}
	rows, err := tx.Query(ctx, sql, distinct)
	if err != nil {
		return nil, err
	}
	var k string
	var v pgtype.Int8
	_, err = pgx.ForEachRow(rows, []any{&k, &v}, func() error {
		if v.Valid {
			out[k] = v.Int64
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// sqlEventPeopleByEmail probes the lowest-id unmerged person with an address.
const sqlEventPeopleByEmail = `
		SELECT k.e, (SELECT p.id FROM people p WHERE p.email = k.e AND p.merged_into IS NULL ORDER BY p.id + 0 LIMIT 1)
		FROM unnest($1::text[]) AS k(e)`

// sqlEventPeopleByUserID probes the person of the lowest-id record with a system_id.
const sqlEventPeopleByUserID = `
		SELECT k.u, (SELECT r.person_id FROM records r WHERE r.system_id = k.u ORDER BY r.id + 0 LIMIT 1)
		FROM unnest($1::text[]) AS k(u)`
