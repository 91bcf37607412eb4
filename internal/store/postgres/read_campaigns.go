package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/towerops/tower/internal/foundation"
	"github.com/towerops/tower/internal/store"
)

const campaignCols = `c.id, c.name, c.channel, COALESCE(c.owner_id, ''), c.start_date, c.end_date,
	c.budget, c.goal, c.segment, c.traits, c.status`

// scanCampaign reads campaignCols, then any extra columns into extra.
func scanCampaign(row pgx.Row, extra ...any) (foundation.Campaign, error) {
	var c foundation.Campaign
	var start, end *time.Time
	var traits []byte
	dest := append([]any{&c.ID, &c.Name, &c.Channel, &c.OwnerID, &start, &end, &c.Budget, &c.Goal, &c.Segment, &traits, &c.Status}, extra...)
	if err := row.Scan(dest...); err != nil {
		return c, err
	}
	c.StartDate, c.EndDate = timeOf(start), timeOf(end)
	var err error
	c.Traits, err = traitsOf(traits)
	return c, err
}

const dayCols = `d.campaign_id, d.date, d.variant, d.sends, d.delivered, d.opens, d.clicks, d.conversions,
	d.spend, d.revenue, d.unsubscribes, d.hard_bounces, d.complaints`

func scanDay(row pgx.CollectableRow) (foundation.CampaignDay, error) {
	var d foundation.CampaignDay
	err := row.Scan(&d.CampaignID, &d.Date, &d.Variant, &d.Sends, &d.Delivered, &d.Opens, &d.Clicks, &d.Conversions,
		&d.Spend, &d.Revenue, &d.Unsubscribes, &d.HardBounces, &d.Complaints)
	d.Date = d.Date.UTC()
	return d, err
}

// CampaignGet returns a campaign with all its days, by (date, variant).
func (q *queries) CampaignGet(ctx context.Context, p *store.CampaignGetParams) (*store.CampaignDetail, error) {
	what := fmt.Sprintf("campaign %q", p.ID)
	c, err := scanCampaign(q.db.QueryRow(ctx, `SELECT `+campaignCols+` FROM campaigns c WHERE c.id = $1`, p.ID))
	if err != nil {
		return nil, notFound(err, what)
	}
	d := &store.CampaignDetail{Campaign: c}
	d.Days, err = collect(ctx, q.db, "days of "+what, `SELECT `+dayCols+` FROM campaign_days d
		WHERE d.campaign_id = $1 ORDER BY d.date, d.variant`, []any{p.ID}, scanDay)
	if err != nil {
		return nil, err
	}
	return d, nil
}

// campaignTotals sums a campaign's days: per date, the whole-campaign row
// when there is one, else the sum of that date's variants — so a day
// reported both ways is not counted twice.
const campaignTotals = `
	LEFT JOIN LATERAL (
		SELECT count(*) AS days,
		       COALESCE(sum(sends), 0)::bigint AS sends, COALESCE(sum(clicks), 0)::bigint AS clicks,
		       COALESCE(sum(conversions), 0)::bigint AS conversions,
		       COALESCE(sum(spend), 0) AS spend, COALESCE(sum(revenue), 0) AS revenue
		FROM (
			SELECT COALESCE(sum(sends) FILTER (WHERE variant = ''), sum(sends)) AS sends,
			       COALESCE(sum(clicks) FILTER (WHERE variant = ''), sum(clicks)) AS clicks,
			       COALESCE(sum(conversions) FILTER (WHERE variant = ''), sum(conversions)) AS conversions,
			       COALESCE(sum(spend) FILTER (WHERE variant = ''), sum(spend)) AS spend,
			       COALESCE(sum(revenue) FILTER (WHERE variant = ''), sum(revenue)) AS revenue
			FROM campaign_days d WHERE d.campaign_id = c.id GROUP BY d.date
		) per_day
	) t ON true`

// CampaignsList lists campaigns by id with their totals and variants.
func (q *queries) CampaignsList(ctx context.Context, p *store.CampaignsListParams) ([]store.CampaignSummary, error) {
	var w where
	if p.Channel != "" {
		w.add("c.channel = ?", string(p.Channel))
	}
	if p.OwnerID != "" {
		w.add("c.owner_id = ?", p.OwnerID)
	}
	tail, args := w.sql("c.id", p.Page)
	return collect(ctx, q.db, "list campaigns", `SELECT `+campaignCols+`,
		t.days, t.sends, t.clicks, t.conversions, t.spend, t.revenue,
		ARRAY(SELECT DISTINCT v.variant FROM campaign_days v WHERE v.campaign_id = c.id AND v.variant <> '' ORDER BY 1)
		FROM campaigns c`+campaignTotals+tail, args,
		func(row pgx.CollectableRow) (store.CampaignSummary, error) {
			var s store.CampaignSummary
			var err error
			s.Campaign, err = scanCampaign(row, &s.Days, &s.Sends, &s.Clicks, &s.Conversions, &s.Spend, &s.Revenue, &s.Variants)
			return s, err
		})
}

// CampaignDaysList lists days by (campaign_id, date, variant); From and To
// are inclusive dates.
func (q *queries) CampaignDaysList(ctx context.Context, p *store.CampaignDaysListParams) ([]foundation.CampaignDay, error) {
	var w where
	if p.CampaignID != "" {
		w.add("d.campaign_id = ?", p.CampaignID)
	}
	if !p.From.IsZero() {
		w.add("d.date >= ?", dateParam(p.From))
	}
	if !p.To.IsZero() {
		w.add("d.date <= ?", dateParam(p.To))
	}
	tail, args := w.sql("d.campaign_id, d.date, d.variant", p.Page)
	return collect(ctx, q.db, "list campaign days", `SELECT `+dayCols+` FROM campaign_days d`+tail, args, scanDay)
}
