package ingest

import (
	"context"
	"fmt"
	"time"

	"github.com/towerops/tower/internal/foundation"
	"github.com/towerops/tower/internal/store"
)

var campaignsSpec = &csvSpec[foundation.Campaign]{
	kind: KindCampaigns,
	layout: layout{traits: true, columns: []column{
		{"id", true}, {"name", true}, {"channel", true}, {"owner_id", false}, {"start_date", false},
		{"end_date", false}, {"budget", false}, {"goal", false}, {"segment", false},
	}},
	decode: func(r *row) foundation.Campaign {
		return foundation.Campaign{
			ID: r.str("id"), Name: r.str("name"), Channel: enum(r, "channel", foundation.CampaignChannels),
			OwnerID: r.str("owner_id"), StartDate: r.date("start_date"), EndDate: r.date("end_date"),
			Budget: r.decimal("budget"), Goal: enum(r, "goal", foundation.Goals), Segment: r.str("segment"),
			Traits: r.traits(),
		}
	},
	validate:  func(v *foundation.Campaign) error { return v.Validate() },
	key:       func(d *dedupe, v *foundation.Campaign) { d.add(v.ID) },
	describe:  func(v *foundation.Campaign) string { return fmt.Sprintf("id %q", v.ID) },
	keyColumn: "id",
	write: func(ctx context.Context, q store.Queries, items []foundation.Campaign) (*store.UpsertResult, error) {
		return q.CampaignsUpsert(ctx, &store.CampaignsUpsertParams{Campaigns: items})
	},
}

var campaignDaysSpec = &csvSpec[foundation.CampaignDay]{
	kind: KindCampaignDays,
	layout: layout{columns: []column{
		{"campaign_id", true}, {"date", true}, {"variant", false}, {"sends", false}, {"delivered", false},
		{"opens", false}, {"clicks", false}, {"conversions", false}, {"spend", false}, {"revenue", false},
		{"unsubscribes", false}, {"hard_bounces", false}, {"complaints", false},
	}},
	decode: func(r *row) foundation.CampaignDay {
		return foundation.CampaignDay{
			CampaignID: r.str("campaign_id"), Date: r.date("date"), Variant: r.str("variant"),
			Sends: r.int64("sends"), Delivered: r.int64("delivered"), Opens: r.int64("opens"),
			Clicks: r.int64("clicks"), Conversions: r.int64("conversions"), Spend: r.decimal("spend"),
			Revenue: r.decimal("revenue"), Unsubscribes: r.int64("unsubscribes"),
			HardBounces: r.int64("hard_bounces"), Complaints: r.int64("complaints"),
		}
	},
	validate: func(v *foundation.CampaignDay) error { return v.Validate() },
	key: func(d *dedupe, v *foundation.CampaignDay) {
		d.add(v.CampaignID)
		d.add(v.Date.Format(time.DateOnly))
		d.add(v.Variant)
	},
	describe: func(v *foundation.CampaignDay) string {
		if v.Variant == "" {
			return fmt.Sprintf("day %s of campaign %q (whole campaign)", v.Date.Format(time.DateOnly), v.CampaignID)
		}
		return fmt.Sprintf("day %s of campaign %q variant %q", v.Date.Format(time.DateOnly), v.CampaignID, v.Variant)
	},
	keyColumn: "campaign_id",
	write: func(ctx context.Context, q store.Queries, items []foundation.CampaignDay) (*store.UpsertResult, error) {
		return q.CampaignDaysUpsert(ctx, &store.CampaignDaysUpsertParams{Days: items})
	},
}
