package sqlite

import (
	"context"
	"fmt"

	"github.com/towerops/tower/internal/store"
)

func (q *queries) Counts(ctx context.Context) (*store.Counts, error) {
	var c store.Counts
	err := q.read.QueryRowContext(ctx, `SELECT
		(SELECT count(*) FROM people WHERE merged_into IS NULL),
		(SELECT count(*) FROM records),
		(SELECT count(*) FROM accounts),
		(SELECT count(*) FROM owners),
		(SELECT count(*) FROM products),
		(SELECT count(*) FROM holdings),
		(SELECT count(*) FROM consent),
		(SELECT count(*) FROM campaigns),
		(SELECT count(*) FROM campaign_days),
		(SELECT count(*) FROM events),
		(SELECT count(*) FROM licenses),
		(SELECT count(*) FROM license_usage),
		(SELECT count(*) FROM templates)`).Scan(
		&c.People, &c.Records, &c.Accounts, &c.Owners, &c.Products, &c.Holdings,
		&c.Consent, &c.Campaigns, &c.CampaignDays, &c.Events,
		&c.Licenses, &c.LicenseUsage, &c.Templates)
	if err != nil {
		return nil, fmt.Errorf("count rows: %w", err)
	}
	return &c, nil
}
