package main

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/towerops/tower/internal/governance"
	"github.com/towerops/tower/internal/store"
)

// escalateEvery is how often `tower serve` sweeps approval timers.
const escalateEvery = time.Second

// startEscalator fires approval escalations and timeouts every second
// until stop is called (stop waits for a sweep in progress). The timers
// are rows in the database, so every node of a cluster may run one: each
// escalation still fires once. Errors are logged and the next tick tries
// again; a panic in a sweep is logged, never fatal to the server.
func (a *app) startEscalator(ctx context.Context, st store.Store, pack *governance.Pack) (stop func()) {
	ctx, cancel := context.WithCancel(ctx)
	e := &governance.Escalator{Store: st, Pack: pack, Logger: a.log()}
	var wg sync.WaitGroup
	wg.Go(func() {
		t := time.NewTicker(escalateEvery)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				a.sweep(ctx, e)
			}
		}
	})
	return func() {
		cancel()
		wg.Wait()
	}
}

// sweep runs one tick, turning a panic into a logged error.
func (a *app) sweep(ctx context.Context, e *governance.Escalator) {
	defer func() {
		if r := recover(); r != nil {
			a.log().ErrorContext(ctx, "approval escalations: sweep failed", "err", fmt.Sprint(r))
		}
	}()
	n, err := e.Tick(ctx)
	if err != nil && ctx.Err() == nil {
		a.log().ErrorContext(ctx, "approval escalations", "err", err)
	}
	if n > 0 {
		a.log().InfoContext(ctx, "approval timers fired", "count", n)
	}
}
