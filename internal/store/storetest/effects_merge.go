package storetest

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/towerops/tower/internal/foundation"
	"github.com/towerops/tower/internal/store"
)

// seedDuplicates writes one human as three people: ana@x.test (crm:c1,
// esp:e1), ana.w@x.test (crm:c9) and a.silva@x.test (esp:e7), each record
// with a consent fact, and returns the three person ids.
func seedDuplicates(t *testing.T, s store.Store) (a, b, c int64) {
	t.Helper()
	mustWrite(t, 4)(s.RecordsUpsert(ctx(t), &store.RecordsUpsertParams{Records: []foundation.Record{
		{System: "crm", SystemID: "c1", Email: "ana@x.test"},
		{System: "esp", SystemID: "e1", Email: "ana@x.test"},
		{System: "crm", SystemID: "c9", Email: "ana.w@x.test"},
		{System: "esp", SystemID: "e7", Email: "a.silva@x.test"},
	}}))
	at := date(2025, 2, 1)
	mustWrite(t, 4)(s.ConsentUpsert(ctx(t), &store.ConsentUpsertParams{Consents: []foundation.Consent{
		{System: "crm", SystemID: "c1", Channel: foundation.ChannelEmail, Status: foundation.StatusSubscribed, At: at},
		{System: "esp", SystemID: "e1", Channel: foundation.ChannelEmail, Status: foundation.StatusSubscribed, At: at},
		{System: "crm", SystemID: "c9", Channel: foundation.ChannelEmail, Status: foundation.StatusUnsubscribed, At: at},
		{System: "esp", SystemID: "e7", Channel: foundation.ChannelEmail, Status: foundation.StatusComplaint, At: at.Add(time.Hour)},
	}}))
	id := func(email string) int64 {
		return must[*store.PersonDetail](t)(s.PersonGet(ctx(t), &store.PersonGetParams{Email: email})).Person.ID
	}
	return id("ana@x.test"), id("ana.w@x.test"), id("a.silva@x.test")
}

// personParts returns the record keys and consent statuses of a person.
func personParts(t *testing.T, s store.Store, id int64) (records, statuses []string, merged int64) {
	t.Helper()
	d := must[*store.PersonDetail](t)(s.PersonGet(ctx(t), &store.PersonGetParams{ID: id}))
	for _, r := range d.Records {
		records = append(records, r.System+":"+r.SystemID)
	}
	for _, c := range d.Consent {
		statuses = append(statuses, c.System+":"+c.SystemID+"="+string(c.Status))
	}
	return records, statuses, d.Person.MergedInto
}

var mergeTests = []test{
	{"MergeUnmergeRoundTrip", func(t *testing.T, s store.Store) {
		a, b, c := seedDuplicates(t, s)
		beforeA, consentA, _ := personParts(t, s, a)
		beforeB, consentB, _ := personParts(t, s, b)
		beforeC, consentC, _ := personParts(t, s, c)
		checkEqual(t, "seeded records", [][]string{beforeA, beforeB, beforeC}, [][]string{{"crm:c1", "esp:e1"}, {"crm:c9"}, {"esp:e7"}})

		res := must[*store.PeopleMergeResult](t)(s.PeopleMerge(ctx(t), &store.PeopleMergeParams{Into: a, From: []int64{b, c}}))
		checkEqual(t, "result", []any{res.Into, res.From}, []any{a, []int64{b, c}})
		checkEqual(t, "moves", res.Moves, []store.RecordMove{
			{System: "crm", SystemID: "c9", FromPerson: b}, {System: "esp", SystemID: "e7", FromPerson: c}})

		recs, consent, _ := personParts(t, s, a)
		checkEqual(t, "merged records", recs, []string{"crm:c1", "crm:c9", "esp:e1", "esp:e7"})
		// The merged person has every part's consent, so its strictest
		// suppression (the complaint) still applies to it.
		checkEqual(t, "merged consent", consent, []string{"crm:c1=subscribed", "esp:e1=subscribed", "crm:c9=unsubscribed", "esp:e7=complaint"})
		for _, id := range []int64{b, c} {
			r, cs, into := personParts(t, s, id)
			if len(r) != 0 || len(cs) != 0 || into != a {
				t.Errorf("person %d after merge: records %v consent %v merged into %d, want none, none, %d", id, r, cs, into, a)
			}
		}
		checkEqual(t, "people counted", counts(t, s).People, int64(1))
		listed := must[[]store.PersonSummary](t)(s.PeopleList(ctx(t), &store.PeopleListParams{}))
		checkEqual(t, "people listed", len(listed), 1)

		if err := s.PeopleUnmerge(ctx(t), &store.PeopleUnmergeParams{Merge: *res}); err != nil {
			t.Fatalf("PeopleUnmerge: %v", err)
		}
		for _, tc := range []struct {
			id               int64
			records, consent []string
		}{{a, beforeA, consentA}, {b, beforeB, consentB}, {c, beforeC, consentC}} {
			r, cs, into := personParts(t, s, tc.id)
			checkEqual(t, "records back", r, tc.records)
			checkEqual(t, "consent back", cs, tc.consent)
			checkEqual(t, "merged_into cleared", into, int64(0))
		}
		checkEqual(t, "people counted after unmerge", counts(t, s).People, int64(3))
		err := s.PeopleUnmerge(ctx(t), &store.PeopleUnmergeParams{Merge: *res})
		wantErr(t, "unmerge twice", err, store.ErrBadMerge, "not merged")
	}},
	{"MergeRefusals", func(t *testing.T, s store.Store) {
		a, b, c := seedDuplicates(t, s)
		merge := func(into int64, from ...int64) error {
			_, err := s.PeopleMerge(ctx(t), &store.PeopleMergeParams{Into: into, From: from})
			return err
		}
		wantErr(t, "into itself", merge(a, a), store.ErrBadMerge, "itself")
		wantErr(t, "nobody", merge(a), store.ErrBadMerge)
		wantErr(t, "twice", merge(a, b, b), store.ErrBadMerge, "twice")
		wantErr(t, "unknown", merge(a, 999999), store.ErrNotFound, "999999")
		if err := merge(a, b); err != nil {
			t.Fatal(err)
		}
		wantErr(t, "into a merged person", merge(b, c), store.ErrBadMerge, "already merged")
		wantErr(t, "a merged person again", merge(c, b), store.ErrBadMerge, "already merged")
		// The refusals changed nothing.
		recs, _, _ := personParts(t, s, c)
		checkEqual(t, "c keeps its record", recs, []string{"esp:e7"})
	}},
	{"MergeInTxRollsBack", func(t *testing.T, s store.Store) {
		a, b, _ := seedDuplicates(t, s)
		boom := errors.New("boom")
		err := s.InTx(ctx(t), func(ctx2 context.Context, q store.Queries) error {
			if _, err := q.PeopleMerge(ctx2, &store.PeopleMergeParams{Into: a, From: []int64{b}}); err != nil {
				return err
			}
			return boom
		})
		if !errors.Is(err, boom) {
			t.Fatalf("InTx = %v, want boom", err)
		}
		recs, _, into := personParts(t, s, b)
		checkEqual(t, "b untouched", []any{recs, into}, []any{[]string{"crm:c9"}, int64(0)})
	}},
}
