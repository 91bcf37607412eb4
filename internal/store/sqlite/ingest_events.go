package sqlite

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"

	"github.com/towerops/tower/internal/foundation"
	"github.com/towerops/tower/internal/store"
)

// eventsIngestInsert is eventsInsert with the sending source.
var eventsIngestInsert = upsert{
	table: "events",
	cols: []string{"message_id", "type", "user_id", "anonymous_id", "event", "name", "group_id", "previous_id",
		"email", "properties", "traits", "context", "timestamp", "received_at", "person_id", "source"},
}

// EventsIngest stores what the collector received in one transaction:
// it drops duplicates, looks up everything the fresh messages name in a
// few set-wise queries, applies the messages in order against those
// lookups (ingestRun), and then writes the outcome — links of stored
// events, identities, people, the events themselves — in bulk.
func (q *queries) EventsIngest(ctx context.Context, p *store.EventsIngestParams) (*store.EventsIngestResult, error) {
	es := p.Events
	res := &store.EventsIngestResult{Outcomes: make([]store.EventOutcome, len(es))}
	err := q.writeTx(ctx, func(tx *sql.Tx) error {
		*res = store.EventsIngestResult{Outcomes: res.Outcomes}
		fresh, err := freshEvents(ctx, tx, es, res)
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
		return nil, fmt.Errorf("save events: %w", err)
	}
	return res, nil
}

// freshEvents sets every outcome and returns the indexes of the events to
// store, in order: not stored yet, and first in the call with their id.
func freshEvents(ctx context.Context, tx *sql.Tx, es []foundation.Event, res *store.EventsIngestResult) ([]int, error) {
	ids := make([]string, len(es))
	for i := range es {
		if es[i].MessageID == "" {
			// The collector gives every message an id; without one a
			// retried delivery would be stored twice.
			return nil, fmt.Errorf("event %d has no messageId", i)
		}
		ids[i] = es[i].MessageID
	}
	seen, err := existing(ctx, tx, "SELECT message_id FROM events WHERE message_id IN (%s)", distinct(ids))
	if err != nil {
		return nil, fmt.Errorf("find stored events: %w", err)
	}
	fresh := make([]int, 0, len(es))
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

// writeIngested inserts the fresh events with their people. The JSON is
// the collector's, already checked to be objects, so it is stored as it
// came instead of being parsed again.
func writeIngested(ctx context.Context, tx *sql.Tx, es []foundation.Event, fresh []int, person []int64, emails []string) error {
	rows := make([][]any, len(fresh))
	vals := make([]any, len(fresh)*len(eventsIngestInsert.cols))
	for n, i := range fresh {
		e := &es[i]
		r := vals[n*len(eventsIngestInsert.cols) : (n+1)*len(eventsIngestInsert.cols)]
		r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7] = e.MessageID, string(e.Type), e.UserID, e.AnonymousID,
			e.Event, e.Name, e.GroupID, e.PreviousID
		r[8], r[9], r[10], r[11] = emails[i], rawJSON(e.Properties), rawJSON(e.Traits), rawJSON(e.Context)
		r[12], r[13], r[14], r[15] = encTime(e.Timestamp), encTime(e.ReceivedAt), nullID(person[i]), e.Source
		rows[n] = r
	}
	return eventsIngestInsert.exec(ctx, tx, rows)
}

// rawJSON stores a JSON object as text; empty or null is NULL.
func rawJSON(raw []byte) any {
	if len(raw) == 0 || (len(raw) == 4 && string(raw) == "null") {
		return nil
	}
	if raw = bytes.TrimSpace(raw); len(raw) == 0 {
		return nil
	}
	return string(raw)
}
