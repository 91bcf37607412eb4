package storetest

import (
	"encoding/json"
	"slices"
	"testing"
	"time"

	"github.com/towerops/tower/internal/foundation"
	"github.com/towerops/tower/internal/store"
)

// eventsIngestTests cover EventsIngest: outcomes and dedupe, linking, and
// what identify, group and alias do to people.
var eventsIngestTests = []test{
	{"IngestOutcomesAndDedupe", testIngestOutcomes},
	{"IngestStoresSourceAndJSON", testIngestSource},
	{"IngestLinksByEmailUserIDAnonymousID", testIngestLinks},
	{"IngestIdentifyCreatesAndUpdates", testIngestIdentify},
	{"IngestIdentifyFillsEmail", testIngestIdentifyFillsEmail},
	{"IngestIdentifyLinksEarlierEvents", testIngestRelink},
	{"IngestIdentifyInCallOrder", testIngestCallOrder},
	{"IngestIdentityConflict", testIngestConflict},
	{"IngestGroup", testIngestGroup},
	{"IngestAlias", testIngestAlias},
	{"IngestMergedPerson", testIngestMerged},
}

// ingestAt is when test events happened.
var ingestAt = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

// ingest stores events (timestamped ingestAt + index seconds when unset)
// and fails the test on error.
func ingest(t *testing.T, s store.Store, es ...foundation.Event) *store.EventsIngestResult {
	t.Helper()
	for i := range es {
		if es[i].Timestamp.IsZero() {
			es[i].Timestamp = ingestAt.Add(time.Duration(i) * time.Second)
		}
	}
	res, err := s.EventsIngest(ctx(t), &store.EventsIngestParams{Events: es})
	if err != nil {
		t.Fatalf("EventsIngest: %v", err)
	}
	return res
}

// stored builds the Outcomes of a call whose events were all stored.
func stored(n int) []store.EventOutcome {
	out := make([]store.EventOutcome, n)
	for i := range out {
		out[i] = store.EventStored
	}
	return out
}

// eventPeople maps every stored event's message id to its person (0: none).
func eventPeople(t *testing.T, s store.Store) map[string]int64 {
	t.Helper()
	out := map[string]int64{}
	for _, e := range must[[]foundation.Event](t)(s.EventsList(ctx(t), &store.EventsListParams{Page: store.Page{Limit: 1000}})) {
		out[e.MessageID] = e.PersonID
	}
	return out
}

// personByEmail returns the person with an address.
func personByEmail(t *testing.T, s store.Store, email string) foundation.Person {
	t.Helper()
	return must[*store.PersonDetail](t)(s.PersonGet(ctx(t), &store.PersonGetParams{Email: email})).Person
}

// identifyEv is an identify message with traits.
func identifyEv(msgID, userID, anonID, email, traits string) foundation.Event {
	e := foundation.Event{MessageID: msgID, Type: "identify", UserID: userID, AnonymousID: anonID, Email: email}
	if traits != "" {
		e.Traits = json.RawMessage(traits)
	}
	return e
}

// trackEv is a track message.
func trackEv(msgID, userID, anonID string) foundation.Event {
	return foundation.Event{MessageID: msgID, Type: "track", Event: "Pricing Viewed", UserID: userID, AnonymousID: anonID}
}

func testIngestOutcomes(t *testing.T, s store.Store) {
	res := ingest(t, s,
		trackEv("m-1", "", "a1"),
		foundation.Event{MessageID: "m-2", Type: "page", Name: "Home", AnonymousID: "a1"},
		foundation.Event{MessageID: "m-1", Type: "track", Event: "Repeated", AnonymousID: "a1"}, // repeated in the call
		foundation.Event{MessageID: "m-3", Type: "screen", Name: "Settings", AnonymousID: "a1"},
	)
	checkEqual(t, "first call", *res, store.EventsIngestResult{Stored: 3, Duplicates: 1,
		Outcomes: []store.EventOutcome{store.EventStored, store.EventStored, store.EventDuplicate, store.EventStored}})
	res = ingest(t, s,
		foundation.Event{MessageID: "m-2", Type: "page", Name: "Home again", AnonymousID: "a1"},
		trackEv("m-4", "", "a1"),
	)
	checkEqual(t, "second call", *res, store.EventsIngestResult{Stored: 1, Duplicates: 1,
		Outcomes: []store.EventOutcome{store.EventDuplicate, store.EventStored}})
	// A duplicate identify changes nothing: no person for a replayed message.
	first := ingest(t, s, identifyEv("id-1", "u1", "", "ana@x.test", `{"plan":"pro"}`))
	checkEqual(t, "identify PeopleCreated", first.PeopleCreated, 1)
	again := ingest(t, s, identifyEv("id-1", "u1", "", "ana@x.test", `{"plan":"free"}`))
	checkEqual(t, "replayed identify", *again, store.EventsIngestResult{Duplicates: 1,
		Outcomes: []store.EventOutcome{store.EventDuplicate}})
	checkTraits(t, "traits after a replayed identify", personByEmail(t, s, "ana@x.test").Traits,
		foundation.Traits{"plan": "pro"})

	checkEqual(t, "Counts.Events", counts(t, s).Events, int64(5))
	got := must[[]foundation.Event](t)(s.EventsList(ctx(t), &store.EventsListParams{}))
	checkEqual(t, "stored events (first copy kept)",
		slices.Sorted(slices.Values(ids(got, func(e foundation.Event) string { return e.MessageID + "/" + e.Event + e.Name }))),
		[]string{"id-1/", "m-1/Pricing Viewed", "m-2/Home", "m-3/Settings", "m-4/Pricing Viewed"})
}

func testIngestSource(t *testing.T, s store.Store) {
	ts := time.Date(2026, 3, 2, 9, 0, 0, 123456000, time.UTC)
	e := foundation.Event{MessageID: "m-1", Type: "track", Event: "Signed Up", UserID: "u1", AnonymousID: "a1",
		Properties: json.RawMessage(`{"plan":"pro","seats":3}`), Context: json.RawMessage(`{"ip":"203.0.113.9"}`),
		Timestamp: ts, ReceivedAt: ts.Add(time.Second), Source: "src_web"}
	ingest(t, s, e, foundation.Event{MessageID: "m-2", Type: "page", AnonymousID: "a1", Source: "src_app"})
	got := must[[]foundation.Event](t)(s.EventsList(ctx(t), &store.EventsListParams{}))
	checkEqual(t, "sources", ids(got, func(e foundation.Event) string { return e.MessageID + ":" + e.Source }),
		[]string{"m-1:src_web", "m-2:src_app"})
	g := got[0]
	checkJSON(t, "Properties", g.Properties, e.Properties)
	checkJSON(t, "Context", g.Context, e.Context)
	checkJSON(t, "Traits", g.Traits, nil)
	checkTime(t, "Timestamp", g.Timestamp, ts)
	checkTime(t, "ReceivedAt", g.ReceivedAt, ts.Add(time.Second))
	checkEqual(t, "fields", [4]string{string(g.Type), g.Event, g.UserID, g.AnonymousID},
		[4]string{"track", "Signed Up", "u1", "a1"})
}

func testIngestLinks(t *testing.T, s store.Store) {
	mustWrite(t, 2)(s.RecordsUpsert(ctx(t), &store.RecordsUpsertParams{Records: []foundation.Record{
		{System: "crm", SystemID: "c1", Email: "ana@x.test"},
		{System: "app", SystemID: "88213", Email: "bo@x.test"},
	}}))
	ana, bo := personByEmail(t, s, "ana@x.test").ID, personByEmail(t, s, "bo@x.test").ID
	created := ingest(t, s, identifyEv("cy", "u-cy", "anon-cy", "cy@x.test", ""))
	checkEqual(t, "identify of cy", *created, store.EventsIngestResult{Outcomes: stored(1), Stored: 1,
		PeopleCreated: 1, IdentitiesLinked: 2})
	cy := personByEmail(t, s, "cy@x.test").ID

	res := ingest(t, s,
		foundation.Event{MessageID: "by-email", Type: "track", Event: "x", AnonymousID: "a9", Email: "ANA@x.test"},
		trackEv("by-record", "88213", ""),
		foundation.Event{MessageID: "email-first", Type: "track", Event: "x", UserID: "88213", Email: "ana@x.test"},
		foundation.Event{MessageID: "unknown-email", Type: "track", Event: "x", UserID: "88213", Email: "nobody@x.test"},
		trackEv("by-identity", "u-cy", ""),
		trackEv("by-anonymous", "", "anon-cy"),
		trackEv("user-before-anonymous", "88213", "anon-cy"),
		trackEv("unknown-user", "u-404", ""),
		trackEv("unknown-anonymous", "", "anon-404"),
	)
	checkEqual(t, "tracks", *res, store.EventsIngestResult{Outcomes: stored(9), Stored: 9})
	checkEqual(t, "people of events", eventPeople(t, s), map[string]int64{
		"cy": cy, "by-email": ana, "by-record": bo, "email-first": ana, "unknown-email": bo, "by-identity": cy,
		"by-anonymous": cy, "user-before-anonymous": bo, "unknown-user": 0, "unknown-anonymous": 0})
}

func testIngestIdentify(t *testing.T, s store.Store) {
	res := ingest(t, s, identifyEv("i1", "u1", "a1", "dee@x.test",
		`{"email":"Dee@x.test","firstName":"Dee","last_name":"Lane","plan":"pro","company":{"name":"Acme", "size": 40},"gone":null}`))
	checkEqual(t, "create", *res, store.EventsIngestResult{Outcomes: stored(1), Stored: 1, PeopleCreated: 1, IdentitiesLinked: 2})
	p := personByEmail(t, s, "dee@x.test")
	checkEqual(t, "names", [3]string{p.Email, p.FirstName, p.LastName}, [3]string{"dee@x.test", "Dee", "Lane"})
	checkTraits(t, "traits when created", p.Traits, foundation.Traits{"email": "Dee@x.test", "firstName": "Dee",
		"last_name": "Lane", "plan": "pro", "company": map[string]any{"name": "Acme", "size": 40}})
	checkEqual(t, "person of the identify", eventPeople(t, s)["i1"], p.ID)

	// Found by userId: a newer value replaces, null removes, others stay;
	// the names are not the traits' business once the person exists.
	res = ingest(t, s, identifyEv("i2", "u1", "", "", `{"plan":"enterprise","company":null,"seats":12,"firstName":"D."}`))
	checkEqual(t, "update", *res, store.EventsIngestResult{Outcomes: stored(1), Stored: 1, PeopleUpdated: 1})
	p = personByEmail(t, s, "dee@x.test")
	checkEqual(t, "names after update", [2]string{p.FirstName, p.LastName}, [2]string{"Dee", "Lane"})
	checkTraits(t, "traits after update", p.Traits, foundation.Traits{"email": "Dee@x.test", "firstName": "D.",
		"last_name": "Lane", "plan": "enterprise", "seats": 12})

	// The same traits again change nothing; nor does removing a missing key.
	res = ingest(t, s, identifyEv("i3", "", "a1", "", `{"plan":"enterprise","seats":12,"company":null}`))
	checkEqual(t, "no change", *res, store.EventsIngestResult{Outcomes: stored(1), Stored: 1})
	checkEqual(t, "Counts.People", counts(t, s).People, int64(1))

	// Nobody resolves and there is no address: nobody is created.
	res = ingest(t, s, identifyEv("i4", "", "a-stranger", "", `{"plan":"free"}`))
	checkEqual(t, "anonymous identify", *res, store.EventsIngestResult{Outcomes: stored(1), Stored: 1})
	checkEqual(t, "Counts.People after anonymous identify", counts(t, s).People, int64(1))
}

func testIngestIdentifyFillsEmail(t *testing.T, s store.Store) {
	mustWrite(t, 1)(s.RecordsUpsert(ctx(t), &store.RecordsUpsertParams{Records: []foundation.Record{
		{System: "app", SystemID: "c9", FirstName: "Eve"}}}))
	recs := must[[]foundation.Record](t)(s.RecordsList(ctx(t), &store.RecordsListParams{}))
	eve := recs[0].PersonID
	res := ingest(t, s, identifyEv("i1", "c9", "", "eve@x.test", ""))
	// c9 is the record's system_id, so it is not a new identity.
	checkEqual(t, "fill", *res, store.EventsIngestResult{Outcomes: stored(1), Stored: 1, PeopleUpdated: 1})
	got := must[*store.PersonDetail](t)(s.PersonGet(ctx(t), &store.PersonGetParams{ID: eve})).Person
	checkEqual(t, "e-mail filled", [2]string{got.Email, got.FirstName}, [2]string{"eve@x.test", "Eve"})
	// A later address does not replace the first.
	res = ingest(t, s, identifyEv("i2", "c9", "", "eve@other.test", ""))
	checkEqual(t, "second address", *res, store.EventsIngestResult{Outcomes: stored(1), Stored: 1})
	got = must[*store.PersonDetail](t)(s.PersonGet(ctx(t), &store.PersonGetParams{ID: eve})).Person
	checkEqual(t, "e-mail kept", got.Email, "eve@x.test")
	// Events now link to her by the address.
	ingest(t, s, foundation.Event{MessageID: "t1", Type: "track", Event: "x", AnonymousID: "a5", Email: "eve@x.test"})
	checkEqual(t, "linked by the filled address", eventPeople(t, s)["t1"], eve)
}

func testIngestRelink(t *testing.T, s store.Store) {
	ingest(t, s,
		trackEv("anon-1", "", "a1"),
		foundation.Event{MessageID: "anon-2", Type: "page", AnonymousID: "a1"},
		trackEv("user-1", "u1", "a-other"),
		trackEv("unrelated", "", "a2"),
	)
	res := ingest(t, s, identifyEv("who", "u1", "a1", "fay@x.test", `{"plan":"pro"}`))
	checkEqual(t, "identify", *res, store.EventsIngestResult{Outcomes: stored(1), Stored: 1,
		PeopleCreated: 1, IdentitiesLinked: 2, EventsLinked: 3})
	fay := personByEmail(t, s, "fay@x.test").ID
	checkEqual(t, "people of events", eventPeople(t, s), map[string]int64{
		"anon-1": fay, "anon-2": fay, "user-1": fay, "unrelated": 0, "who": fay})
	// a-other rode on an event of u1 but was never identified: still nobody's.
	ingest(t, s, trackEv("other-later", "", "a-other"))
	checkEqual(t, "a-other later", eventPeople(t, s)["other-later"], int64(0))
}

// testIngestCallOrder: within one call an identify links the events
// before it that carry its ids, and the ones after it resolve directly.
func testIngestCallOrder(t *testing.T, s store.Store) {
	res := ingest(t, s,
		trackEv("before", "u5", ""),
		foundation.Event{MessageID: "before-anon", Type: "page", AnonymousID: "a5"},
		identifyEv("who", "u5", "a5", "gus@x.test", `{"plan":"pro"}`),
		trackEv("after", "u5", ""),
		trackEv("after-anon", "", "a5"),
		identifyEv("who-again", "u5", "", "", `{"plan":"team"}`),
	)
	checkEqual(t, "call", *res, store.EventsIngestResult{Outcomes: stored(6), Stored: 6,
		PeopleCreated: 1, PeopleUpdated: 1, IdentitiesLinked: 2, EventsLinked: 2})
	gus := personByEmail(t, s, "gus@x.test")
	checkEqual(t, "people of events", eventPeople(t, s), map[string]int64{
		"before": gus.ID, "before-anon": gus.ID, "who": gus.ID, "after": gus.ID, "after-anon": gus.ID, "who-again": gus.ID})
	checkTraits(t, "traits", gus.Traits, foundation.Traits{"plan": "team"})
}

func testIngestConflict(t *testing.T, s store.Store) {
	ingest(t, s,
		identifyEv("a", "uA", "", "hal@x.test", ""),
		identifyEv("b", "uB", "aB", "ivy@x.test", ""),
	)
	hal, ivy := personByEmail(t, s, "hal@x.test").ID, personByEmail(t, s, "ivy@x.test").ID
	// Hal's identify claims Ivy's userId and anonymousId, and a new one.
	res := ingest(t, s, identifyEv("claim", "uB", "aB", "hal@x.test", ""))
	checkEqual(t, "claim", *res, store.EventsIngestResult{Outcomes: stored(1), Stored: 1, IdentityConflicts: 2})
	res = ingest(t, s, identifyEv("claim-2", "uA", "aB", "", ""))
	checkEqual(t, "claim by userId", *res, store.EventsIngestResult{Outcomes: stored(1), Stored: 1, IdentityConflicts: 1})
	ingest(t, s, trackEv("t-uB", "uB", ""), trackEv("t-aB", "", "aB"), trackEv("t-uA", "uA", ""))
	checkEqual(t, "people of events", eventPeople(t, s), map[string]int64{"a": hal, "b": ivy, "claim": hal,
		"claim-2": hal, "t-uB": ivy, "t-aB": ivy, "t-uA": hal})
}

func testIngestGroup(t *testing.T, s store.Store) {
	mustWrite(t, 1)(s.AccountsUpsert(ctx(t), &store.AccountsUpsertParams{Accounts: []foundation.Account{
		{ID: "A-1", Name: "Acme"}}}))
	ingest(t, s, identifyEv("who", "u1", "", "jo@x.test", ""))
	group := func(id, user, account string) foundation.Event {
		return foundation.Event{MessageID: id, Type: "group", UserID: user, GroupID: account}
	}
	res := ingest(t, s, group("g1", "u1", "A-1"), group("g2", "u1", "A-404"), group("g3", "u1", "A-1"),
		group("g4", "u-nobody", "A-1"))
	checkEqual(t, "groups", *res, store.EventsIngestResult{Outcomes: stored(4), Stored: 4,
		AccountsLinked: 1, AccountsUnknown: 1})
	jo := personByEmail(t, s, "jo@x.test")
	checkEqual(t, "account", jo.AccountID, "A-1")
	checkEqual(t, "people of events", eventPeople(t, s), map[string]int64{
		"who": jo.ID, "g1": jo.ID, "g2": jo.ID, "g3": jo.ID, "g4": 0})
}

func testIngestAlias(t *testing.T, s store.Store) {
	ingest(t, s,
		trackEv("early", "", "anon-9"),
		identifyEv("kim", "u1", "", "kim@x.test", ""),
		identifyEv("lou", "uL", "", "lou@x.test", ""),
	)
	kim, lou := personByEmail(t, s, "kim@x.test").ID, personByEmail(t, s, "lou@x.test").ID
	alias := func(id, user, previous string) foundation.Event {
		return foundation.Event{MessageID: id, Type: "alias", UserID: user, PreviousID: previous}
	}
	// Forward: the known userId takes the anonymous id and its events.
	res := ingest(t, s, alias("al-1", "u1", "anon-9"))
	checkEqual(t, "forward", *res, store.EventsIngestResult{Outcomes: stored(1), Stored: 1,
		IdentitiesLinked: 1, EventsLinked: 1})
	// Backward: a new userId for a known previous id.
	res = ingest(t, s, trackEv("new-early", "u-new", ""), alias("al-2", "u-new", "u1"), trackEv("new-late", "u-new", ""))
	checkEqual(t, "backward", *res, store.EventsIngestResult{Outcomes: stored(3), Stored: 3,
		IdentitiesLinked: 1, EventsLinked: 1})
	// Both known, different people: counted, not merged.
	res = ingest(t, s, alias("al-3", "uL", "u1"), alias("al-4", "u-x", "u-y"), alias("al-5", "u1", "anon-9"))
	checkEqual(t, "conflict, unknown, already linked", *res, store.EventsIngestResult{Outcomes: stored(3), Stored: 3,
		IdentityConflicts: 1})
	ingest(t, s, trackEv("t-x", "u-x", ""), trackEv("t-anon", "", "anon-9"))
	checkEqual(t, "people of events", eventPeople(t, s), map[string]int64{
		"early": kim, "kim": kim, "lou": lou, "al-1": kim, "new-early": kim, "al-2": kim, "new-late": kim,
		"al-3": lou, "al-4": 0, "al-5": kim, "t-x": 0, "t-anon": kim})
	checkEqual(t, "Counts.People (nobody merged)", counts(t, s).People, int64(2))
}

func testIngestMerged(t *testing.T, s store.Store) {
	mustWrite(t, 2)(s.RecordsUpsert(ctx(t), &store.RecordsUpsertParams{Records: []foundation.Record{
		{System: "crm", SystemID: "c1", Email: "max@x.test"},
		{System: "app", SystemID: "88213", Email: "max.old@x.test"},
	}}))
	keep, old := personByEmail(t, s, "max@x.test").ID, personByEmail(t, s, "max.old@x.test").ID
	ingest(t, s, identifyEv("who", "u-old", "a-old", "max.old@x.test", `{"plan":"pro"}`))
	if _, err := s.PeopleMerge(ctx(t), &store.PeopleMergeParams{Into: keep, From: []int64{old}}); err != nil {
		t.Fatal(err)
	}
	res := ingest(t, s,
		trackEv("by-identity", "u-old", ""),
		trackEv("by-anonymous", "", "a-old"),
		trackEv("by-record", "88213", ""),
		identifyEv("identify-merged", "u-old", "", "", `{"plan":"team"}`),
	)
	checkEqual(t, "after merge", *res, store.EventsIngestResult{Outcomes: stored(4), Stored: 4, PeopleUpdated: 1})
	people := eventPeople(t, s)
	checkEqual(t, "people of events", [4]int64{people["by-identity"], people["by-anonymous"], people["by-record"],
		people["identify-merged"]}, [4]int64{keep, keep, keep, keep})
	got := must[*store.PersonDetail](t)(s.PersonGet(ctx(t), &store.PersonGetParams{ID: keep})).Person
	checkTraits(t, "traits of the remaining person", got.Traits, foundation.Traits{"plan": "team"})
}
