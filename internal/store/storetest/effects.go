package storetest

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/towerops/tower/internal/foundation"
	"github.com/towerops/tower/internal/store"
)

// effectsTests check the effects part of the store contract (store.Effects).
var effectsTests = append(append(append([]test{}, fieldTests...), listEffectTests...), mergeTests...)

// seedEffects writes owners, accounts (see seedAccounts), campaign C-001
// (budget 1000), licence "figma" (10 seats), template T-1, and two people:
// ana (crm:c1, with a trait) and bo (crm:c2).
func seedEffects(t *testing.T, s store.Store) (ana, bo int64) {
	t.Helper()
	seedAccounts(t, s)
	mustWrite(t, 1)(s.CampaignsUpsert(ctx(t), &store.CampaignsUpsertParams{Campaigns: []foundation.Campaign{
		{ID: "C-001", Name: "Spring", Channel: "email", OwnerID: "O-001", Budget: 1000, EndDate: date(2025, 6, 30)},
	}}))
	mustWrite(t, 1)(s.LicensesUpsert(ctx(t), &store.LicensesUpsertParams{Licenses: []foundation.License{
		{Tool: "figma", Vendor: "Figma", Seats: 10},
	}}))
	mustWrite(t, 1)(s.TemplatesUpsert(ctx(t), &store.TemplatesUpsertParams{Templates: []foundation.Template{
		{ID: "T-1", ESP: "mailchimp", Subject: "Hello", Body: "Hi *|FNAME|*"},
	}}))
	mustWrite(t, 2)(s.RecordsUpsert(ctx(t), &store.RecordsUpsertParams{Records: []foundation.Record{
		{System: "crm", SystemID: "c1", Email: "ana@x.test", FirstName: "Ana", AccountID: "A-001",
			Traits: foundation.Traits{"plan": "pro"}},
		{System: "crm", SystemID: "c2", Email: "bo@x.test", FirstName: "Bo"},
	}}))
	ana = must[*store.PersonDetail](t)(s.PersonGet(ctx(t), &store.PersonGetParams{Email: "ana@x.test"})).Person.ID
	bo = must[*store.PersonDetail](t)(s.PersonGet(ctx(t), &store.PersonGetParams{Email: "bo@x.test"})).Person.ID
	return ana, bo
}

// setField runs FieldSet and checks the value it reports as before.
func setField(t *testing.T, s store.Effects, entity, id, field, value, wantBefore string) {
	t.Helper()
	before, err := s.FieldSet(ctx(t), &store.FieldSetParams{Entity: entity, ID: id, Field: field, Value: value})
	if err != nil {
		t.Fatalf("FieldSet %s %s %s=%q: %v", entity, id, field, value, err)
	}
	checkEqual(t, "before of "+entity+"."+field, before, wantBefore)
}

// wantErr asserts err wraps target and its text names every word of want.
func wantErr(t *testing.T, what string, err, target error, want ...string) {
	t.Helper()
	if err == nil {
		t.Errorf("%s: no error", what)
		return
	}
	if target != nil && !errors.Is(err, target) {
		t.Errorf("%s: err = %v, want %v", what, err, target)
	}
	for _, w := range want {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("%s: error %q does not name %q", what, err, w)
		}
	}
}

var fieldTests = []test{
	{"FieldSetEveryEntity", func(t *testing.T, s store.Store) {
		ana, _ := seedEffects(t, s)
		pid := strconv.FormatInt(ana, 10)
		setField(t, s, store.EntityPerson, pid, "title", "CMO", "")
		setField(t, s, store.EntityPerson, pid, "first_name", "Anna", "Ana")
		setField(t, s, store.EntityPerson, pid, "account_id", "A-002", "A-001")
		p := must[*store.PersonDetail](t)(s.PersonGet(ctx(t), &store.PersonGetParams{ID: ana})).Person
		checkEqual(t, "person", []string{p.Title, p.FirstName, p.AccountID}, []string{"CMO", "Anna", "A-002"})
		setField(t, s, store.EntityPerson, pid, "account_id", "", "A-002")
		p = must[*store.PersonDetail](t)(s.PersonGet(ctx(t), &store.PersonGetParams{ID: ana})).Person
		checkEqual(t, "cleared account", p.AccountID, "")

		setField(t, s, store.EntityRecord, "crm:c1", "phone", "+44 1", "")
		rec := must[[]foundation.Record](t)(s.RecordsList(ctx(t), &store.RecordsListParams{PersonID: ana}))
		checkEqual(t, "record phone", rec[0].Phone, "+44 1")

		setField(t, s, store.EntityAccount, "A-003", "owner_id", "O-002", "")
		setField(t, s, store.EntityAccount, "A-003", "tier", "gold", "")
		a := must[*store.AccountDetail](t)(s.AccountGet(ctx(t), &store.AccountGetParams{ID: "A-003"})).Account
		checkEqual(t, "account", []string{a.OwnerID, a.Tier}, []string{"O-002", "gold"})

		setField(t, s, store.EntityCampaign, "C-001", "status", "paused", "active")
		setField(t, s, store.EntityCampaign, "C-001", "budget", "750.25", "1000")
		setField(t, s, store.EntityCampaign, "C-001", "end_date", "2025-07-31", "2025-06-30")
		setField(t, s, store.EntityCampaign, "C-001", "owner_id", "O-002", "O-001")
		c := must[*store.CampaignDetail](t)(s.CampaignGet(ctx(t), &store.CampaignGetParams{ID: "C-001"})).Campaign
		checkEqual(t, "campaign", []string{c.Status, strconv.FormatFloat(c.Budget, 'f', -1, 64), c.EndDate.Format("2006-01-02"), c.OwnerID},
			[]string{"paused", "750.25", "2025-07-31", "O-002"})
		setField(t, s, store.EntityCampaign, "C-001", "budget", "1000", "750.25")
		setField(t, s, store.EntityCampaign, "C-001", "end_date", "", "2025-07-31")
		c = must[*store.CampaignDetail](t)(s.CampaignGet(ctx(t), &store.CampaignGetParams{ID: "C-001"})).Campaign
		if !c.EndDate.IsZero() {
			t.Errorf("end_date = %v, want cleared", c.EndDate)
		}

		setField(t, s, store.EntityLicense, "figma", "seats", "7", "10")
		l := must[[]foundation.License](t)(s.LicensesList(ctx(t), &store.LicensesListParams{}))
		checkEqual(t, "seats", l[0].Seats, 7)

		setField(t, s, store.EntityTemplate, "T-1", "subject", "Hello again", "Hello")
		setField(t, s, store.EntityTemplate, "T-1", "body", "Hi", "Hi *|FNAME|*")
		tp := must[*foundation.Template](t)(s.TemplateGet(ctx(t), &store.TemplateGetParams{ID: "T-1"}))
		checkEqual(t, "template", []string{tp.Subject, tp.Body}, []string{"Hello again", "Hi"})
	}},
	{"FieldSetTraits", func(t *testing.T, s store.Store) {
		ana, _ := seedEffects(t, s)
		setField(t, s, store.EntityRecord, "crm:c1", "traits.plan", "enterprise", "pro")
		setField(t, s, store.EntityRecord, "crm:c1", "traits.score", "42", "")
		rec := must[[]foundation.Record](t)(s.RecordsList(ctx(t), &store.RecordsListParams{PersonID: ana}))
		checkTraits(t, "record traits", rec[0].Traits, foundation.Traits{"plan": "enterprise", "score": "42"})
		setField(t, s, store.EntityRecord, "crm:c1", "traits.plan", "", "enterprise")
		rec = must[[]foundation.Record](t)(s.RecordsList(ctx(t), &store.RecordsListParams{PersonID: ana}))
		checkTraits(t, "record traits after clear", rec[0].Traits, foundation.Traits{"score": "42"})

		setField(t, s, store.EntityCampaign, "C-001", "traits.theme", "spring", "")
		c := must[*store.CampaignDetail](t)(s.CampaignGet(ctx(t), &store.CampaignGetParams{ID: "C-001"})).Campaign
		checkTraits(t, "campaign traits", c.Traits, foundation.Traits{"theme": "spring"})
		setField(t, s, store.EntityPerson, strconv.FormatInt(ana, 10), "traits.vip", "yes", "")
		p := must[*store.PersonDetail](t)(s.PersonGet(ctx(t), &store.PersonGetParams{ID: ana})).Person
		checkEqual(t, "person trait", p.Traits["vip"], any("yes"))
	}},
	{"FieldSetErrors", func(t *testing.T, s store.Store) {
		ana, _ := seedEffects(t, s)
		set := func(entity, id, field, value string) error {
			_, err := s.FieldSet(ctx(t), &store.FieldSetParams{Entity: entity, ID: id, Field: field, Value: value})
			return err
		}
		wantErr(t, "unknown campaign", set(store.EntityCampaign, "C-404", "status", "paused"), store.ErrNotFound, "C-404")
		wantErr(t, "unknown person", set(store.EntityPerson, "999999", "title", "x"), store.ErrNotFound, "999999")
		wantErr(t, "bad person id", set(store.EntityPerson, "ana", "title", "x"), store.ErrNotFound, "ana")
		wantErr(t, "unknown record", set(store.EntityRecord, "crm:nope", "title", "x"), store.ErrNotFound, "crm:nope")
		wantErr(t, "unknown licence", set(store.EntityLicense, "sketch", "seats", "1"), store.ErrNotFound, "sketch")
		wantErr(t, "unknown field", set(store.EntityAccount, "A-001", "employees", "5"), store.ErrUnknownField, "employees", "owner_id")
		wantErr(t, "email not settable", set(store.EntityPerson, strconv.FormatInt(ana, 10), "email", "x@y.test"), store.ErrUnknownField, "email")
		wantErr(t, "no traits on licences", set(store.EntityLicense, "figma", "traits.x", "1"), store.ErrUnknownField, "traits.x")
		wantErr(t, "unknown entity", set("holding", "x", "seats", "1"), store.ErrUnknownField, "holding")
		wantErr(t, "bad budget", set(store.EntityCampaign, "C-001", "budget", "lots"), store.ErrBadFieldValue, "budget", "lots")
		wantErr(t, "negative budget", set(store.EntityCampaign, "C-001", "budget", "-5"), store.ErrBadFieldValue, "budget")
		wantErr(t, "bad seats", set(store.EntityLicense, "figma", "seats", "2.5"), store.ErrBadFieldValue, "seats", "2.5")
		wantErr(t, "bad status", set(store.EntityCampaign, "C-001", "status", "stopped"), store.ErrBadFieldValue, "stopped")
		wantErr(t, "bad date", set(store.EntityCampaign, "C-001", "end_date", "31/07/2025"), store.ErrBadFieldValue, "end_date")
		wantErr(t, "unknown owner", set(store.EntityAccount, "A-001", "owner_id", "O-404"), store.ErrBadFieldValue, "O-404")
		wantErr(t, "unknown account", set(store.EntityRecord, "crm:c1", "account_id", "A-404"), store.ErrBadFieldValue, "A-404")
		// Nothing changed.
		c := must[*store.CampaignDetail](t)(s.CampaignGet(ctx(t), &store.CampaignGetParams{ID: "C-001"})).Campaign
		checkEqual(t, "campaign after errors", []any{c.Status, c.Budget}, []any{"active", 1000.0})
		a := must[*store.AccountDetail](t)(s.AccountGet(ctx(t), &store.AccountGetParams{ID: "A-001"})).Account
		checkEqual(t, "owner after errors", a.OwnerID, "O-001")
	}},
	{"FieldSetInTxRollsBack", func(t *testing.T, s store.Store) {
		seedEffects(t, s)
		boom := errors.New("boom")
		err := s.InTx(ctx(t), func(ctx2 context.Context, q store.Queries) error {
			if _, err := q.FieldSet(ctx2, &store.FieldSetParams{Entity: store.EntityCampaign, ID: "C-001", Field: "status", Value: "paused"}); err != nil {
				return err
			}
			return boom
		})
		if !errors.Is(err, boom) {
			t.Fatalf("InTx = %v, want boom", err)
		}
		c := must[*store.CampaignDetail](t)(s.CampaignGet(ctx(t), &store.CampaignGetParams{ID: "C-001"})).Campaign
		checkEqual(t, "status after rollback", c.Status, "active")
	}},
	{"CampaignsUpsertKeepsStatus", func(t *testing.T, s store.Store) {
		seedEffects(t, s)
		setField(t, s, store.EntityCampaign, "C-001", "status", "paused", "active")
		mustWrite(t, 1)(s.CampaignsUpsert(ctx(t), &store.CampaignsUpsertParams{Campaigns: []foundation.Campaign{
			{ID: "C-001", Name: "Spring (renamed)", Channel: "email", OwnerID: "O-001", Budget: 1000},
		}}))
		c := must[*store.CampaignDetail](t)(s.CampaignGet(ctx(t), &store.CampaignGetParams{ID: "C-001"})).Campaign
		checkEqual(t, "re-imported", []string{c.Name, c.Status}, []string{"Spring (renamed)", "paused"})
		l := must[[]store.CampaignSummary](t)(s.CampaignsList(ctx(t), &store.CampaignsListParams{}))
		checkEqual(t, "listed status", l[0].Status, "paused")
	}},
	{"ConsentDeleteByNaturalKey", func(t *testing.T, s store.Store) {
		ana, _ := seedEffects(t, s)
		at := time.Date(2025, 5, 3, 9, 30, 0, 123456000, time.UTC)
		facts := []foundation.Consent{
			{System: "crm", SystemID: "c1", Channel: foundation.ChannelEmail, Status: foundation.StatusDoNotContact, Reason: "tower", At: at},
			{System: "crm", SystemID: "c1", Channel: foundation.ChannelSMS, Status: foundation.StatusDoNotContact, At: at},
			{System: "esp", Email: "Ana@X.test", Channel: foundation.ChannelEmail, Status: foundation.StatusHardBounce, At: at},
		}
		mustWrite(t, 3)(s.ConsentUpsert(ctx(t), &store.ConsentUpsertParams{Consents: facts}))
		// A different time, channel or status is a different fact.
		n := must[int](t)(s.ConsentDelete(ctx(t), &store.ConsentDeleteParams{Consents: []foundation.Consent{
			{System: "crm", SystemID: "c1", Channel: foundation.ChannelEmail, Status: foundation.StatusDoNotContact, At: at.Add(time.Microsecond)},
			{System: "crm", SystemID: "c1", Channel: foundation.ChannelPhone, Status: foundation.StatusDoNotContact, At: at},
			{System: "crm", SystemID: "c1", Channel: foundation.ChannelEmail, Status: foundation.StatusUnsubscribed, At: at},
		}}))
		checkEqual(t, "deleted near misses", n, 0)
		// The reason is not part of the key; the e-mail is normalised.
		n = must[int](t)(s.ConsentDelete(ctx(t), &store.ConsentDeleteParams{Consents: []foundation.Consent{
			{System: "crm", SystemID: "c1", Channel: foundation.ChannelEmail, Status: foundation.StatusDoNotContact, Reason: "other", At: at},
			{System: "esp", Email: "ana@x.test ", Channel: foundation.ChannelEmail, Status: foundation.StatusHardBounce, At: at},
		}}))
		checkEqual(t, "deleted", n, 2)
		left := must[[]foundation.Consent](t)(s.ConsentList(ctx(t), &store.ConsentListParams{PersonID: ana}))
		if len(left) != 1 || left[0].Channel != foundation.ChannelSMS {
			t.Errorf("left = %+v, want only the sms fact", left)
		}
		n = must[int](t)(s.ConsentDelete(ctx(t), &store.ConsentDeleteParams{Consents: facts[1:2]}))
		checkEqual(t, "deleted again", n, 1)
		n = must[int](t)(s.ConsentDelete(ctx(t), &store.ConsentDeleteParams{Consents: facts[1:2]}))
		checkEqual(t, "deleted twice", n, 0)
	}},
}
