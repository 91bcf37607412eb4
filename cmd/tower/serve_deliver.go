package main

import (
	"context"
	"sync"
	"time"

	"github.com/towerops/tower/internal/connect"
	"github.com/towerops/tower/internal/store"
)

// deliverEvery is how often `tower serve` pushes due deliveries. Opt-outs
// must reach every sending system within 48 hours (Gmail, Yahoo); seconds
// keep Tower far inside that, and a round with nothing due is one query.
const deliverEvery = 5 * time.Second

// startDeliverer pushes the outbox to the connectors until stop is
// called. Claims are leased in the database, so several nodes can run it
// at once without pushing one delivery twice at the same time.
func (a *app) startDeliverer(ctx context.Context, st store.Store) (stop func(), err error) {
	conns, attempts, err := a.openConnectors()
	if err != nil {
		return nil, err
	}
	if len(conns) == 0 {
		return func() {}, nil
	}
	d := &connect.Deliverer{Store: st, Connectors: conns, MaxAttempts: attempts, Log: a.log()}
	ctx, cancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	wg.Go(func() { _ = d.Run(ctx, deliverEvery) })
	return func() {
		cancel()
		wg.Wait()
	}, nil
}
