package hubspot_test

import (
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/towerops/tower/internal/connect"
	"github.com/towerops/tower/internal/connect/connecttest"
	"github.com/towerops/tower/internal/connect/hubspot"
	"github.com/towerops/tower/internal/connect/hubspot/hubspotfake"
	"github.com/towerops/tower/internal/foundation"
)

func TestPullMapsFieldsAndConsent(t *testing.T) {
	f, clock, c := setup(t, hubspotfake.Token, nil)
	ids := f.Seed([]connecttest.Seed{
		{Email: "Ana@Example.com", FirstName: "Ana", LastName: "Lima"},
		{Email: "bo@example.com", FirstName: "Bo", LastName: "Berg", Suppressed: true},
		{Email: "cy@example.com", FirstName: "Cy", LastName: "Cole"},
	})
	for k, v := range map[string]string{"jobtitle": "CMO", "phone": "+44 20 7946 0000", "country": "United Kingdom",
		"state": "London", "company": "Acme", "lifecyclestage": "customer"} {
		f.SetProperty(ids[0], k, v)
	}
	clock.Advance(time.Hour)
	f.OptOutAll("cy@example.com")
	b := pullAll(t, c)
	if len(b.Records) != 3 {
		t.Fatalf("%d records", len(b.Records))
	}
	want := foundation.Record{System: "crm", SystemID: ids[0], Email: "Ana@Example.com", FirstName: "Ana", LastName: "Lima",
		Title: "CMO", Phone: "+44 20 7946 0000", Country: "United Kingdom", Region: "London",
		CreatedAt: connecttest.Start, UpdatedAt: connecttest.Start}
	got := b.Records[0]
	if got.Traits["company"] != "Acme" || got.Traits["lifecycle_stage"] != "customer" || len(got.Traits) != 2 {
		t.Errorf("traits %v", got.Traits)
	}
	got.Traits = nil
	if !reflect.DeepEqual(got, want) {
		t.Errorf("record\n got %+v\nwant %+v", got, want)
	}
	if len(b.Consent) != 2 {
		t.Fatalf("consent facts %+v, want Bo's marketing unsubscribe and Cy's opt-out of all", b.Consent)
	}
	for _, fact := range b.Consent {
		if fact.System != "crm" || fact.Channel != foundation.ChannelEmail || fact.Status != foundation.StatusUnsubscribed || fact.At.IsZero() {
			t.Errorf("fact %+v", fact)
		}
		switch fact.SystemID {
		case ids[1]:
			if fact.Email != "bo@example.com" {
				t.Errorf("Bo's fact %+v", fact)
			}
		case ids[2]:
			if fact.Email != "cy@example.com" || fact.Reason != "opted out of all email in HubSpot (hs_email_optout)" {
				t.Errorf("Cy's fact %+v", fact)
			}
		default:
			t.Errorf("fact for %s, who is sendable", fact.SystemID)
		}
	}
}

func TestProperty(t *testing.T) {
	for field, want := range map[string]string{"first_name": "firstname", "last_name": "lastname", "title": "jobtitle",
		"phone": "phone", "country": "country", "region": "state", "company": "company", "email": "email",
		"traits.lead_score": "lead_score", "traits.Plan_Tier": "plan_tier"} {
		got, err := hubspot.Property(field)
		if err != nil || got != want {
			t.Errorf("Property(%q) = %q, %v; want %q", field, got, err, want)
		}
	}
	for _, bad := range []string{"nickname", "traits.lead score", "traits.", "traits.hs_email_optout"} {
		if _, err := hubspot.Property(bad); err == nil {
			t.Errorf("Property(%q) accepted", bad)
		}
	}
}

func TestUpdateFieldsTraitsAndOneBadValue(t *testing.T) {
	f, _, c := setup(t, hubspotfake.Token, nil)
	ids := f.Seed([]connecttest.Seed{{Email: "a@example.com"}, {Email: "b@example.com"}})
	res := c.Push(t.Context(), []connect.Change{
		{Key: "k1", Op: connect.OpUpdateField, SystemID: ids[0], Field: "traits.lead_score", Value: "42"},
		{Key: "k2", Op: connect.OpUpdateField, SystemID: ids[1], Field: "region", Value: "Bavaria"},
		// createdate is read-only: HubSpot refuses the whole batch, and
		// the connector sends the others again one by one.
		{Key: "k3", Op: connect.OpUpdateField, SystemID: ids[1], Field: "traits.createdate", Value: "x"},
	})
	if res[0].Err != nil || res[1].Err != nil {
		t.Fatalf("good updates failed: %v / %v", res[0].Err, res[1].Err)
	}
	if res[2].Err == nil {
		t.Fatalf("writing a read-only property succeeded")
	}
	if _, retry := connect.Retryable(res[2].Err); retry {
		t.Errorf("a refused value is retryable: %v", res[2].Err)
	}
	if got := f.Property(ids[0], "lead_score"); got != "42" {
		t.Errorf("lead_score = %q", got)
	}
	if got := f.Field(ids[1], "region"); got != "Bavaria" {
		t.Errorf("region = %q", got)
	}
}

func TestSameRecordTwiceInOnePush(t *testing.T) {
	f, _, c := setup(t, hubspotfake.Token, nil)
	ids := f.Seed([]connecttest.Seed{{Email: "a@example.com", FirstName: "A"}})
	res := c.Push(t.Context(), []connect.Change{
		{Key: "u1", Op: connect.OpUpdateField, SystemID: ids[0], Field: "first_name", Value: "One"},
		{Key: "u2", Op: connect.OpUpdateField, SystemID: ids[0], Field: "first_name", Value: "Two"},
		{Key: "s1", Op: connect.OpSuppress, SystemID: ids[0], Email: "a@example.com", Channel: foundation.ChannelEmail, Status: foundation.StatusUnsubscribed},
		{Key: "s2", Op: connect.OpUnsuppress, SystemID: ids[0], Email: "a@example.com", Channel: foundation.ChannelEmail, Status: foundation.StatusSubscribed},
	})
	for _, r := range res {
		if r.Err != nil {
			t.Fatalf("%s: %v", r.Key, r.Err)
		}
	}
	if got := f.Field(ids[0], "first_name"); got != "Two" {
		t.Errorf("first_name = %q, want the later change's Two", got)
	}
	if !f.Sendable(ids[0], foundation.ChannelEmail) {
		t.Errorf("not sendable: the unsuppress after the suppress did not land last")
	}
}

func TestUnsuppressSubscribesToMarketingOnly(t *testing.T) {
	f, _, c := setup(t, hubspotfake.Token, nil)
	ids := f.Seed([]connecttest.Seed{{Email: "a@example.com"}})
	f.OptOutAll("a@example.com")
	// No e-mail on the change: the connector reads it from the contact.
	res := c.Push(t.Context(), []connect.Change{{Key: "k", Op: connect.OpUnsuppress, SystemID: ids[0],
		Channel: foundation.ChannelEmail, Status: foundation.StatusSubscribed, Reason: "opted in at the webinar"}})
	if res[0].Err != nil {
		t.Fatal(res[0].Err)
	}
	if !f.Sendable(ids[0], foundation.ChannelEmail) {
		t.Errorf("still opted out")
	}
	if got := f.Subscription("a@example.com", hubspotfake.MarketingSubscription); got != "SUBSCRIBED" {
		t.Errorf("marketing subscription %q", got)
	}
	if got := f.Subscription("a@example.com", 1003); got != "" {
		t.Errorf("newsletter subscription set to %q; only marketing should be", got)
	}
}

func TestOtherChannelsAndUnmerge(t *testing.T) {
	f, _, c := setup(t, hubspotfake.Token, nil)
	ids := f.Seed([]connecttest.Seed{{Email: "a@example.com"}, {Email: "b@example.com"}})
	res := c.Push(t.Context(), []connect.Change{
		{Key: "sms", Op: connect.OpSuppress, SystemID: ids[0], Email: "a@example.com", Channel: foundation.ChannelSMS, Status: foundation.StatusUnsubscribed},
		{Key: "um", Op: connect.OpUnmerge, SystemID: ids[1], IntoID: ids[0]},
	})
	if res[0].Err == nil || !f.Sendable(ids[0], foundation.ChannelEmail) {
		t.Errorf("an SMS suppress was accepted or touched e-mail: %v", res[0].Err)
	}
	if !errors.Is(res[1].Err, connect.ErrUnsupported) {
		t.Errorf("unmerge: %v", res[1].Err)
	}
	if f.Mutations() != 0 {
		t.Errorf("%d mutations from refused changes", f.Mutations())
	}
}

func TestMergeAgainIsDoneButAnotherMergeIsNot(t *testing.T) {
	f, _, c := setup(t, hubspotfake.Token, nil)
	ids := f.Seed([]connecttest.Seed{{Email: "a@example.com"}, {Email: "b@example.com"}, {Email: "c@example.com"}})
	m := connect.Change{Key: "m", Op: connect.OpMerge, SystemID: ids[1], IntoID: ids[0]}
	for range 2 {
		if res := c.Push(t.Context(), []connect.Change{m}); res[0].Err != nil {
			t.Fatal(res[0].Err)
		}
	}
	if f.Mutations() != 1 || f.MergedInto(ids[1]) != ids[0] {
		t.Errorf("mutations %d, merged into %q", f.Mutations(), f.MergedInto(ids[1]))
	}
	// ids[1] is merged into ids[0], not ids[2]: asking for that is an error.
	res := c.Push(t.Context(), []connect.Change{{Key: "m2", Op: connect.OpMerge, SystemID: ids[1], IntoID: ids[2]}})
	if res[0].Err == nil {
		t.Errorf("merging an already merged contact into another one succeeded")
	}
}
