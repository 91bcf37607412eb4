package postgres

import (
	"bytes"
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"

	"github.com/towerops/tower/internal/foundation"
	"github.com/towerops/tower/internal/store"
)

// EventsIngest stores what the collector received in one transaction:
// it drops duplicates, looks up everything the fresh messages name in a
// few set-wise queries, applies the messages in order against those
// lookups (ingestRun), and then writes the outcome — people, links of
// stored events, identities, the events themselves.
//
// Nodes sharing the database may ingest the same message, or create the
// same person or identity, at once: the plain INSERTs then hit a unique
// index, and the batch runs again (see batch) and finds what the other
// node committed — the message is then a duplicate, never stored twice.
func (q *queries) EventsIngest(ctx context.Context, p *store.EventsIngestParams) (*store.EventsIngestResult, error) {
	es := p.Events
	ids := make([]string, len(es))
	for i := range es {
		if es[i].MessageID == "" {
			// The collector gives every message an id; without one a
			// retried delivery would be stored twice.
			return nil, fmt.Errorf("save events: event %d has no messageId", i)
		}
		ids[i] = es[i].MessageID
	}
	res := &store.EventsIngestResult{}
	err := q.batch(ctx, "save events", nil, func(tx pgx.Tx) error {
		*res = store.EventsIngestResult{Outcomes: make([]store.EventOutcome, len(es))}
		fresh, err := freshEvents(ctx, tx, ids, res)
		if err != nil {
			return err
		}
		if len(fresh) == 0 {
			return nil
		}
		run, err := newIngestRun(ctx, tx, es, fresh, res)
		if err != nil {
			return err
		}
		if err := run.apply(ctx); err != nil {
			return err
		}
		if err := run.writePeople(ctx); err != nil {
			return err
		}
		if err := writeIngested(ctx, tx, es, fresh, run.person, run.emails); err != nil {
			return err
		}
		res.Stored = len(fresh)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return res, nil
}

// freshEvents sets every outcome and returns the indexes of the events to
// store, in order: not stored yet, and first in the call with their id.
func freshEvents(ctx context.Context, tx pgx.Tx, ids []string, res *store.EventsIngestResult) ([]int, error) {
	rows, err := tx.Query(ctx, `SELECT k.m FROM unnest($1::text[]) AS k(m)
		WHERE EXISTS (SELECT 1 FROM events e WHERE e.message_id = k.m)`, ids)
	if err != nil {
		return nil, fmt.Errorf("find stored events: %w", err)
	}
	found, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, fmt.Errorf("find stored events: %w", err)
	}
	seen := make(map[string]bool, len(ids))
	for _, id := range found {
		seen[id] = true
	}
	fresh := make([]int, 0, len(ids))
	for i, id := range ids {
		if seen[id] {
			res.Outcomes[i] = store.EventDuplicate
			res.Duplicates++
			continue
		}
		seen[id] = true
		res.Outcomes[i] = store.EventStored
		fresh = append(fresh, i)
	}
	return fresh, nil
}

// writeIngested inserts the fresh events with their people, one array
// per column in one statement. The JSON is the collector's, already
// checked to be objects, so it goes in as it came.
func writeIngested(ctx context.Context, tx pgx.Tx, es []foundation.Event, fresh []int, person []int64, emails []string) error {
	n := len(fresh)
	var c [10][]string // message_id, type, user_id, anonymous_id, event, name, group_id, previous_id, email, source
	for k := range c {
		c[k] = make([]string, 0, n)
	}
	var js [3][]*string
	for k := range js {
		js[k] = make([]*string, 0, n)
	}
	ts, received := make([]pgtype.Timestamptz, 0, n), make([]pgtype.Timestamptz, 0, n)
	people := make([]pgtype.Int8, 0, n)
	for _, i := range fresh {
		e := &es[i]
		for k, v := range [10]string{e.MessageID, string(e.Type), e.UserID, e.AnonymousID, e.Event, e.Name, e.GroupID,
			e.PreviousID, emails[i], e.Source} {
			c[k] = append(c[k], v)
		}
		for k, raw := range [3][]byte{e.Properties, e.Traits, e.Context} {
			js[k] = append(js[k], jsonParam(raw))
		}
		ts, received = append(ts, timeParam(e.Timestamp)), append(received, timeParam(e.ReceivedAt))
		people = append(people, pgtype.Int8{Int64: person[i], Valid: person[i] != 0})
	}
	_, err := tx.Exec(ctx, `
		INSERT INTO events (message_id, type, user_id, anonymous_id, event, name, group_id, previous_id, email, source,
		                    properties, traits, context, timestamp, received_at, person_id)
		SELECT message_id, type, user_id, anonymous_id, event, name, group_id, previous_id, email, source,
		       properties::jsonb, traits::jsonb, context::jsonb, ts, received_at, person_id
		FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
		            $8::text[], $9::text[], $10::text[], $11::text[], $12::text[], $13::text[], $14::timestamptz[],
		            $15::timestamptz[], $16::int8[])
		     AS v(message_id, type, user_id, anonymous_id, event, name, group_id, previous_id, email, source,
		          properties, traits, context, ts, received_at, person_id)`,
		c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7], c[8], c[9], js[0], js[1], js[2], ts, received, people)
	if err != nil {
		return fmt.Errorf("write events: %w", err)
	}
	return nil
}

// jsonParam is a JSON object as text; empty or null is NULL.
func jsonParam(raw []byte) *string {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return nil
	}
	s := string(raw)
	return &s
}
