package sqlite

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"time"
)

var identitiesInsert = upsert{table: "identities", cols: []string{"id", "person_id", "kind", "created_at"}}

// writePeople writes what the run changed, before the events themselves:
// the people created or changed, then stored events without a person
// that carry a newly linked id get that person (the call's own events
// already have theirs), then the new identities.
func (r *ingestRun) writePeople(ctx context.Context) error {
	if len(r.links) == 0 && len(r.people) == 0 {
		return nil
	}
	now := encTime(time.Now())
	ids := slices.Sorted(maps.Keys(r.people))
	for _, id := range ids {
		p := r.people[id]
		if !p.changed {
			continue
		}
		traits, err := encodeTraits(p.traits)
		if err != nil {
			return fmt.Errorf("person %d: %w", p.id, err)
		}
		if p.created {
			_, err = r.tx.ExecContext(ctx, `INSERT INTO people (id, key, email, first_name, last_name, account_id,
				traits, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
				p.id, p.key, p.email, p.first, p.last, nullStr(p.account), traits, now, now)
		} else {
			_, err = r.tx.ExecContext(ctx, `UPDATE people SET email = ?, account_id = ?, traits = ?, updated_at = ?
				WHERE id = ?`, p.email, nullStr(p.account), traits, now, p.id)
		}
		if err != nil {
			return fmt.Errorf("save person %d: %w", p.id, err)
		}
	}
	if err := r.linkStored(ctx); err != nil {
		return err
	}
	rows := make([][]any, len(r.links))
	for n, l := range r.links {
		rows[n] = []any{l.id, l.person, l.kind, now}
	}
	if err := identitiesInsert.exec(ctx, r.tx, rows); err != nil {
		return err
	}
	return nil
}

// linkStored gives stored events without a person the person their
// userId or anonymousId was linked to. The statements spell out the
// partial index conditions so SQLite uses events_unlinked_user and
// events_unlinked_anonymous.
func (r *ingestRun) linkStored(ctx context.Context) error {
	if len(r.links) == 0 {
		return nil
	}
	for _, query := range []string{
		`UPDATE events SET person_id = ? WHERE user_id = ? AND user_id <> '' AND person_id IS NULL`,
		`UPDATE events SET person_id = ? WHERE anonymous_id = ? AND anonymous_id <> '' AND person_id IS NULL`,
	} {
		stmt, err := r.tx.PrepareContext(ctx, query)
		if err != nil {
			return fmt.Errorf("link stored events: %w", err)
		}
		for _, l := range r.links {
			res, err := stmt.ExecContext(ctx, l.person, l.id)
			if err != nil {
				stmt.Close()
				return fmt.Errorf("link stored events of %q: %w", l.id, err)
			}
			n, _ := res.RowsAffected()
			r.res.EventsLinked += int(n)
		}
		stmt.Close()
	}
	return nil
}

// encodeTraits stores traits as one JSON object with sorted keys; none is NULL.
func encodeTraits(t map[string]json.RawMessage) (any, error) {
	if len(t) == 0 {
		return nil, nil
	}
	b, err := json.Marshal(t)
	if err != nil {
		return nil, err
	}
	return string(b), nil
}
