package storetest

import (
	"testing"
	"time"

	"github.com/towerops/tower/internal/foundation"
	"github.com/towerops/tower/internal/store"
)

var campaignTests = []test{
	{"RoundTripIdempotentUpdate", func(t *testing.T, s store.Store) {
		seedOwners(t, s)
		c := foundation.Campaign{ID: "C-001", Name: "Spring launch", Channel: "email", OwnerID: "O-001",
			StartDate: date(2025, 3, 1), EndDate: date(2025, 3, 31), Budget: 12500.5, Goal: "conversions",
			Segment: "emea-customers", Traits: foundation.Traits{"utm_campaign": "spring", "ab": map[string]any{"split": 0.5}}}
		open := foundation.Campaign{ID: "C-002", Name: "Always on", Channel: "paid_search"} // no owner, no dates
		for range 2 {
			mustWrite(t, 2)(s.CampaignsUpsert(ctx(t), &store.CampaignsUpsertParams{Campaigns: []foundation.Campaign{c, open}}))
		}
		checkEqual(t, "Counts.Campaigns", counts(t, s).Campaigns, int64(2))
		d := must[*store.CampaignDetail](t)(s.CampaignGet(ctx(t), &store.CampaignGetParams{ID: "C-001"}))
		checkCampaign(t, d.Campaign, c)
		checkEqual(t, "Days", len(d.Days), 0)
		d = must[*store.CampaignDetail](t)(s.CampaignGet(ctx(t), &store.CampaignGetParams{ID: "C-002"}))
		checkCampaign(t, d.Campaign, open)

		c.Name, c.OwnerID, c.EndDate, c.Budget = "Spring launch v2", "O-002", time.Time{}, 9000
		mustWrite(t, 1)(s.CampaignsUpsert(ctx(t), &store.CampaignsUpsertParams{Campaigns: []foundation.Campaign{c}}))
		d = must[*store.CampaignDetail](t)(s.CampaignGet(ctx(t), &store.CampaignGetParams{ID: "C-001"}))
		checkCampaign(t, d.Campaign, c)

		_, err := s.CampaignGet(ctx(t), &store.CampaignGetParams{ID: "C-404"})
		wantNotFound(t, "CampaignGet C-404", err)
	}},
	{"UnknownOwnerRejected", func(t *testing.T, s store.Store) {
		seedOwners(t, s)
		res, err := s.CampaignsUpsert(ctx(t), &store.CampaignsUpsertParams{Campaigns: []foundation.Campaign{
			{ID: "C-001", Name: "a", Channel: "email", OwnerID: "O-404"},
			{ID: "C-002", Name: "b", Channel: "email", OwnerID: "O-002"},
		}})
		checkRejected(t, res, err, 1, store.Rejection{Index: 0, Field: "owner_id", Reason: "O-404"})
		checkEqual(t, "Counts.Campaigns", counts(t, s).Campaigns, int64(1))
	}},
	{"ListSummaryAndFilters", func(t *testing.T, s store.Store) {
		seedCampaignDays(t, s)
		list := func(p store.CampaignsListParams) []store.CampaignSummary {
			return must[[]store.CampaignSummary](t)(s.CampaignsList(ctx(t), &p))
		}
		key := func(c store.CampaignSummary) string { return c.ID }
		all := list(store.CampaignsListParams{})
		checkEqual(t, "order", ids(all, key), []string{"C-001", "C-002", "C-003"})

		// C-001: day 1 has a whole-campaign row (used) and variants; day 2
		// has only variants (summed).
		c1 := all[0]
		checkEqual(t, "C-001 Days", c1.Days, 2)
		checkEqual(t, "C-001 Sends", c1.Sends, int64(1000+300+400))
		checkEqual(t, "C-001 Clicks", c1.Clicks, int64(50+10+20))
		checkEqual(t, "C-001 Conversions", c1.Conversions, int64(5+1+2))
		checkEqual(t, "C-001 Spend", c1.Spend, 100.5+30.25+40.25)
		checkEqual(t, "C-001 Revenue", c1.Revenue, 500.0+100+200)
		checkEqual(t, "C-001 Variants", c1.Variants, []string{"A", "B"})
		checkEqual(t, "C-001 Name", c1.Name, "Spring")

		c2 := all[1] // only whole-campaign rows
		checkEqual(t, "C-002 Days", c2.Days, 3)
		checkEqual(t, "C-002 Sends", c2.Sends, int64(30))
		checkEqual(t, "C-002 Variants", len(c2.Variants), 0)
		c3 := all[2] // no days
		checkEqual(t, "C-003 totals", []int64{int64(c3.Days), c3.Sends, c3.Clicks, c3.Conversions}, []int64{0, 0, 0, 0})
		checkEqual(t, "C-003 money", []float64{c3.Spend, c3.Revenue}, []float64{0, 0})

		checkEqual(t, "Channel", ids(list(store.CampaignsListParams{Channel: "paid_social"}), key), []string{"C-002"})
		checkEqual(t, "OwnerID", ids(list(store.CampaignsListParams{OwnerID: "O-001"}), key), []string{"C-001", "C-003"})
		checkEqual(t, "Channel+OwnerID", ids(list(store.CampaignsListParams{Channel: "email", OwnerID: "O-001"}), key), []string{"C-001", "C-003"})
		checkEqual(t, "page", ids(list(store.CampaignsListParams{Page: store.Page{Limit: 1, Offset: 2}}), key), []string{"C-003"})
	}},
}

// checkCampaign compares a campaign field by field (dates in UTC, traits as
// JSON). Imports carry no status, so a want without one expects "active".
func checkCampaign(t *testing.T, got, want foundation.Campaign) {
	t.Helper()
	if want.Status == "" {
		want.Status = "active"
	}
	checkTime(t, "StartDate", got.StartDate, want.StartDate)
	checkTime(t, "EndDate", got.EndDate, want.EndDate)
	checkTraits(t, "Traits", got.Traits, want.Traits)
	got.StartDate, got.EndDate, got.Traits = time.Time{}, time.Time{}, nil
	want.StartDate, want.EndDate, want.Traits = time.Time{}, time.Time{}, nil
	checkEqual(t, "campaign", got, want)
}

// seedCampaignDays writes owners, campaigns C-001 (email, O-001), C-002
// (paid_social, O-002), C-003 (email, O-001, no days) and their days.
func seedCampaignDays(t *testing.T, s store.Writer) {
	t.Helper()
	seedOwners(t, s)
	mustWrite(t, 3)(s.CampaignsUpsert(ctx(t), &store.CampaignsUpsertParams{Campaigns: []foundation.Campaign{
		{ID: "C-002", Name: "Retarget", Channel: "paid_social", OwnerID: "O-002"},
		{ID: "C-001", Name: "Spring", Channel: "email", OwnerID: "O-001"},
		{ID: "C-003", Name: "Quiet", Channel: "email", OwnerID: "O-001"},
	}}))
	d1, d2 := date(2025, 3, 1), date(2025, 3, 2)
	mustWrite(t, 8)(s.CampaignDaysUpsert(ctx(t), &store.CampaignDaysUpsertParams{Days: []foundation.CampaignDay{
		{CampaignID: "C-001", Date: d2, Variant: "B", Sends: 400, Clicks: 20, Conversions: 2, Spend: 40.25, Revenue: 200},
		{CampaignID: "C-001", Date: d1, Variant: "", Sends: 1000, Clicks: 50, Conversions: 5, Spend: 100.5, Revenue: 500},
		{CampaignID: "C-001", Date: d1, Variant: "A", Sends: 600, Clicks: 30, Conversions: 3, Spend: 60, Revenue: 300},
		{CampaignID: "C-001", Date: d1, Variant: "B", Sends: 400, Clicks: 20, Conversions: 2, Spend: 40.5, Revenue: 200},
		{CampaignID: "C-001", Date: d2, Variant: "A", Sends: 300, Clicks: 10, Conversions: 1, Spend: 30.25, Revenue: 100},
		{CampaignID: "C-002", Date: d1, Sends: 10},
		{CampaignID: "C-002", Date: d2, Sends: 10},
		{CampaignID: "C-002", Date: date(2025, 3, 3), Sends: 10},
	}}))
}
