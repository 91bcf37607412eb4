package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"

	"github.com/towerops/tower/internal/store"
)

// CampaignsUpsert writes campaigns; natural key id. An unknown owner_id is
// rejected.
func (q *queries) CampaignsUpsert(ctx context.Context, p *store.CampaignsUpsertParams) (*store.UpsertResult, error) {
	rows := p.Campaigns
	var rej rejections
	owners := make([]string, len(rows))
	for i, c := range rows {
		owners[i] = c.OwnerID
		if c.ID == "" {
			rej.add(i, "id", "the campaign has no id")
		}
	}
	if len(rows) == 0 {
		return result(0, &rej), nil
	}
	err := q.batch(ctx, "write campaigns", &rej, func(tx pgx.Tx) error {
		gone, err := missing(ctx, tx, "owners", "id", owners)
		if err != nil {
			return err
		}
		for i, c := range rows {
			if gone[c.OwnerID] {
				rej.add(i, "owner_id", ownerNotFound(c.OwnerID))
			}
		}
		keep := lastOf(len(rows), &rej, func(i int) string { return rows[i].ID })
		if len(keep) == 0 {
			return nil
		}
		var ids, names, channels, ownerIDs, goals, segments, traits []string
		var starts, ends []pgtype.Date
		var budgets []float64
		for _, i := range keep {
			c := rows[i]
			t, err := traitsParam(c.Traits)
			if err != nil {
				return fmt.Errorf("campaign %q: %w", c.ID, err)
			}
			ids, names, channels = append(ids, c.ID), append(names, c.Name), append(channels, string(c.Channel))
			ownerIDs, goals, segments = append(ownerIDs, c.OwnerID), append(goals, string(c.Goal)), append(segments, c.Segment)
			starts, ends = append(starts, dateParam(c.StartDate)), append(ends, dateParam(c.EndDate))
			budgets, traits = append(budgets, c.Budget), append(traits, t)
		}
		_, err = tx.Exec(ctx, `
			INSERT INTO campaigns (id, name, channel, owner_id, start_date, end_date, budget, goal, segment, traits)
			SELECT id, name, channel, NULLIF(owner_id, ''), start_date, end_date, budget, goal, segment, traits::jsonb
			FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::date[], $6::date[], $7::float8[],
			            $8::text[], $9::text[], $10::text[])
			     AS v(id, name, channel, owner_id, start_date, end_date, budget, goal, segment, traits)
			ON CONFLICT (id) DO UPDATE SET
				name = excluded.name, channel = excluded.channel, owner_id = excluded.owner_id,
				start_date = excluded.start_date, end_date = excluded.end_date, budget = excluded.budget,
				goal = excluded.goal, segment = excluded.segment, traits = excluded.traits`,
			ids, names, channels, ownerIDs, starts, ends, budgets, goals, segments, traits)
		return err
	})
	if err != nil {
		return nil, err
	}
	return result(len(rows), &rej), nil
}

// CampaignDaysUpsert writes daily metrics; natural key (campaign_id, date,
// variant). An unknown campaign is rejected.
func (q *queries) CampaignDaysUpsert(ctx context.Context, p *store.CampaignDaysUpsertParams) (*store.UpsertResult, error) {
	rows := p.Days
	var rej rejections
	campaigns := make([]string, len(rows))
	for i, d := range rows {
		campaigns[i] = d.CampaignID
		switch {
		case d.CampaignID == "":
			rej.add(i, "campaign_id", "the day names no campaign")
		case d.Date.IsZero():
			rej.add(i, "date", "the day has no date")
		}
	}
	if len(rows) == 0 {
		return result(0, &rej), nil
	}
	err := q.batch(ctx, "write campaign days", &rej, func(tx pgx.Tx) error {
		gone, err := missing(ctx, tx, "campaigns", "id", campaigns)
		if err != nil {
			return err
		}
		for i, d := range rows {
			if gone[d.CampaignID] {
				rej.add(i, "campaign_id", fmt.Sprintf("campaign %q not found; import campaigns.csv first", d.CampaignID))
			}
		}
		keep := lastOf(len(rows), &rej, func(i int) string {
			d := rows[i]
			return d.CampaignID + "\x00" + d.Date.UTC().Format("2006-01-02") + "\x00" + d.Variant
		})
		if len(keep) == 0 {
			return nil
		}
		n := len(keep)
		cids, variants := make([]string, 0, n), make([]string, 0, n)
		dates := make([]pgtype.Date, 0, n)
		var m [8][]int64 // sends, delivered, opens, clicks, conversions, unsubscribes, hard_bounces, complaints
		var spend, revenue []float64
		for _, i := range keep {
			d := rows[i]
			cids, variants, dates = append(cids, d.CampaignID), append(variants, d.Variant), append(dates, dateParam(d.Date))
			for k, v := range []int64{d.Sends, d.Delivered, d.Opens, d.Clicks, d.Conversions, d.Unsubscribes, d.HardBounces, d.Complaints} {
				m[k] = append(m[k], v)
			}
			spend, revenue = append(spend, d.Spend), append(revenue, d.Revenue)
		}
		_, err = tx.Exec(ctx, `
			INSERT INTO campaign_days (campaign_id, date, variant, sends, delivered, opens, clicks, conversions,
			                           unsubscribes, hard_bounces, complaints, spend, revenue)
			SELECT * FROM unnest($1::text[], $2::date[], $3::text[], $4::int8[], $5::int8[], $6::int8[], $7::int8[],
			                     $8::int8[], $9::int8[], $10::int8[], $11::int8[], $12::float8[], $13::float8[])
			ON CONFLICT (campaign_id, date, variant) DO UPDATE SET
				sends = excluded.sends, delivered = excluded.delivered, opens = excluded.opens,
				clicks = excluded.clicks, conversions = excluded.conversions,
				unsubscribes = excluded.unsubscribes, hard_bounces = excluded.hard_bounces,
				complaints = excluded.complaints, spend = excluded.spend, revenue = excluded.revenue`,
			cids, dates, variants, m[0], m[1], m[2], m[3], m[4], m[5], m[6], m[7], spend, revenue)
		return err
	})
	if err != nil {
		return nil, err
	}
	return result(len(rows), &rej), nil
}
