package storetest

import (
	"testing"

	"github.com/towerops/tower/internal/foundation"
	"github.com/towerops/tower/internal/store"
)

var peopleTests = []test{
	{"LinkByNormalisedEmail", func(t *testing.T, s store.Store) {
		mustWrite(t, 2)(s.RecordsUpsert(ctx(t), &store.RecordsUpsertParams{Records: []foundation.Record{
			{System: "crm", SystemID: "c1", Email: "Ana@Acme.test"},
			{System: "esp", SystemID: "e1", Email: "  ana@acme.TEST "},
		}}))
		// A later batch joins the existing person too.
		mustWrite(t, 1)(s.RecordsUpsert(ctx(t), &store.RecordsUpsertParams{Records: []foundation.Record{
			{System: "map", SystemID: "m1", Email: "ANA@ACME.TEST"},
		}}))
		recs := must[[]foundation.Record](t)(s.RecordsList(ctx(t), &store.RecordsListParams{}))
		if len(recs) != 3 {
			t.Fatalf("records: %d, want 3", len(recs))
		}
		for _, r := range recs[1:] {
			if r.PersonID != recs[0].PersonID {
				t.Errorf("record %s/%s person %d, want %d", r.System, r.SystemID, r.PersonID, recs[0].PersonID)
			}
		}
		checkEqual(t, "Counts.People", counts(t, s).People, int64(1))
		d := must[*store.PersonDetail](t)(s.PersonGet(ctx(t), &store.PersonGetParams{ID: recs[0].PersonID}))
		checkEqual(t, "person Email (normalised)", d.Person.Email, "ana@acme.test")
		checkEqual(t, "records of person", len(d.Records), 3)
	}},
	{"EmailLessRecordsAreOwnPeople", func(t *testing.T, s store.Store) {
		mustWrite(t, 4)(s.RecordsUpsert(ctx(t), &store.RecordsUpsertParams{Records: []foundation.Record{
			{System: "crm", SystemID: "c1", FirstName: "Ana"},
			{System: "crm", SystemID: "c2", FirstName: "Ana"},
			{System: "esp", SystemID: "c1"},                        // same system_id, other system
			{System: "esp", SystemID: "e9", Email: "not-an-email"}, // not an address: no e-mail key
		}}))
		recs := must[[]foundation.Record](t)(s.RecordsList(ctx(t), &store.RecordsListParams{}))
		seen := map[int64]bool{}
		for _, r := range recs {
			if seen[r.PersonID] {
				t.Errorf("record %s/%s shares person %d", r.System, r.SystemID, r.PersonID)
			}
			seen[r.PersonID] = true
		}
		checkEqual(t, "Counts.People", counts(t, s).People, int64(4))
		d := must[*store.PersonDetail](t)(s.PersonGet(ctx(t), &store.PersonGetParams{ID: recs[0].PersonID}))
		checkEqual(t, "e-mail-less person Email", d.Person.Email, "")
	}},
	{"ExistingRecordKeepsPerson", func(t *testing.T, s store.Store) {
		mustWrite(t, 2)(s.RecordsUpsert(ctx(t), &store.RecordsUpsertParams{Records: []foundation.Record{
			{System: "crm", SystemID: "c1", Email: "ana@x.test"},
			{System: "crm", SystemID: "c2", Email: "bo@x.test"},
		}}))
		before := must[[]foundation.Record](t)(s.RecordsList(ctx(t), &store.RecordsListParams{}))
		// c1 changes its address to Bo's: it stays with Ana's person.
		mustWrite(t, 1)(s.RecordsUpsert(ctx(t), &store.RecordsUpsertParams{Records: []foundation.Record{
			{System: "crm", SystemID: "c1", Email: "bo@x.test"},
		}}))
		after := must[[]foundation.Record](t)(s.RecordsList(ctx(t), &store.RecordsListParams{}))
		checkEqual(t, "c1 person", after[0].PersonID, before[0].PersonID)
		checkEqual(t, "c1 email", after[0].Email, "bo@x.test")
		checkEqual(t, "Counts.People", counts(t, s).People, int64(2))
	}},
	{"PersonFieldsFilledWhenEmpty", func(t *testing.T, s store.Store) {
		seedAccounts(t, s)
		mustWrite(t, 1)(s.RecordsUpsert(ctx(t), &store.RecordsUpsertParams{Records: []foundation.Record{
			{System: "crm", SystemID: "c1", Email: "ana@x.test", LastName: "Silva"},
		}}))
		// Within one batch the first non-empty value wins; existing values stay.
		mustWrite(t, 2)(s.RecordsUpsert(ctx(t), &store.RecordsUpsertParams{Records: []foundation.Record{
			{System: "esp", SystemID: "e1", Email: "ana@x.test", FirstName: "Ana", LastName: "Other", Title: "CMO"},
			{System: "map", SystemID: "m1", Email: "ana@x.test", FirstName: "Anna", Title: "CEO", Phone: "+1 555",
				AccountID: "A-002", Country: "PT", Region: "EMEA"},
		}}))
		p := must[*store.PersonDetail](t)(s.PersonGet(ctx(t), &store.PersonGetParams{Email: "ana@x.test"})).Person
		checkEqual(t, "FirstName", p.FirstName, "Ana")
		checkEqual(t, "LastName", p.LastName, "Silva")
		checkEqual(t, "Title", p.Title, "CMO")
		checkEqual(t, "Phone", p.Phone, "+1 555")
		checkEqual(t, "AccountID", p.AccountID, "A-002")
		checkEqual(t, "Country", p.Country, "PT")
		checkEqual(t, "Region", p.Region, "EMEA")
		if p.CreatedAt.IsZero() || p.UpdatedAt.IsZero() {
			t.Errorf("person times not set: %v %v", p.CreatedAt, p.UpdatedAt)
		}

		// An e-mail-less person gains the address when its record gains one.
		mustWrite(t, 1)(s.RecordsUpsert(ctx(t), &store.RecordsUpsertParams{Records: []foundation.Record{{System: "crm", SystemID: "c9"}}}))
		r := must[[]foundation.Record](t)(s.RecordsList(ctx(t), &store.RecordsListParams{System: "crm", Page: store.Page{Offset: 1}}))[0]
		mustWrite(t, 1)(s.RecordsUpsert(ctx(t), &store.RecordsUpsertParams{Records: []foundation.Record{
			{System: "crm", SystemID: "c9", Email: " Cy@X.test", FirstName: "Cy"}}}))
		p = must[*store.PersonDetail](t)(s.PersonGet(ctx(t), &store.PersonGetParams{ID: r.PersonID})).Person
		checkEqual(t, "filled Email", p.Email, "cy@x.test")
		checkEqual(t, "filled FirstName", p.FirstName, "Cy")
		byEmail := must[*store.PersonDetail](t)(s.PersonGet(ctx(t), &store.PersonGetParams{Email: "cy@x.test"}))
		checkEqual(t, "PersonGet by the gained address", byEmail.Person.ID, r.PersonID)
		mustWrite(t, 1)(s.EventsInsert(ctx(t), &store.EventsInsertParams{Events: []foundation.Event{
			{MessageID: "m-cy", Type: "identify", Email: "cy@x.test", Timestamp: date(2025, 1, 1)}}}))
		ev := must[[]foundation.Event](t)(s.EventsList(ctx(t), &store.EventsListParams{}))
		checkEqual(t, "event linked by the gained address", ev[0].PersonID, r.PersonID)
	}},
	{"PersonGet", func(t *testing.T, s store.Store) {
		mustWrite(t, 3)(s.RecordsUpsert(ctx(t), &store.RecordsUpsertParams{Records: []foundation.Record{
			{System: "esp", SystemID: "e1", Email: "ana@x.test", FirstName: "Ana"},
			{System: "crm", SystemID: "c1", Email: "ana@x.test"},
			{System: "crm", SystemID: "c2", Email: "bo@x.test"},
		}}))
		mustWrite(t, 2)(s.ConsentUpsert(ctx(t), &store.ConsentUpsertParams{Consents: []foundation.Consent{
			{System: "esp", SystemID: "e1", Channel: foundation.ChannelEmail, Status: foundation.StatusUnsubscribed, At: date(2025, 3, 2)},
			{System: "crm", SystemID: "c1", Channel: foundation.ChannelEmail, Status: foundation.StatusSubscribed, At: date(2025, 3, 1)},
		}}))
		d := must[*store.PersonDetail](t)(s.PersonGet(ctx(t), &store.PersonGetParams{Email: "  ANA@x.test"}))
		checkEqual(t, "FirstName", d.Person.FirstName, "Ana")
		key := func(r foundation.Record) string { return r.System + "/" + r.SystemID }
		checkEqual(t, "records", ids(d.Records, key), []string{"crm/c1", "esp/e1"})
		ckey := func(c foundation.Consent) string { return c.System + "/" + string(c.Status) }
		checkEqual(t, "consent", ids(d.Consent, ckey), []string{"crm/subscribed", "esp/unsubscribed"})
		byID := must[*store.PersonDetail](t)(s.PersonGet(ctx(t), &store.PersonGetParams{ID: d.Person.ID}))
		checkEqual(t, "by ID", byID.Person, d.Person)
		checkTime(t, "CreatedAt", d.Person.CreatedAt, d.Person.CreatedAt) // UTC

		_, err := s.PersonGet(ctx(t), &store.PersonGetParams{ID: d.Person.ID + 1000})
		wantNotFound(t, "PersonGet unknown id", err)
		_, err = s.PersonGet(ctx(t), &store.PersonGetParams{Email: "nobody@x.test"})
		wantNotFound(t, "PersonGet unknown email", err)
	}},
	{"PeopleList", func(t *testing.T, s store.Store) {
		seedAccounts(t, s)
		mustWrite(t, 5)(s.RecordsUpsert(ctx(t), &store.RecordsUpsertParams{Records: []foundation.Record{
			{System: "esp", SystemID: "e1", Email: "ana@acme.test", FirstName: "Ana", LastName: "Silva", AccountID: "A-001"},
			{System: "crm", SystemID: "c1", Email: "ana@acme.test"},
			{System: "crm", SystemID: "c2", Email: "bo@globex.test", FirstName: "Bo", LastName: "Chen", AccountID: "A-002"},
			{System: "map", SystemID: "m3", FirstName: "Cy", LastName: "Anand"},
			{System: "esp", SystemID: "e2", Email: "dee@acme.test", FirstName: "Dee", AccountID: "A-001"},
		}}))
		list := func(p store.PeopleListParams) []store.PersonSummary {
			return must[[]store.PersonSummary](t)(s.PeopleList(ctx(t), &p))
		}
		name := func(p store.PersonSummary) string { return p.FirstName }
		all := list(store.PeopleListParams{})
		checkEqual(t, "order by id", ids(all, name), []string{"Ana", "Bo", "Cy", "Dee"})
		for i := 1; i < len(all); i++ {
			if all[i].ID <= all[i-1].ID {
				t.Errorf("people not ordered by id: %d after %d", all[i].ID, all[i-1].ID)
			}
		}
		checkEqual(t, "Systems of Ana", all[0].Systems, []string{"crm", "esp"})
		checkEqual(t, "Systems of Cy", all[2].Systems, []string{"map"})
		checkEqual(t, "Email of Bo", all[1].Email, "bo@globex.test")

		checkEqual(t, "Search first/last name, any case", ids(list(store.PeopleListParams{Search: "AN"}), name), []string{"Ana", "Cy"})
		checkEqual(t, "Search email", ids(list(store.PeopleListParams{Search: "globex"}), name), []string{"Bo"})
		checkEqual(t, "AccountID", ids(list(store.PeopleListParams{AccountID: "A-001"}), name), []string{"Ana", "Dee"})
		checkEqual(t, "System", ids(list(store.PeopleListParams{System: "crm"}), name), []string{"Ana", "Bo"})
		sys := list(store.PeopleListParams{System: "crm"})
		checkEqual(t, "System filter keeps all Systems", sys[0].Systems, []string{"crm", "esp"})
		checkEqual(t, "System+AccountID", ids(list(store.PeopleListParams{System: "esp", AccountID: "A-001"}), name), []string{"Ana", "Dee"})
		checkEqual(t, "System+Search", ids(list(store.PeopleListParams{System: "esp", Search: "dee"}), name), []string{"Dee"})
		checkEqual(t, "page", ids(list(store.PeopleListParams{Page: store.Page{Limit: 2, Offset: 1}}), name), []string{"Bo", "Cy"})
		checkEqual(t, "no match", len(list(store.PeopleListParams{System: "nowhere"})), 0)
	}},
	{"PeopleListDefaultLimit", func(t *testing.T, s store.Store) {
		recs := make([]foundation.Record, 130)
		for i, id := range seq("c", 130) {
			recs[i] = foundation.Record{System: "crm", SystemID: id, Email: id + "@x.test"}
		}
		mustWrite(t, 130)(s.RecordsUpsert(ctx(t), &store.RecordsUpsertParams{Records: recs}))
		checkEqual(t, "Limit 0", len(must[[]store.PersonSummary](t)(s.PeopleList(ctx(t), &store.PeopleListParams{}))), 100)
		checkEqual(t, "Offset 100", len(must[[]store.PersonSummary](t)(s.PeopleList(ctx(t), &store.PeopleListParams{Page: store.Page{Offset: 100}}))), 30)
		checkEqual(t, "records Limit 0", len(must[[]foundation.Record](t)(s.RecordsList(ctx(t), &store.RecordsListParams{}))), 100)
	}},
}
