package storetest

import (
	"testing"
	"time"

	"github.com/towerops/tower/internal/foundation"
	"github.com/towerops/tower/internal/store"
)

var campaignDayTests = []test{
	{"RoundTripIdempotentUpdate", func(t *testing.T, s store.Store) {
		seedOwners(t, s)
		mustWrite(t, 1)(s.CampaignsUpsert(ctx(t), &store.CampaignsUpsertParams{Campaigns: []foundation.Campaign{{ID: "C-001", Name: "x", Channel: "email"}}}))
		day := foundation.CampaignDay{CampaignID: "C-001", Date: date(2024, 12, 31), Variant: "A", Sends: 1_000_000_000_000,
			Delivered: 990, Opens: 400, Clicks: 50, Conversions: 7, Spend: 123.45, Revenue: 6789.01,
			Unsubscribes: 3, HardBounces: 4, Complaints: 1}
		for range 2 {
			mustWrite(t, 1)(s.CampaignDaysUpsert(ctx(t), &store.CampaignDaysUpsertParams{Days: []foundation.CampaignDay{day}}))
		}
		checkEqual(t, "Counts.CampaignDays", counts(t, s).CampaignDays, int64(1))
		got := must[[]foundation.CampaignDay](t)(s.CampaignDaysList(ctx(t), &store.CampaignDaysListParams{}))
		if len(got) != 1 {
			t.Fatalf("CampaignDaysList: %d rows", len(got))
		}
		checkTime(t, "Date", got[0].Date, day.Date)
		checkEqual(t, "day", got[0], day)

		day.Clicks, day.Spend = 60, 200
		mustWrite(t, 1)(s.CampaignDaysUpsert(ctx(t), &store.CampaignDaysUpsertParams{Days: []foundation.CampaignDay{day}}))
		got = must[[]foundation.CampaignDay](t)(s.CampaignDaysList(ctx(t), &store.CampaignDaysListParams{}))
		checkEqual(t, "updated day", got, []foundation.CampaignDay{day})
	}},
	{"UnknownCampaignRejected", func(t *testing.T, s store.Store) {
		seedCampaignDays(t, s)
		before := counts(t, s).CampaignDays
		res, err := s.CampaignDaysUpsert(ctx(t), &store.CampaignDaysUpsertParams{Days: []foundation.CampaignDay{
			{CampaignID: "C-003", Date: date(2025, 3, 1)},
			{CampaignID: "C-404", Date: date(2025, 3, 1)},
		}})
		checkRejected(t, res, err, 1, store.Rejection{Index: 1, Field: "campaign_id", Reason: "C-404"})
		checkEqual(t, "Counts.CampaignDays", counts(t, s).CampaignDays, before+1)
	}},
	{"ListAndGetOrderFilters", func(t *testing.T, s store.Store) {
		seedCampaignDays(t, s)
		key := func(d foundation.CampaignDay) string {
			return d.CampaignID + "/" + d.Date.Format(time.DateOnly) + "/" + d.Variant
		}
		list := func(p store.CampaignDaysListParams) []string {
			return ids(must[[]foundation.CampaignDay](t)(s.CampaignDaysList(ctx(t), &p)), key)
		}
		checkEqual(t, "order", list(store.CampaignDaysListParams{}), []string{
			"C-001/2025-03-01/", "C-001/2025-03-01/A", "C-001/2025-03-01/B", "C-001/2025-03-02/A", "C-001/2025-03-02/B",
			"C-002/2025-03-01/", "C-002/2025-03-02/", "C-002/2025-03-03/"})
		checkEqual(t, "CampaignID", list(store.CampaignDaysListParams{CampaignID: "C-002"}),
			[]string{"C-002/2025-03-01/", "C-002/2025-03-02/", "C-002/2025-03-03/"})
		checkEqual(t, "From/To inclusive", list(store.CampaignDaysListParams{CampaignID: "C-002", From: date(2025, 3, 2), To: date(2025, 3, 3)}),
			[]string{"C-002/2025-03-02/", "C-002/2025-03-03/"})
		checkEqual(t, "To only", list(store.CampaignDaysListParams{To: date(2025, 3, 1)}),
			[]string{"C-001/2025-03-01/", "C-001/2025-03-01/A", "C-001/2025-03-01/B", "C-002/2025-03-01/"})
		checkEqual(t, "From only", list(store.CampaignDaysListParams{From: date(2025, 3, 3)}), []string{"C-002/2025-03-03/"})
		checkEqual(t, "page", list(store.CampaignDaysListParams{Page: store.Page{Limit: 2, Offset: 4}}),
			[]string{"C-001/2025-03-02/B", "C-002/2025-03-01/"})

		d := must[*store.CampaignDetail](t)(s.CampaignGet(ctx(t), &store.CampaignGetParams{ID: "C-001"}))
		checkEqual(t, "CampaignGet days", ids(d.Days, key), []string{
			"C-001/2025-03-01/", "C-001/2025-03-01/A", "C-001/2025-03-01/B", "C-001/2025-03-02/A", "C-001/2025-03-02/B"})
		checkEqual(t, "CampaignGet name", d.Campaign.Name, "Spring")
	}},
}
