package storetest

import (
	"testing"
	"time"

	"github.com/towerops/tower/internal/foundation"
	"github.com/towerops/tower/internal/store"
)

var licenseTests = []test{
	{"RoundTripIdempotentUpdate", func(t *testing.T, s store.Store) {
		ls := []foundation.License{
			{Tool: "salesloft", Vendor: "Salesloft", Category: "sales engagement", Seats: 50, CostPerSeatMonth: 125.5,
				RenewalDate: date(2026, 1, 31), OwnerEmail: "ops@tower.test"},
			{Tool: "hubspot", Seats: 10, CostPerSeatMonth: 90},
		}
		for range 2 {
			mustWrite(t, 2)(s.LicensesUpsert(ctx(t), &store.LicensesUpsertParams{Licenses: ls}))
		}
		checkEqual(t, "Counts.Licenses", counts(t, s).Licenses, int64(2))
		got := must[[]foundation.License](t)(s.LicensesList(ctx(t), &store.LicensesListParams{}))
		want := []foundation.License{ls[1], ls[0]}
		if len(got) != 2 {
			t.Fatalf("LicensesList: %d", len(got))
		}
		for i := range want {
			checkTime(t, "RenewalDate", got[i].RenewalDate, want[i].RenewalDate)
			g, w := got[i], want[i]
			g.RenewalDate, w.RenewalDate = time.Time{}, time.Time{}
			checkEqual(t, "license", g, w)
		}
		ls[1].Seats, ls[1].RenewalDate = 8, date(2025, 7, 1)
		mustWrite(t, 1)(s.LicensesUpsert(ctx(t), &store.LicensesUpsertParams{Licenses: ls[1:]}))
		got = must[[]foundation.License](t)(s.LicensesList(ctx(t), &store.LicensesListParams{Page: store.Page{Limit: 1}}))
		if len(got) != 1 || got[0].Seats != 8 || !got[0].RenewalDate.Equal(date(2025, 7, 1)) {
			t.Errorf("updated license = %+v", got)
		}
	}},
	{"UsageRoundTripAndRejection", func(t *testing.T, s store.Store) {
		mustWrite(t, 2)(s.LicensesUpsert(ctx(t), &store.LicensesUpsertParams{Licenses: []foundation.License{
			{Tool: "gong", Seats: 5, CostPerSeatMonth: 100}, {Tool: "zoominfo", Seats: 3, CostPerSeatMonth: 200}}}))
		last := time.Date(2025, 5, 1, 8, 0, 0, 987654321, time.UTC)
		usage := []foundation.LicenseUsage{
			{Tool: "zoominfo", UserEmail: "bo@tower.test", LastActiveAt: last, Actions30d: 12},
			{Tool: "gong", UserEmail: "cy@tower.test"}, // never active
			{Tool: "gong", UserEmail: "ana@tower.test", LastActiveAt: last, Actions30d: 3},
			{Tool: "marketo", UserEmail: "ana@tower.test"},
		}
		for range 2 {
			res, err := s.LicenseUsageUpsert(ctx(t), &store.LicenseUsageUpsertParams{Usage: usage})
			checkRejected(t, res, err, 3, store.Rejection{Index: 3, Field: "tool", Reason: "marketo"})
		}
		checkEqual(t, "Counts.LicenseUsage", counts(t, s).LicenseUsage, int64(3))
		key := func(u foundation.LicenseUsage) string { return u.Tool + "/" + u.UserEmail }
		got := must[[]foundation.LicenseUsage](t)(s.LicenseUsageList(ctx(t), &store.LicenseUsageListParams{}))
		checkEqual(t, "order", ids(got, key), []string{"gong/ana@tower.test", "gong/cy@tower.test", "zoominfo/bo@tower.test"})
		checkTime(t, "LastActiveAt", got[0].LastActiveAt, last)
		checkTime(t, "LastActiveAt never", got[1].LastActiveAt, time.Time{})
		checkEqual(t, "Actions30d", got[0].Actions30d, 3)

		usage[2].Actions30d = 30
		mustWrite(t, 1)(s.LicenseUsageUpsert(ctx(t), &store.LicenseUsageUpsertParams{Usage: usage[2:3]}))
		got = must[[]foundation.LicenseUsage](t)(s.LicenseUsageList(ctx(t), &store.LicenseUsageListParams{Tool: "gong"}))
		checkEqual(t, "Tool filter", ids(got, key), []string{"gong/ana@tower.test", "gong/cy@tower.test"})
		checkEqual(t, "updated Actions30d", got[0].Actions30d, 30)
		got = must[[]foundation.LicenseUsage](t)(s.LicenseUsageList(ctx(t), &store.LicenseUsageListParams{Page: store.Page{Limit: 1, Offset: 2}}))
		checkEqual(t, "page", ids(got, key), []string{"zoominfo/bo@tower.test"})
	}},
}

var templateTests = []test{
	{"RoundTripIdempotentUpdate", func(t *testing.T, s store.Store) {
		tpls := []foundation.Template{
			{ID: "T-002", ESP: "braze", Dialect: "liquid", Subject: "Hi {{ first_name }}", CampaignID: "C-001",
				Segment: "trial", Path: "templates/welcome.liquid", Body: "<p>Hello {{ first_name | default: \"there\" }}</p>\n",
				Traits: foundation.Traits{"locale": "en", "tags": []any{"welcome", "trial"}}},
			{ID: "T-001", ESP: "hubspot", Dialect: "handlebars", Body: "{{#if x}}y{{/if}}"},
		}
		for range 2 {
			mustWrite(t, 2)(s.TemplatesUpsert(ctx(t), &store.TemplatesUpsertParams{Templates: tpls}))
		}
		checkEqual(t, "Counts.Templates", counts(t, s).Templates, int64(2))
		got := must[*foundation.Template](t)(s.TemplateGet(ctx(t), &store.TemplateGetParams{ID: "T-002"}))
		checkTraits(t, "Traits", got.Traits, tpls[0].Traits)
		g, w := *got, tpls[0]
		g.Traits, w.Traits = nil, nil
		checkEqual(t, "template", g, w)

		tpls[1].Subject, tpls[1].Body = "New", "changed"
		mustWrite(t, 1)(s.TemplatesUpsert(ctx(t), &store.TemplatesUpsertParams{Templates: tpls[1:]}))
		got = must[*foundation.Template](t)(s.TemplateGet(ctx(t), &store.TemplateGetParams{ID: "T-001"}))
		checkEqual(t, "updated", []string{got.Subject, got.Body}, []string{"New", "changed"})

		_, err := s.TemplateGet(ctx(t), &store.TemplateGetParams{ID: "T-404"})
		wantNotFound(t, "TemplateGet T-404", err)
	}},
	{"ListOrderFilterPage", func(t *testing.T, s store.Store) {
		mustWrite(t, 3)(s.TemplatesUpsert(ctx(t), &store.TemplatesUpsertParams{Templates: []foundation.Template{
			{ID: "T-003", ESP: "braze", Dialect: "liquid"},
			{ID: "T-001", ESP: "braze", Dialect: "liquid"},
			{ID: "T-002", ESP: "mailchimp", Dialect: "handlebars"},
		}}))
		key := func(t foundation.Template) string { return t.ID }
		list := func(p store.TemplatesListParams) []string {
			return ids(must[[]foundation.Template](t)(s.TemplatesList(ctx(t), &p)), key)
		}
		checkEqual(t, "order", list(store.TemplatesListParams{}), []string{"T-001", "T-002", "T-003"})
		checkEqual(t, "ESP", list(store.TemplatesListParams{ESP: "braze"}), []string{"T-001", "T-003"})
		checkEqual(t, "page", list(store.TemplatesListParams{Page: store.Page{Limit: 1, Offset: 1}}), []string{"T-002"})
	}},
}
