package postgres

import (
	"context"
	"errors"

	"github.com/towerops/tower/internal/store"
)

var errDeliveriesTodo = errors.New("deliveries: not stored yet")

func (q *queries) DeliveriesInsert(ctx context.Context, p *store.DeliveriesInsertParams) (int, error) {
	return 0, errDeliveriesTodo
}

func (q *queries) DeliveriesClaim(ctx context.Context, p *store.DeliveriesClaimParams) ([]store.Delivery, error) {
	return nil, errDeliveriesTodo
}

func (q *queries) DeliveriesMark(ctx context.Context, p *store.DeliveriesMarkParams) error {
	return errDeliveriesTodo
}

func (q *queries) DeliveriesList(ctx context.Context, p *store.DeliveriesListParams) ([]store.Delivery, error) {
	return nil, errDeliveriesTodo
}

func (q *queries) DeliveriesRetry(ctx context.Context, p *store.DeliveriesRetryParams) (int, error) {
	return 0, errDeliveriesTodo
}

func (q *queries) DeliveriesCount(ctx context.Context) ([]store.DeliveryCount, error) {
	return nil, errDeliveriesTodo
}
