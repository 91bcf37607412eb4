package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/towerops/tower/internal/foundation"
	"github.com/towerops/tower/internal/store"
)

var eventsInsert = upsert{
	table: "events",
	cols: []string{"message_id", "type", "user_id", "anonymous_id", "event", "name", "group_id", "previous_id",
		"email", "properties", "traits", "context", "timestamp", "received_at", "person_id"},
}

// EventsInsert skips events whose message id is stored (or repeated in
// the batch), links the rest to a person by e-mail, else by userId as a
// record's system_id, and inserts them.
func (q *queries) EventsInsert(ctx context.Context, p *store.EventsInsertParams) (*store.UpsertResult, error) {
	es := p.Events
	res := &store.UpsertResult{}
	err := q.writeTx(ctx, func(tx *sql.Tx) error {
		ids := make([]string, len(es))
		for i, e := range es {
			ids[i] = e.MessageID
		}
		stored, err := existing(ctx, tx, "SELECT message_id FROM events WHERE message_id IN (%s)", distinct(ids))
		if err != nil {
			return fmt.Errorf("find stored events: %w", err)
		}
		var fresh []int
		emails := make([]string, len(es))
		var emailKeys, userIDs []string
		for i, e := range es {
			if e.MessageID == "" {
				// The message id is the dedupe key: without one a retried
				// delivery would be stored twice.
				res.Rejected = append(res.Rejected, store.Rejection{Index: i, Field: "message_id",
					Reason: "the event has no messageId"})
				continue
			}
			if stored[e.MessageID] {
				res.Duplicates++
				continue
			}
			stored[e.MessageID] = true
			fresh = append(fresh, i)
			emails[i] = foundation.NormalizeEmail(e.Email)
			if emails[i] != "" {
				emailKeys = append(emailKeys, emails[i])
			}
			if e.UserID != "" {
				userIDs = append(userIDs, e.UserID)
			}
		}
		byEmail, byUserID, err := eventPeople(ctx, tx, distinct(emailKeys), distinct(userIDs))
		if err != nil {
			return err
		}
		rows := make([][]any, 0, len(fresh))
		for _, i := range fresh {
			e := es[i]
			person := byEmail[emails[i]]
			if person == 0 && e.UserID != "" {
				person = byUserID[e.UserID]
			}
			props, err1 := encJSON("properties", e.Properties)
			traits, err2 := encJSON("traits", e.Traits)
			evctx, err3 := encJSON("context", e.Context)
			if err := errors.Join(err1, err2, err3); err != nil {
				return fmt.Errorf("event %q: %w", e.MessageID, err)
			}
			rows = append(rows, []any{e.MessageID, string(e.Type), e.UserID, e.AnonymousID, e.Event, e.Name, e.GroupID,
				e.PreviousID, emails[i], props, traits, evctx, encTime(e.Timestamp), encTime(e.ReceivedAt), nullID(person)})
		}
		if err := eventsInsert.exec(ctx, tx, rows); err != nil {
			return err
		}
		res.Written = len(rows)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("save events: %w", err)
	}
	return res, nil
}

// eventPeople finds the people events link to: the lowest-id unmerged
// person per e-mail, and the person of the lowest-id record per system_id.
func eventPeople(ctx context.Context, tx *sql.Tx, emails, userIDs []string) (byEmail, byUserID map[string]int64, err error) {
	byEmail, byUserID = map[string]int64{}, map[string]int64{}
	scanInto := func(m map[string]int64) func(*sql.Rows) error {
		return func(r *sql.Rows) error {
			var k string
			var id int64
			if err := r.Scan(&k, &id); err != nil {
				return err
			}
			m[k] = id
			return nil
		}
	}
	keys := make([]string, len(emails))
	for i, e := range emails {
		keys[i] = "email:" + e
	}
	// Most people are found by key; people_email_late holds the rest.
	for _, q := range []struct {
		sql  string
		keys []string
	}{
		{`SELECT substr(key, 7), id FROM people WHERE key IN (%s) AND merged_into IS NULL`, keys},
		{`SELECT email, id FROM people WHERE email IN (%s) AND substr(key, 1, 6) <> 'email:' AND email <> ''
			AND merged_into IS NULL`, emails},
	} {
		err = lookup(ctx, tx, q.sql, q.keys, nil, func(r *sql.Rows) error {
			var e string
			var id int64
			if err := r.Scan(&e, &id); err != nil {
				return err
			}
			if old, ok := byEmail[e]; !ok || id < old {
				byEmail[e] = id
			}
			return nil
		})
		if err != nil {
			return nil, nil, fmt.Errorf("find people by e-mail: %w", err)
		}
	}
	err = lookup(ctx, tx, `SELECT system_id, person_id FROM records WHERE system_id IN (%s) ORDER BY id DESC`,
		userIDs, nil, scanInto(byUserID))
	if err != nil {
		return nil, nil, fmt.Errorf("find people by user id: %w", err)
	}
	return byEmail, byUserID, nil
}

const eventCols = `id, message_id, type, user_id, anonymous_id, event, name, group_id, previous_id, email,
	properties, traits, context, timestamp, received_at, coalesce(person_id, 0), source`

func scanEvent(r *sql.Rows) (foundation.Event, error) {
	var e foundation.Event
	var typ string
	var props, traits, evctx, ts, received sql.NullString
	if err := r.Scan(&e.ID, &e.MessageID, &typ, &e.UserID, &e.AnonymousID, &e.Event, &e.Name, &e.GroupID,
		&e.PreviousID, &e.Email, &props, &traits, &evctx, &ts, &received, &e.PersonID, &e.Source); err != nil {
		return e, err
	}
	e.Type = foundation.EventType(typ)
	e.Properties, e.Traits, e.Context = decJSON(props), decJSON(traits), decJSON(evctx)
	var err1, err2 error
	e.Timestamp, err1 = decTime(ts)
	e.ReceivedAt, err2 = decTime(received)
	return e, errors.Join(err1, err2)
}

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
		w.add("timestamp >= ?", encTime(p.Since))
	}
	if !p.Until.IsZero() {
		w.add("timestamp <= ?", encTime(p.Until))
	}
	out, err := list(ctx, q.read, scanEvent,
		"SELECT "+eventCols+" FROM events"+w.String()+" ORDER BY timestamp, id LIMIT ? OFFSET ?", w.page(p.Page)...)
	if err != nil {
		return nil, fmt.Errorf("list events: %w", err)
	}
	return out, nil
}
