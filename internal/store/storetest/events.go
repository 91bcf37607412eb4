package storetest

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/towerops/tower/internal/foundation"
	"github.com/towerops/tower/internal/store"
)

var eventTests = []test{
	{"RoundTrip", func(t *testing.T, s store.Store) {
		ts := time.Date(2025, 5, 3, 10, 0, 0, 123456789, time.FixedZone("PDT", -7*3600))
		ev := foundation.Event{MessageID: "m-1", Type: "track", UserID: "u1", AnonymousID: "anon-1", Event: "Pricing Viewed",
			Name: "Pricing", GroupID: "A-001", PreviousID: "old-1", Email: "ana@x.test",
			Properties: json.RawMessage(`{"plan": "pro", "price": 49.5, "items": [1, {"a": null}], "ok": true}`),
			Traits:     json.RawMessage(`{"email":"ana@x.test"}`),
			Context:    json.RawMessage(`{"ip":"203.0.113.9","library":{"name":"analytics-node","version":"1.0"}}`),
			Timestamp:  ts, ReceivedAt: ts.Add(1500 * time.Millisecond)}
		bare := foundation.Event{MessageID: "m-2", Type: "identify", AnonymousID: "anon-2", Timestamp: ts.Add(time.Second)}
		mustWrite(t, 2)(s.EventsInsert(ctx(t), &store.EventsInsertParams{Events: []foundation.Event{ev, bare}}))
		got := must[[]foundation.Event](t)(s.EventsList(ctx(t), &store.EventsListParams{}))
		if len(got) != 2 {
			t.Fatalf("EventsList: %d", len(got))
		}
		for i, w := range []foundation.Event{ev, bare} {
			g := got[i]
			if g.ID == 0 {
				t.Errorf("event %s: ID not set", g.MessageID)
			}
			checkJSON(t, "Properties", g.Properties, w.Properties)
			checkJSON(t, "Traits", g.Traits, w.Traits)
			checkJSON(t, "Context", g.Context, w.Context)
			checkTime(t, "Timestamp", g.Timestamp, w.Timestamp)
			checkTime(t, "ReceivedAt", g.ReceivedAt, w.ReceivedAt)
			g.ID, g.Properties, g.Traits, g.Context, g.Timestamp, g.ReceivedAt = 0, nil, nil, nil, time.Time{}, time.Time{}
			w.Properties, w.Traits, w.Context, w.Timestamp, w.ReceivedAt = nil, nil, nil, time.Time{}, time.Time{}
			checkEqual(t, "event", g, w)
		}
	}},
	{"DedupeByMessageID", func(t *testing.T, s store.Store) {
		ts := date(2025, 1, 1)
		batch := []foundation.Event{
			{MessageID: "m-1", Type: "track", Event: "A", Timestamp: ts},
			{MessageID: "m-2", Type: "track", Event: "B", Timestamp: ts},
			{MessageID: "m-1", Type: "track", Event: "A again", Timestamp: ts}, // repeated within the batch
		}
		res := must[*store.UpsertResult](t)(s.EventsInsert(ctx(t), &store.EventsInsertParams{Events: batch}))
		checkEqual(t, "first Written/Duplicates", [2]int{res.Written, res.Duplicates}, [2]int{2, 1})
		res = must[*store.UpsertResult](t)(s.EventsInsert(ctx(t), &store.EventsInsertParams{Events: batch}))
		checkEqual(t, "second Written/Duplicates", [2]int{res.Written, res.Duplicates}, [2]int{0, 3})
		res = must[*store.UpsertResult](t)(s.EventsInsert(ctx(t), &store.EventsInsertParams{Events: []foundation.Event{
			{MessageID: "m-2", Type: "track", Event: "B", Timestamp: ts},
			{MessageID: "m-3", Type: "page", Name: "Home", Timestamp: ts},
		}}))
		checkEqual(t, "mixed Written/Duplicates", [2]int{res.Written, res.Duplicates}, [2]int{1, 1})
		checkEqual(t, "Counts.Events", counts(t, s).Events, int64(3))
		got := must[[]foundation.Event](t)(s.EventsList(ctx(t), &store.EventsListParams{Event: "A"}))
		if len(got) != 1 || got[0].MessageID != "m-1" {
			t.Errorf("first copy of m-1 not kept: %+v", got)
		}
	}},
	{"LinkByEmailThenUserID", func(t *testing.T, s store.Store) {
		mustWrite(t, 2)(s.RecordsUpsert(ctx(t), &store.RecordsUpsertParams{Records: []foundation.Record{
			{System: "crm", SystemID: "c1", Email: "ana@x.test"},
			{System: "app", SystemID: "88213", Email: "bo@x.test"},
		}}))
		recs := must[[]foundation.Record](t)(s.RecordsList(ctx(t), &store.RecordsListParams{}))
		bo, ana := recs[0].PersonID, recs[1].PersonID // app/88213 sorts before crm/c1
		ts := date(2025, 2, 1)
		mustWrite(t, 5)(s.EventsInsert(ctx(t), &store.EventsInsertParams{Events: []foundation.Event{
			{MessageID: "by-email", Type: "identify", Email: "ana@x.test", Timestamp: ts},
			{MessageID: "by-user-id", Type: "track", Event: "x", UserID: "88213", Email: "nobody@x.test", Timestamp: ts},
			{MessageID: "email-first", Type: "track", Event: "x", UserID: "88213", Email: "ana@x.test", Timestamp: ts},
			{MessageID: "unknown-user", Type: "track", Event: "x", UserID: "u-404", Timestamp: ts},
			{MessageID: "anonymous", Type: "page", AnonymousID: "anon-1", Timestamp: ts},
		}}))
		got := must[[]foundation.Event](t)(s.EventsList(ctx(t), &store.EventsListParams{}))
		link := map[string]int64{}
		for _, e := range got {
			link[e.MessageID] = e.PersonID
		}
		checkEqual(t, "links", link, map[string]int64{
			"by-email": ana, "by-user-id": bo, "email-first": ana, "unknown-user": 0, "anonymous": 0})
	}},
	{"ListOrderAndFilters", func(t *testing.T, s store.Store) {
		mustWrite(t, 1)(s.RecordsUpsert(ctx(t), &store.RecordsUpsertParams{Records: []foundation.Record{{System: "crm", SystemID: "c1", Email: "ana@x.test"}}}))
		person := must[[]foundation.Record](t)(s.RecordsList(ctx(t), &store.RecordsListParams{}))[0].PersonID
		t0 := time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
		mustWrite(t, 5)(s.EventsInsert(ctx(t), &store.EventsInsertParams{Events: []foundation.Event{
			{MessageID: "e3", Type: "track", Event: "Signup", Email: "ana@x.test", Timestamp: t0.Add(2 * time.Hour)},
			{MessageID: "e1", Type: "page", Name: "Home", Timestamp: t0},
			{MessageID: "e2", Type: "track", Event: "Signup", Timestamp: t0.Add(time.Hour)},
			{MessageID: "e5", Type: "identify", Email: "ana@x.test", Timestamp: t0.Add(3 * time.Hour)},
			{MessageID: "e4", Type: "track", Event: "Pricing Viewed", Email: "ana@x.test", Timestamp: t0.Add(2 * time.Hour)},
		}}))
		key := func(e foundation.Event) string { return e.MessageID }
		list := func(p store.EventsListParams) []string {
			return ids(must[[]foundation.Event](t)(s.EventsList(ctx(t), &p)), key)
		}
		// e3 and e4 share a timestamp: id (batch order) breaks the tie.
		checkEqual(t, "order (timestamp, id)", list(store.EventsListParams{}), []string{"e1", "e2", "e3", "e4", "e5"})
		checkEqual(t, "PersonID", list(store.EventsListParams{PersonID: person}), []string{"e3", "e4", "e5"})
		checkEqual(t, "Type", list(store.EventsListParams{Type: "track"}), []string{"e2", "e3", "e4"})
		checkEqual(t, "Event", list(store.EventsListParams{Event: "Signup"}), []string{"e2", "e3"})
		checkEqual(t, "Since inclusive", list(store.EventsListParams{Since: t0.Add(2 * time.Hour)}), []string{"e3", "e4", "e5"})
		checkEqual(t, "Since in another zone", list(store.EventsListParams{Since: t0.Add(2 * time.Hour).In(time.FixedZone("X", 5*3600))}), []string{"e3", "e4", "e5"})
		checkEqual(t, "PersonID+Type+Since", list(store.EventsListParams{PersonID: person, Type: "track", Since: t0.Add(time.Minute)}), []string{"e3", "e4"})
		checkEqual(t, "page", list(store.EventsListParams{Page: store.Page{Limit: 2, Offset: 1}}), []string{"e2", "e3"})
	}},
}
