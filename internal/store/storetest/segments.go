package storetest

import (
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/towerops/tower/internal/foundation"
	"github.com/towerops/tower/internal/segment"
	"github.com/towerops/tower/internal/store"
)

// segmentNow is the clock segment tests evaluate rules at.
var segmentNow = time.Date(2026, 6, 30, 12, 0, 0, 0, time.UTC)

// segmentFixture writes five people in two accounts with traits, records
// in two systems, a holding and pricing events, and returns person ids by
// e-mail.
func segmentFixture(t *testing.T, s store.Store) map[string]int64 {
	t.Helper()
	mustWrite(t, 2)(s.AccountsUpsert(ctx(t), &store.AccountsUpsertParams{Accounts: []foundation.Account{
		{ID: "A-1", Name: "Haulers", Industry: "Logistics", Employees: 800, Region: "EMEA", Traits: foundation.Traits{"plan": "business"}},
		{ID: "A-2", Name: "Shopco", Industry: "Retail", Employees: 40, Region: "NA"},
	}}))
	mustWrite(t, 1)(s.ProductsUpsert(ctx(t), &store.ProductsUpsertParams{Products: []foundation.Product{{ID: "prod-core", Name: "Core"}}}))
	mustWrite(t, 1)(s.HoldingsUpsert(ctx(t), &store.HoldingsUpsertParams{Holdings: []foundation.Holding{
		{AccountID: "A-1", ProductID: "prod-core", Since: date(2025, 1, 1), Seats: 5}}}))
	mustWrite(t, 6)(s.RecordsUpsert(ctx(t), &store.RecordsUpsertParams{Records: []foundation.Record{
		{System: "crm", SystemID: "c1", Email: "ana@x.test", Title: "Head of Operations", AccountID: "A-1", Country: "DE",
			Traits: foundation.Traits{"score": 87, "persona": "ops"}},
		{System: "crm", SystemID: "c2", Email: "bo@x.test", Title: "Operations Analyst", AccountID: "A-1", Country: "FR",
			Traits: foundation.Traits{"score": "12", "persona": "ops"}},
		{System: "crm", SystemID: "c3", Email: "cy@x.test", Title: "Operations Lead", AccountID: "A-2", Country: "US",
			Traits: foundation.Traits{"score": "n/a"}},
		{System: "crm", SystemID: "c4", Email: "di@x.test", Title: "CFO", Country: "US"},
		{System: "hubspot", SystemID: "h1", Email: "di@x.test"},
		{System: "hubspot", SystemID: "h5", Email: "ed@x.test", Title: "VP Operations"},
	}}))
	people := must[[]store.PersonSummary](t)(s.PeopleList(ctx(t), &store.PeopleListParams{}))
	ids := map[string]int64{}
	for _, p := range people {
		ids[p.Email] = p.ID
	}
	var evs []foundation.Event
	add := func(email, name string, daysAgo int) {
		evs = append(evs, foundation.Event{MessageID: email + name + time.Duration(daysAgo).String(), Type: "track",
			Email: email, Event: name, Timestamp: segmentNow.AddDate(0, 0, -daysAgo)})
	}
	add("ana@x.test", "Pricing Viewed", 1)
	add("ana@x.test", "Pricing Viewed", 3)
	add("bo@x.test", "Pricing Viewed", 2)
	add("bo@x.test", "Pricing Viewed", 60) // outside a 30-day window
	add("cy@x.test", "Pricing Viewed", 5)
	add("cy@x.test", "Pricing Viewed", 6)
	add("ed@x.test", "Pricing Viewed", -2) // after now: never counted
	add("ed@x.test", "Demo Requested", 1)
	mustWrite(t, len(evs))(s.EventsInsert(ctx(t), &store.EventsInsertParams{Events: evs}))
	return ids
}

// members returns the e-mails of a segment's members.
func members(t *testing.T, s store.Store, id string, ids map[string]int64) []string {
	t.Helper()
	got := must[[]int64](t)(s.SegmentMembers(ctx(t), &store.SegmentMembersParams{ID: id, Limit: 1000}))
	var out []string
	for _, pid := range got {
		for e, v := range ids {
			if v == pid {
				out = append(out, e)
			}
		}
	}
	slices.Sort(out)
	return out
}

var segmentTests = []test{
	{"RulesRunInTheDatabase", func(t *testing.T, s store.Store) {
		ids := segmentFixture(t, s)
		for _, c := range []struct {
			rule string
			want []string
		}{
			{`account.industry == "Logistics" && person.title.contains("Operations") && events.count("Pricing Viewed", days(30)) >= 2`, []string{"ana@x.test"}},
			{`events.count("Pricing Viewed") >= 2`, []string{"ana@x.test", "bo@x.test", "cy@x.test"}},
			{`events.count("Pricing Viewed", days(30)) < 1`, []string{"di@x.test", "ed@x.test"}},
			{`events.count("Pricing Viewed", days(30)) == 1`, []string{"bo@x.test"}},
			{`account.industry != "Logistics"`, []string{"cy@x.test", "di@x.test", "ed@x.test"}},
			{`account.employees >= 100 && account.owns("prod-core")`, []string{"ana@x.test", "bo@x.test"}},
			{`account.region in ["NA", "APAC"]`, []string{"cy@x.test"}},
			{`person.traits.score >= 50`, []string{"ana@x.test"}},
			{`traits.score < 50`, []string{"bo@x.test"}},
			{`person.traits.persona == "ops"`, []string{"ana@x.test", "bo@x.test"}},
			{`has(person.traits.persona)`, []string{"ana@x.test", "bo@x.test"}},
			{`account.traits.plan == "business" && person.country.startsWith("D")`, []string{"ana@x.test"}},
			{`person.title.endsWith("Lead") || person.title.lowerAscii().contains("cfo")`, []string{"cy@x.test", "di@x.test"}},
			{`records.exists(r, r.system == "hubspot")`, []string{"di@x.test", "ed@x.test"}},
			{`records.all(r, r.system == "crm") && !(person.country == "US")`, []string{"ana@x.test", "bo@x.test"}},
			{`events.count("Demo Requested", days(7)) >= 1 || person.email == "x@x.test"`, []string{"ed@x.test"}},
			{`person.created_at > timestamp("2020-01-01T00:00:00Z")`, []string{"ana@x.test", "bo@x.test", "cy@x.test", "di@x.test", "ed@x.test"}},
		} {
			prev := must[*store.SegmentPreviewResult](t)(s.SegmentPreview(ctx(t), &store.SegmentPreviewParams{Rule: c.rule, Now: segmentNow, Sample: 10}))
			var got []string
			for _, pid := range prev.Sample {
				for e, v := range ids {
					if v == pid {
						got = append(got, e)
					}
				}
			}
			slices.Sort(got)
			if prev.Size != int64(len(c.want)) || !slices.Equal(got, c.want) {
				t.Errorf("%s\n  got %d %v, want %v", c.rule, prev.Size, got, c.want)
			}
		}
	}},
	{"SaveRefreshIncrementally", func(t *testing.T, s store.Store) {
		ids := segmentFixture(t, s)
		_, err := s.SegmentSave(ctx(t), &store.SegmentSaveParams{ID: "Bad Id", Name: "x", Rule: "true"})
		if err == nil {
			t.Fatal("a segment id with spaces was accepted")
		}
		_, err = s.SegmentSave(ctx(t), &store.SegmentSaveParams{ID: "bad", Name: "x", Rule: `person.titel == "x"`})
		if !errors.Is(err, segment.ErrRule) {
			t.Fatalf("a misspelt field: %v", err)
		}
		wantNotFound(t, "refresh of a missing segment", func() error {
			_, err := s.SegmentRefresh(ctx(t), &store.SegmentRefreshParams{ID: "nope", Now: segmentNow})
			return err
		}())
		rule := `events.count("Pricing Viewed", days(30)) >= 2`
		seg := must[*store.Segment](t)(s.SegmentSave(ctx(t), &store.SegmentSaveParams{ID: "hot", Name: "Hot", Rule: rule,
			CreatedBy: "user:maya", Now: segmentNow}))
		if !seg.RefreshedAt.IsZero() || seg.Size != 0 || seg.CreatedBy != "user:maya" {
			t.Fatalf("new segment: %+v", seg)
		}
		res := must[*store.SegmentRefreshResult](t)(s.SegmentRefresh(ctx(t), &store.SegmentRefreshParams{ID: "hot", Now: segmentNow}))
		if !res.Full || res.Why == "" || res.Added != 2 || res.Segment.Size != 2 {
			t.Fatalf("first refresh: %+v", res)
		}
		checkEqual(t, "members", members(t, s, "hot", ids), []string{"ana@x.test", "cy@x.test"})

		// A new event for bo brings bo in; an incremental refresh looks
		// at bo and the current members only.
		mustWrite(t, 1)(s.EventsInsert(ctx(t), &store.EventsInsertParams{Events: []foundation.Event{
			{MessageID: "bo-again", Type: "track", Email: "bo@x.test", Event: "Pricing Viewed", Timestamp: segmentNow.AddDate(0, 0, -1)}}}))
		res = must[*store.SegmentRefreshResult](t)(s.SegmentRefresh(ctx(t), &store.SegmentRefreshParams{ID: "hot", Now: segmentNow}))
		if res.Full || res.Added != 1 || res.Removed != 0 || res.Checked != 3 || res.Segment.Size != 3 {
			t.Fatalf("incremental refresh: %+v", res)
		}
		// 26 days later cy's views fall out of the window; the clock
		// alone removes cy, and an incremental refresh sees it.
		later := segmentNow.AddDate(0, 0, 26)
		res = must[*store.SegmentRefreshResult](t)(s.SegmentRefresh(ctx(t), &store.SegmentRefreshParams{ID: "hot", Now: later}))
		if res.Full || res.Removed != 1 || res.Segment.Size != 2 || !res.Segment.AsOf.Equal(later) {
			t.Fatalf("refresh after the window moved: %+v", res)
		}
		// A rule the clock can add people to is always refreshed fully.
		must[*store.Segment](t)(s.SegmentSave(ctx(t), &store.SegmentSaveParams{ID: "cold", Name: "Cold",
			Rule: `events.count("Pricing Viewed", days(30)) == 0`, Now: segmentNow}))
		must[*store.SegmentRefreshResult](t)(s.SegmentRefresh(ctx(t), &store.SegmentRefreshParams{ID: "cold", Now: segmentNow}))
		res = must[*store.SegmentRefreshResult](t)(s.SegmentRefresh(ctx(t), &store.SegmentRefreshParams{ID: "cold", Now: later}))
		if !res.Full || res.Why == "" || res.Segment.Size != 2 {
			t.Fatalf("cold refresh: %+v", res)
		}
		// Changing the rule makes the next refresh full.
		must[*store.Segment](t)(s.SegmentSave(ctx(t), &store.SegmentSaveParams{ID: "hot", Name: "Hot", Rule: `person.country == "US"`, Now: segmentNow}))
		res = must[*store.SegmentRefreshResult](t)(s.SegmentRefresh(ctx(t), &store.SegmentRefreshParams{ID: "hot", Now: segmentNow}))
		if !res.Full {
			t.Fatalf("refresh after a rule change was not full: %+v", res)
		}
		checkEqual(t, "members after the rule change", members(t, s, "hot", ids), []string{"cy@x.test", "di@x.test"})

		list := must[[]store.Segment](t)(s.SegmentsList(ctx(t), &store.SegmentsListParams{}))
		checkEqual(t, "list", ids2(list), []string{"cold", "hot"})
		page := must[[]int64](t)(s.SegmentMembers(ctx(t), &store.SegmentMembersParams{ID: "cold", After: ids["bo@x.test"], Limit: 2}))
		if len(page) != 2 || page[0] <= ids["bo@x.test"] {
			t.Fatalf("keyset page: %v", page)
		}
		people := must[[]foundation.Person](t)(s.SegmentPeople(ctx(t), &store.SegmentMembersParams{ID: "hot", Limit: 10}))
		if len(people) != 2 || people[0].Email != "cy@x.test" || people[0].Title != "Operations Lead" || people[0].AccountID != "A-2" {
			t.Fatalf("segment people: %+v", people)
		}
		if err := s.SegmentDelete(ctx(t), &store.SegmentGetParams{ID: "cold"}); err != nil {
			t.Fatal(err)
		}
		wantNotFound(t, "deleted segment", s.SegmentDelete(ctx(t), &store.SegmentGetParams{ID: "cold"}))
		if got := must[[]int64](t)(s.SegmentMembers(ctx(t), &store.SegmentMembersParams{ID: "cold"})); len(got) != 0 {
			t.Fatalf("members outlived their segment: %v", got)
		}
	}},
	{"MergedPeopleLeave", func(t *testing.T, s store.Store) {
		ids := segmentFixture(t, s)
		must[*store.Segment](t)(s.SegmentSave(ctx(t), &store.SegmentSaveParams{ID: "us", Name: "US", Rule: `person.country == "US"`, Now: segmentNow}))
		must[*store.SegmentRefreshResult](t)(s.SegmentRefresh(ctx(t), &store.SegmentRefreshParams{ID: "us", Now: segmentNow}))
		must[*store.PeopleMergeResult](t)(s.PeopleMerge(ctx(t), &store.PeopleMergeParams{Into: ids["ana@x.test"], From: []int64{ids["cy@x.test"]}}))
		res := must[*store.SegmentRefreshResult](t)(s.SegmentRefresh(ctx(t), &store.SegmentRefreshParams{ID: "us", Now: segmentNow}))
		if res.Full {
			t.Fatalf("refresh was full: %+v", res)
		}
		if got := members(t, s, "us", ids); slices.Contains(got, "cy@x.test") {
			t.Fatalf("a merged-away person stayed a member: %v", got)
		}
	}},
}

func ids2(l []store.Segment) []string {
	out := make([]string, len(l))
	for i, s := range l {
		out[i] = s.ID
	}
	return out
}
