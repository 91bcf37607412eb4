package sqlite

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/towerops/tower/internal/foundation"
	"github.com/towerops/tower/internal/store"
)

var campaignDaysUpsert = upsert{
	table: "campaign_days",
	cols: []string{"campaign_id", "date", "variant", "sends", "delivered", "opens", "clicks", "conversions",
		"spend", "revenue", "unsubscribes", "hard_bounces", "complaints"},
	conflict: "campaign_id, date, variant",
	update: []string{"sends", "delivered", "opens", "clicks", "conversions",
		"spend", "revenue", "unsubscribes", "hard_bounces", "complaints"},
}

func (q *queries) CampaignDaysUpsert(ctx context.Context, p *store.CampaignDaysUpsertParams) (*store.UpsertResult, error) {
	ds := p.Days
	refs := []ref{{field: "campaign_id", query: "SELECT id FROM campaigns WHERE id IN (%s)",
		value: func(i int) string { return ds[i].CampaignID }, reason: notFound("campaign", "campaigns.csv")}}
	needs := []need{
		needText("campaign_id", "the day names no campaign", func(i int) string { return ds[i].CampaignID }),
		{field: "date", missing: func(i int) bool { return ds[i].Date.IsZero() }, reason: "the day has no date"},
	}
	res, err := q.upsertRows(ctx, len(ds), campaignDaysUpsert, needs, refs, func(i int) ([]any, error) {
		d := ds[i]
		return []any{d.CampaignID, d.Date.Format(dateFormat), d.Variant, d.Sends, d.Delivered, d.Opens, d.Clicks,
			d.Conversions, d.Spend, d.Revenue, d.Unsubscribes, d.HardBounces, d.Complaints}, nil
	})
	if err != nil {
		return nil, fmt.Errorf("save campaign days: %w", err)
	}
	return res, nil
}

const campaignDayCols = `campaign_id, date, variant, sends, delivered, opens, clicks, conversions,
	spend, revenue, unsubscribes, hard_bounces, complaints`

func scanCampaignDay(r *sql.Rows) (foundation.CampaignDay, error) {
	var d foundation.CampaignDay
	var date sql.NullString
	if err := r.Scan(&d.CampaignID, &date, &d.Variant, &d.Sends, &d.Delivered, &d.Opens, &d.Clicks, &d.Conversions,
		&d.Spend, &d.Revenue, &d.Unsubscribes, &d.HardBounces, &d.Complaints); err != nil {
		return d, err
	}
	var err error
	d.Date, err = decDate(date)
	return d, err
}

func (q *queries) CampaignDaysList(ctx context.Context, p *store.CampaignDaysListParams) ([]foundation.CampaignDay, error) {
	var w where
	if p.CampaignID != "" {
		w.add("campaign_id = ?", p.CampaignID)
	}
	if !p.From.IsZero() {
		w.add("date >= ?", p.From.Format(dateFormat))
	}
	if !p.To.IsZero() {
		w.add("date <= ?", p.To.Format(dateFormat))
	}
	out, err := list(ctx, q.read, scanCampaignDay,
		"SELECT "+campaignDayCols+" FROM campaign_days"+w.String()+" ORDER BY campaign_id, date, variant LIMIT ? OFFSET ?",
		w.page(p.Page)...)
	if err != nil {
		return nil, fmt.Errorf("list campaign days: %w", err)
	}
	return out, nil
}
