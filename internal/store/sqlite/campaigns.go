package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/towerops/tower/internal/foundation"
	"github.com/towerops/tower/internal/store"
)

var campaignsUpsert = upsert{
	table:    "campaigns",
	cols:     []string{"id", "name", "channel", "owner_id", "start_date", "end_date", "budget", "goal", "segment", "traits"},
	conflict: "id",
	update:   []string{"name", "channel", "owner_id", "start_date", "end_date", "budget", "goal", "segment", "traits"},
}

func (q *queries) CampaignsUpsert(ctx context.Context, p *store.CampaignsUpsertParams) (*store.UpsertResult, error) {
	cs := p.Campaigns
	refs := []ref{ownerRef(func(i int) string { return cs[i].OwnerID })}
	needs := []need{needText("id", "the campaign has no id", func(i int) string { return cs[i].ID })}
	res, err := q.upsertRows(ctx, len(cs), campaignsUpsert, needs, refs, func(i int) ([]any, error) {
		c := cs[i]
		tr, err := encTraits(c.Traits)
		return []any{c.ID, c.Name, string(c.Channel), nullStr(c.OwnerID), encDate(c.StartDate), encDate(c.EndDate),
			c.Budget, string(c.Goal), c.Segment, tr}, err
	})
	if err != nil {
		return nil, fmt.Errorf("save campaigns: %w", err)
	}
	return res, nil
}

const campaignCols = "id, name, channel, coalesce(owner_id, ''), start_date, end_date, budget, goal, segment, traits, status"

func scanCampaign(r interface{ Scan(...any) error }) (foundation.Campaign, error) {
	var c foundation.Campaign
	var channel, goal string
	var start, end, tr sql.NullString
	if err := r.Scan(&c.ID, &c.Name, &channel, &c.OwnerID, &start, &end, &c.Budget, &goal, &c.Segment, &tr, &c.Status); err != nil {
		return c, err
	}
	c.Channel, c.Goal = foundation.CampaignChannel(channel), foundation.Goal(goal)
	var err1, err2, err3 error
	c.StartDate, err1 = decDate(start)
	c.EndDate, err2 = decDate(end)
	c.Traits, err3 = decTraits(tr)
	return c, errors.Join(err1, err2, err3)
}

func (q *queries) CampaignGet(ctx context.Context, p *store.CampaignGetParams) (*store.CampaignDetail, error) {
	c, err := scanCampaign(q.read.QueryRowContext(ctx, "SELECT "+campaignCols+" FROM campaigns WHERE id = ?", p.ID))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("campaign %q: %w", p.ID, store.ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("get campaign %q: %w", p.ID, err)
	}
	days, err := list(ctx, q.read, scanCampaignDay,
		"SELECT "+campaignDayCols+" FROM campaign_days WHERE campaign_id = ? ORDER BY date, variant", p.ID)
	if err != nil {
		return nil, fmt.Errorf("get days of campaign %q: %w", p.ID, err)
	}
	return &store.CampaignDetail{Campaign: c, Days: days}, nil
}

// campaignTotals sums, per campaign and day, the whole-campaign row when
// the day has one and the day's variants otherwise, so a day reported
// both ways is not counted twice.
const campaignTotals = `
SELECT campaign_id, count(DISTINCT date), sum(sends), sum(clicks), sum(conversions), sum(spend), sum(revenue)
FROM campaign_days d
WHERE campaign_id IN (%s)
  AND (variant = '' OR NOT EXISTS (
        SELECT 1 FROM campaign_days w WHERE w.campaign_id = d.campaign_id AND w.date = d.date AND w.variant = ''))
GROUP BY campaign_id`

func (q *queries) CampaignsList(ctx context.Context, p *store.CampaignsListParams) ([]store.CampaignSummary, error) {
	var w where
	if p.Channel != "" {
		w.add("channel = ?", string(p.Channel))
	}
	if p.OwnerID != "" {
		w.add("owner_id = ?", p.OwnerID)
	}
	out, err := list(ctx, q.read, func(r *sql.Rows) (store.CampaignSummary, error) {
		c, err := scanCampaign(r)
		return store.CampaignSummary{Campaign: c}, err
	}, "SELECT "+campaignCols+" FROM campaigns"+w.String()+" ORDER BY id LIMIT ? OFFSET ?", w.page(p.Page)...)
	if err != nil {
		return nil, fmt.Errorf("list campaigns: %w", err)
	}
	byID := make(map[string]*store.CampaignSummary, len(out))
	keys := make([]string, len(out))
	for i := range out {
		byID[out[i].ID] = &out[i]
		keys[i] = out[i].ID
	}
	err = lookup(ctx, q.read, campaignTotals, keys, nil, func(r *sql.Rows) error {
		var id string
		var t store.CampaignSummary
		if err := r.Scan(&id, &t.Days, &t.Sends, &t.Clicks, &t.Conversions, &t.Spend, &t.Revenue); err != nil {
			return err
		}
		c := byID[id]
		c.Days, c.Sends, c.Clicks, c.Conversions, c.Spend, c.Revenue = t.Days, t.Sends, t.Clicks, t.Conversions, t.Spend, t.Revenue
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("sum campaign days: %w", err)
	}
	err = lookup(ctx, q.read, `SELECT DISTINCT campaign_id, variant FROM campaign_days
		WHERE campaign_id IN (%s) AND variant <> '' ORDER BY campaign_id, variant`, keys, nil, func(r *sql.Rows) error {
		var id, v string
		if err := r.Scan(&id, &v); err != nil {
			return err
		}
		byID[id].Variants = append(byID[id].Variants, v)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("list campaign variants: %w", err)
	}
	return out, nil
}
