package storetest

import (
	"fmt"
	"testing"
	"time"

	"github.com/towerops/tower/internal/foundation"
	"github.com/towerops/tower/internal/store"
)

// seedActivity stores three people (ana, bo, cy) and events for ana and bo
// at day 1 … day n of March 2025 (ana 5 days, bo 2 days, cy none), plus
// an anonymous event. It returns the person ids by e-mail user part.
func seedActivity(t *testing.T, s store.Store) map[string]int64 {
	t.Helper()
	mustWrite(t, 3)(s.RecordsUpsert(ctx(t), &store.RecordsUpsertParams{Records: []foundation.Record{
		{System: "crm", SystemID: "c1", Email: "ana@x.test"},
		{System: "crm", SystemID: "c2", Email: "bo@x.test"},
		{System: "crm", SystemID: "c3", Email: "cy@x.test"},
	}}))
	people := map[string]int64{}
	for _, r := range must[[]foundation.Record](t)(s.RecordsList(ctx(t), &store.RecordsListParams{})) {
		people[r.Email[:len(r.Email)-len("@x.test")]] = r.PersonID
	}
	var evs []foundation.Event
	for who, days := range map[string]int{"ana": 5, "bo": 2} {
		for d := 1; d <= days; d++ {
			evs = append(evs, foundation.Event{MessageID: fmt.Sprintf("%s-%d", who, d), Type: "track", Event: "Page Viewed",
				Email: who + "@x.test", Timestamp: time.Date(2025, 3, d, 10, 0, 0, 0, time.UTC)})
		}
	}
	evs = append(evs, foundation.Event{MessageID: "anon", Type: "page", AnonymousID: "x", Timestamp: date(2025, 3, 9)})
	mustWrite(t, len(evs))(s.EventsInsert(ctx(t), &store.EventsInsertParams{Events: evs}))
	return people
}

var activityTests = []test{
	{"LastActivity", func(t *testing.T, s store.Store) {
		p := seedActivity(t, s)
		all := []int64{p["ana"], p["bo"], p["cy"], 999999}
		got := must[map[int64]time.Time](t)(s.LastActivity(ctx(t), &store.LastActivityParams{PersonIDs: all}))
		checkEqual(t, "people with events", len(got), 2)
		checkTime(t, "ana", got[p["ana"]], time.Date(2025, 3, 5, 10, 0, 0, 0, time.UTC))
		checkTime(t, "bo", got[p["bo"]], time.Date(2025, 3, 2, 10, 0, 0, 0, time.UTC))

		// Until is inclusive: an event exactly at Until counts.
		got = must[map[int64]time.Time](t)(s.LastActivity(ctx(t), &store.LastActivityParams{PersonIDs: all,
			Until: time.Date(2025, 3, 3, 10, 0, 0, 0, time.UTC)}))
		checkEqual(t, "people with events by Until", len(got), 2)
		checkTime(t, "ana by Until", got[p["ana"]], time.Date(2025, 3, 3, 10, 0, 0, 0, time.UTC))
		checkTime(t, "bo by Until", got[p["bo"]], time.Date(2025, 3, 2, 10, 0, 0, 0, time.UTC))
		got = must[map[int64]time.Time](t)(s.LastActivity(ctx(t), &store.LastActivityParams{PersonIDs: all,
			Until: time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC)}))
		checkEqual(t, "before any event", len(got), 0)
		got = must[map[int64]time.Time](t)(s.LastActivity(ctx(t), &store.LastActivityParams{}))
		checkEqual(t, "no ids", len(got), 0)
	}},
	{"LastActivityManyIDs", func(t *testing.T, s store.Store) {
		p := seedActivity(t, s)
		// Thousands of ids in one call (most unknown) are answered whole.
		ids := make([]int64, 0, 12000)
		for i := range int64(12000) {
			ids = append(ids, 100000+i)
		}
		ids = append(ids, p["bo"])
		got := must[map[int64]time.Time](t)(s.LastActivity(ctx(t), &store.LastActivityParams{PersonIDs: ids}))
		checkEqual(t, "found", len(got), 1)
		checkTime(t, "bo", got[p["bo"]], time.Date(2025, 3, 2, 10, 0, 0, 0, time.UTC))
	}},
	{"EventsListUntil", func(t *testing.T, s store.Store) {
		p := seedActivity(t, s)
		got := must[[]foundation.Event](t)(s.EventsList(ctx(t), &store.EventsListParams{PersonID: p["ana"],
			Since: time.Date(2025, 3, 2, 10, 0, 0, 0, time.UTC), Until: time.Date(2025, 3, 4, 10, 0, 0, 0, time.UTC)}))
		checkEqual(t, "ana 2–4 March, both ends inclusive", ids(got, func(e foundation.Event) string { return e.MessageID }),
			[]string{"ana-2", "ana-3", "ana-4"})
		got = must[[]foundation.Event](t)(s.EventsList(ctx(t), &store.EventsListParams{Until: time.Date(2025, 3, 1, 23, 0, 0, 0, time.UTC)}))
		checkEqual(t, "everyone until 1 March", len(got), 2)
	}},
	{"ConsentListUntil", func(t *testing.T, s store.Store) {
		mustWrite(t, 1)(s.RecordsUpsert(ctx(t), &store.RecordsUpsertParams{Records: []foundation.Record{
			{System: "crm", SystemID: "c1", Email: "ana@x.test"}}}))
		facts := []foundation.Consent{
			{System: "crm", SystemID: "c1", Channel: foundation.ChannelEmail, Status: foundation.StatusSubscribed, At: date(2024, 1, 1)},
			{System: "crm", SystemID: "c1", Channel: foundation.ChannelEmail, Status: foundation.StatusUnsubscribed, At: date(2024, 6, 1)},
			{System: "crm", SystemID: "c1", Channel: foundation.ChannelEmail, Status: foundation.StatusSubscribed, At: date(2025, 1, 1)},
		}
		mustWrite(t, 3)(s.ConsentUpsert(ctx(t), &store.ConsentUpsertParams{Consents: facts}))
		got := must[[]foundation.Consent](t)(s.ConsentList(ctx(t), &store.ConsentListParams{Until: date(2024, 6, 1)}))
		checkEqual(t, "statuses until 1 June 2024", ids(got, func(c foundation.Consent) string { return string(c.Status) }),
			[]string{"subscribed", "unsubscribed"})
		got = must[[]foundation.Consent](t)(s.ConsentList(ctx(t), &store.ConsentListParams{Until: date(2023, 1, 1)}))
		checkEqual(t, "before any fact", len(got), 0)
		checkEqual(t, "no Until", len(must[[]foundation.Consent](t)(s.ConsentList(ctx(t), &store.ConsentListParams{}))), 3)
	}},
}
