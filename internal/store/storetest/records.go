package storetest

import (
	"testing"
	"time"

	"github.com/towerops/tower/internal/foundation"
	"github.com/towerops/tower/internal/store"
)

var recordTests = []test{
	{"RoundTrip", func(t *testing.T, s store.Store) {
		seedAccounts(t, s)
		paris := time.FixedZone("CET", 3600)
		recs := []foundation.Record{
			{System: "crm", SystemID: "0031x", Email: "Ana@Acme.test", FirstName: "Ana", LastName: "Silva",
				Title: "CMO", Phone: "+351 555 0100", AccountID: "A-001", Country: "PT", Region: "EMEA",
				Traits:    foundation.Traits{"lead_score": "87", "nested": map[string]any{"a": []any{1.0, "two"}}},
				CreatedAt: time.Date(2024, 5, 3, 10, 11, 12, 123456789, paris),
				UpdatedAt: time.Date(2025, 1, 2, 3, 4, 5, 999999999, time.UTC)},
			{System: "esp", SystemID: "88213"}, // bare: no e-mail, no account, zero times
		}
		mustWrite(t, 2)(s.RecordsUpsert(ctx(t), &store.RecordsUpsertParams{Records: recs}))
		got := must[[]foundation.Record](t)(s.RecordsList(ctx(t), &store.RecordsListParams{}))
		if len(got) != 2 {
			t.Fatalf("RecordsList: %d rows, want 2", len(got))
		}
		for i := range recs {
			g, w := got[i], recs[i]
			if g.ID == 0 || g.PersonID == 0 {
				t.Errorf("record %s: ID=%d PersonID=%d, want both set", g.SystemID, g.ID, g.PersonID)
			}
			checkTraits(t, "Traits", g.Traits, w.Traits)
			checkTime(t, "CreatedAt", g.CreatedAt, w.CreatedAt)
			checkTime(t, "UpdatedAt", g.UpdatedAt, w.UpdatedAt)
			g.ID, g.PersonID, g.Traits, g.CreatedAt, g.UpdatedAt = 0, 0, nil, time.Time{}, time.Time{}
			w.Traits, w.CreatedAt, w.UpdatedAt = nil, time.Time{}, time.Time{}
			checkEqual(t, "record", g, w) // Email comes back as the system holds it
		}
	}},
	{"IdempotentAndUpdate", func(t *testing.T, s store.Store) {
		seedAccounts(t, s)
		recs := []foundation.Record{
			{System: "crm", SystemID: "c1", Email: "ana@acme.test", FirstName: "Ana", AccountID: "A-001"},
			{System: "esp", SystemID: "e1", Email: "ana@acme.test"},
			{System: "crm", SystemID: "c2"},
		}
		mustWrite(t, 3)(s.RecordsUpsert(ctx(t), &store.RecordsUpsertParams{Records: recs}))
		before := must[[]foundation.Record](t)(s.RecordsList(ctx(t), &store.RecordsListParams{}))
		c1 := counts(t, s)
		mustWrite(t, 3)(s.RecordsUpsert(ctx(t), &store.RecordsUpsertParams{Records: recs}))
		checkEqual(t, "records after second write", must[[]foundation.Record](t)(s.RecordsList(ctx(t), &store.RecordsListParams{})), before)
		c2 := counts(t, s)
		checkEqual(t, "Counts.Records", c2.Records, c1.Records)
		checkEqual(t, "Counts.People", c2.People, c1.People)
		checkEqual(t, "Counts.People value", c2.People, int64(2))

		recs[0].FirstName, recs[0].Title, recs[0].AccountID = "Ana Maria", "VP", "A-002"
		recs[0].UpdatedAt = time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)
		recs[0].Traits = foundation.Traits{"tier": "gold"}
		mustWrite(t, 1)(s.RecordsUpsert(ctx(t), &store.RecordsUpsertParams{Records: recs[:1]}))
		got := must[[]foundation.Record](t)(s.RecordsList(ctx(t), &store.RecordsListParams{System: "crm", Page: store.Page{Limit: 1}}))
		if len(got) != 1 {
			t.Fatalf("RecordsList crm: %d rows", len(got))
		}
		r := got[0]
		checkEqual(t, "FirstName", r.FirstName, "Ana Maria")
		checkEqual(t, "Title", r.Title, "VP")
		checkEqual(t, "AccountID", r.AccountID, "A-002")
		checkTime(t, "UpdatedAt", r.UpdatedAt, recs[0].UpdatedAt)
		checkTraits(t, "Traits", r.Traits, recs[0].Traits)
		checkEqual(t, "ID kept", r.ID, before[0].ID)
		checkEqual(t, "PersonID kept", r.PersonID, before[0].PersonID)
	}},
	{"UnknownAccountRejected", func(t *testing.T, s store.Store) {
		seedAccounts(t, s)
		res, err := s.RecordsUpsert(ctx(t), &store.RecordsUpsertParams{Records: []foundation.Record{
			{System: "crm", SystemID: "c1", Email: "a@x.test", AccountID: "A-001"},
			{System: "crm", SystemID: "c2", Email: "b@x.test", AccountID: "A-404"},
			{System: "crm", SystemID: "c3", Email: "c@x.test"},
			{System: "crm", SystemID: "c4", Email: "d@x.test", AccountID: "A-405"},
		}})
		checkRejected(t, res, err, 2,
			store.Rejection{Index: 1, Field: "account_id", Reason: "A-404"},
			store.Rejection{Index: 3, Field: "account_id", Reason: "A-405"})
		c := counts(t, s)
		checkEqual(t, "Counts.Records", c.Records, int64(2))
		checkEqual(t, "Counts.People (no person for a rejected record)", c.People, int64(2))
		_, err = s.PersonGet(ctx(t), &store.PersonGetParams{Email: "b@x.test"})
		wantNotFound(t, "person of rejected record", err)
	}},
	{"SameKeyTwiceInBatchLastWins", func(t *testing.T, s store.Store) {
		mustWrite(t, 2)(s.RecordsUpsert(ctx(t), &store.RecordsUpsertParams{Records: []foundation.Record{
			{System: "crm", SystemID: "c1", Email: "ana@x.test", Title: "first"},
			{System: "crm", SystemID: "c1", Email: "ana@x.test", Title: "second"},
		}}))
		got := must[[]foundation.Record](t)(s.RecordsList(ctx(t), &store.RecordsListParams{}))
		if len(got) != 1 || got[0].Title != "second" {
			t.Fatalf("records = %+v, want one with Title second", got)
		}
		checkEqual(t, "Counts.People", counts(t, s).People, int64(1))
	}},
	{"ListOrderFilterPage", func(t *testing.T, s store.Store) {
		mustWrite(t, 5)(s.RecordsUpsert(ctx(t), &store.RecordsUpsertParams{Records: []foundation.Record{
			{System: "esp", SystemID: "e2", Email: "bo@x.test"},
			{System: "crm", SystemID: "c2", Email: "bo@x.test"},
			{System: "map", SystemID: "m1"},
			{System: "crm", SystemID: "c1", Email: "ana@x.test"},
			{System: "esp", SystemID: "e1", Email: "ana@x.test"},
		}}))
		key := func(r foundation.Record) string { return r.System + "/" + r.SystemID }
		list := func(p store.RecordsListParams) []foundation.Record {
			return must[[]foundation.Record](t)(s.RecordsList(ctx(t), &p))
		}
		all := list(store.RecordsListParams{})
		checkEqual(t, "order", ids(all, key), []string{"crm/c1", "crm/c2", "esp/e1", "esp/e2", "map/m1"})
		checkEqual(t, "System", ids(list(store.RecordsListParams{System: "esp"}), key), []string{"esp/e1", "esp/e2"})
		checkEqual(t, "PersonID", ids(list(store.RecordsListParams{PersonID: all[1].PersonID}), key), []string{"crm/c2", "esp/e2"})
		checkEqual(t, "PersonID+System", ids(list(store.RecordsListParams{PersonID: all[1].PersonID, System: "crm"}), key), []string{"crm/c2"})
		checkEqual(t, "page", ids(list(store.RecordsListParams{Page: store.Page{Limit: 2, Offset: 2}}), key), []string{"esp/e1", "esp/e2"})
		checkEqual(t, "System+SystemID", ids(list(store.RecordsListParams{System: "esp", SystemID: "e2"}), key), []string{"esp/e2"})
		checkEqual(t, "SystemID elsewhere", len(list(store.RecordsListParams{System: "crm", SystemID: "e2"})), 0)
	}},
}
