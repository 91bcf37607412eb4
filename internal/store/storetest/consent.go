package storetest

import (
	"testing"
	"time"

	"github.com/towerops/tower/internal/foundation"
	"github.com/towerops/tower/internal/store"
)

var consentTests = []test{
	{"LinkBySystemID", func(t *testing.T, s store.Store) {
		mustWrite(t, 2)(s.RecordsUpsert(ctx(t), &store.RecordsUpsertParams{Records: []foundation.Record{
			{System: "crm", SystemID: "c1", Email: "ana@x.test"},
			{System: "esp", SystemID: "e1", Email: "bo@x.test"},
		}}))
		recs := must[[]foundation.Record](t)(s.RecordsList(ctx(t), &store.RecordsListParams{}))
		at := time.Date(2025, 5, 3, 9, 30, 0, 123456789, time.FixedZone("EST", -5*3600))
		res, err := s.ConsentUpsert(ctx(t), &store.ConsentUpsertParams{Consents: []foundation.Consent{
			{System: "crm", SystemID: "c1", Channel: foundation.ChannelEmail, Status: foundation.StatusUnsubscribed, Reason: "form", At: at},
			{System: "crm", SystemID: "c404", Channel: foundation.ChannelEmail, Status: foundation.StatusSubscribed, At: at},
			{System: "crm", SystemID: "e1", Channel: foundation.ChannelSMS, Status: foundation.StatusSubscribed, At: at}, // e1 is an esp id
		}})
		checkRejected(t, res, err, 1,
			store.Rejection{Index: 1, Field: "system_id", Reason: "c404"},
			store.Rejection{Index: 2, Field: "system_id", Reason: "e1"})
		got := must[[]foundation.Consent](t)(s.ConsentList(ctx(t), &store.ConsentListParams{}))
		if len(got) != 1 {
			t.Fatalf("ConsentList: %d, want 1", len(got))
		}
		c := got[0]
		if c.ID == 0 {
			t.Error("consent ID not set")
		}
		checkEqual(t, "RecordID", c.RecordID, recs[0].ID)
		checkEqual(t, "PersonID", c.PersonID, recs[0].PersonID)
		checkTime(t, "At", c.At, at)
		checkEqual(t, "fields", []string{c.System, c.SystemID, c.Email, string(c.Channel), string(c.Status), c.Reason},
			[]string{"crm", "c1", "", "email", "unsubscribed", "form"})
	}},
	{"LinkByEmail", func(t *testing.T, s store.Store) {
		mustWrite(t, 3)(s.RecordsUpsert(ctx(t), &store.RecordsUpsertParams{Records: []foundation.Record{
			{System: "esp", SystemID: "e1", Email: "Ana@X.test"},
			{System: "esp", SystemID: "e2", Email: "ana@x.test"}, // same address: the lower id wins
			{System: "crm", SystemID: "c1", Email: "bo@x.test"},
		}}))
		recs := must[[]foundation.Record](t)(s.RecordsList(ctx(t), &store.RecordsListParams{System: "esp"}))
		first := recs[0]
		if recs[1].ID < first.ID {
			first = recs[1]
		}
		at := date(2025, 1, 1)
		mustWrite(t, 3)(s.ConsentUpsert(ctx(t), &store.ConsentUpsertParams{Consents: []foundation.Consent{
			{System: "esp", Email: " ANA@x.test", Channel: foundation.ChannelEmail, Status: foundation.StatusHardBounce, At: at},
			{System: "esp", Email: "bo@x.test", Channel: foundation.ChannelEmail, Status: foundation.StatusComplaint, At: at}, // only a crm record has it
			{System: "esp", Email: "nobody@x.test", Channel: foundation.ChannelEmail, Status: foundation.StatusUnsubscribed, At: at},
		}}))
		got := must[[]foundation.Consent](t)(s.ConsentList(ctx(t), &store.ConsentListParams{}))
		byEmail := map[string]foundation.Consent{}
		for _, c := range got {
			byEmail[c.Email] = c
		}
		a, ok := byEmail["ana@x.test"]
		if !ok {
			t.Fatalf("consent e-mail not normalised: %+v", got)
		}
		checkEqual(t, "ana RecordID", a.RecordID, first.ID)
		checkEqual(t, "ana PersonID", a.PersonID, first.PersonID)
		checkEqual(t, "ana SystemID", a.SystemID, "")
		checkEqual(t, "bo link (no esp record)", [2]int64{byEmail["bo@x.test"].RecordID, byEmail["bo@x.test"].PersonID}, [2]int64{0, 0})
		checkEqual(t, "nobody link", [2]int64{byEmail["nobody@x.test"].RecordID, byEmail["nobody@x.test"].PersonID}, [2]int64{0, 0})
	}},
	{"ReUpsertRelinksAndUpdates", func(t *testing.T, s store.Store) {
		fact := foundation.Consent{System: "esp", Email: "bo@x.test", Channel: foundation.ChannelEmail,
			Status: foundation.StatusUnsubscribed, Reason: "list-unsubscribe", At: date(2025, 2, 1)}
		mustWrite(t, 1)(s.ConsentUpsert(ctx(t), &store.ConsentUpsertParams{Consents: []foundation.Consent{fact}}))
		checkEqual(t, "unlinked", must[[]foundation.Consent](t)(s.ConsentList(ctx(t), &store.ConsentListParams{}))[0].RecordID, int64(0))
		mustWrite(t, 1)(s.RecordsUpsert(ctx(t), &store.RecordsUpsertParams{Records: []foundation.Record{{System: "esp", SystemID: "e7", Email: "bo@x.test"}}}))
		rec := must[[]foundation.Record](t)(s.RecordsList(ctx(t), &store.RecordsListParams{}))[0]

		fact.Reason = "complaint loop"
		mustWrite(t, 1)(s.ConsentUpsert(ctx(t), &store.ConsentUpsertParams{Consents: []foundation.Consent{fact}}))
		got := must[[]foundation.Consent](t)(s.ConsentList(ctx(t), &store.ConsentListParams{}))
		if len(got) != 1 {
			t.Fatalf("re-upsert made %d facts, want 1", len(got))
		}
		checkEqual(t, "Reason updated", got[0].Reason, "complaint loop")
		checkEqual(t, "RecordID relinked", got[0].RecordID, rec.ID)
		checkEqual(t, "PersonID relinked", got[0].PersonID, rec.PersonID)
	}},
	{"IdempotentNaturalKey", func(t *testing.T, s store.Store) {
		mustWrite(t, 1)(s.RecordsUpsert(ctx(t), &store.RecordsUpsertParams{Records: []foundation.Record{{System: "crm", SystemID: "c1"}}}))
		base := foundation.Consent{System: "crm", SystemID: "c1", Channel: foundation.ChannelEmail, Status: foundation.StatusSubscribed, At: date(2025, 1, 1)}
		later, sms, unsub := base, base, base
		later.At = base.At.Add(time.Microsecond) // a distinct moment is a distinct fact
		sms.Channel = foundation.ChannelSMS
		unsub.Status = foundation.StatusUnsubscribed
		batch := []foundation.Consent{base, later, sms, unsub}
		for range 2 {
			mustWrite(t, 4)(s.ConsentUpsert(ctx(t), &store.ConsentUpsertParams{Consents: batch}))
		}
		checkEqual(t, "Counts.Consent", counts(t, s).Consent, int64(4))
	}},
	{"ListOrderAndFilters", func(t *testing.T, s store.Store) {
		mustWrite(t, 2)(s.RecordsUpsert(ctx(t), &store.RecordsUpsertParams{Records: []foundation.Record{
			{System: "crm", SystemID: "c1", Email: "ana@x.test"},
			{System: "crm", SystemID: "c2", Email: "bo@x.test"},
		}}))
		recs := must[[]foundation.Record](t)(s.RecordsList(ctx(t), &store.RecordsListParams{}))
		t0 := time.Date(2025, 4, 1, 12, 0, 0, 0, time.UTC)
		mustWrite(t, 5)(s.ConsentUpsert(ctx(t), &store.ConsentUpsertParams{Consents: []foundation.Consent{
			{System: "crm", SystemID: "c1", Channel: foundation.ChannelEmail, Status: foundation.StatusUnsubscribed, Reason: "3", At: t0.Add(2 * time.Hour)},
			{System: "crm", SystemID: "c2", Channel: foundation.ChannelSMS, Status: foundation.StatusSubscribed, Reason: "1", At: t0},
			{System: "crm", SystemID: "c1", Channel: foundation.ChannelEmail, Status: foundation.StatusSubscribed, Reason: "2", At: t0.Add(time.Hour)},
			{System: "esp", Email: "ana@x.test", Channel: foundation.ChannelEmail, Status: foundation.StatusHardBounce, Reason: "5", At: t0.Add(3 * time.Hour)},
			{System: "crm", SystemID: "c2", Channel: foundation.ChannelEmail, Status: foundation.StatusSubscribed, Reason: "4", At: t0.Add(2 * time.Hour)},
		}}))
		reason := func(c foundation.Consent) string { return c.Reason }
		list := func(p store.ConsentListParams) []string {
			return ids(must[[]foundation.Consent](t)(s.ConsentList(ctx(t), &p)), reason)
		}
		// Equal times fall back to id, i.e. batch order.
		checkEqual(t, "order (at, id)", list(store.ConsentListParams{}), []string{"1", "2", "3", "4", "5"})
		checkEqual(t, "PersonID", list(store.ConsentListParams{PersonID: recs[0].PersonID}), []string{"2", "3"})
		checkEqual(t, "System", list(store.ConsentListParams{System: "esp"}), []string{"5"})
		checkEqual(t, "Channel", list(store.ConsentListParams{Channel: foundation.ChannelSMS}), []string{"1"})
		checkEqual(t, "Status", list(store.ConsentListParams{Status: foundation.StatusSubscribed}), []string{"1", "2", "4"})
		checkEqual(t, "Status+Channel", list(store.ConsentListParams{Status: foundation.StatusSubscribed, Channel: foundation.ChannelEmail}), []string{"2", "4"})
		checkEqual(t, "page", list(store.ConsentListParams{Page: store.Page{Limit: 2, Offset: 3}}), []string{"4", "5"})
	}},
}
