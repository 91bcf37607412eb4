package main

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/towerops/tower/internal/measure"
	"github.com/towerops/tower/internal/store"
)

// measureEvery is how often `tower serve` measures outcomes: value is
// realised over days, so an hour is prompt enough and costs little.
const measureEvery = time.Hour

// startMeasurer measures what executed proposals were worth, at start
// and every measureEvery, until stop is called. An outcome is written on
// its proposal's id, so several nodes measuring at once write the same
// rows; errors are logged and the next tick tries again.
func (a *app) startMeasurer(ctx context.Context, st store.Store) (stop func()) {
	ctx, cancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	wg.Go(func() {
		t := time.NewTicker(measureEvery)
		defer t.Stop()
		for {
			a.measureOnce(ctx, st)
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
		}
	})
	return func() {
		cancel()
		wg.Wait()
	}
}

// measureOnce runs one pass, turning a panic into a logged error.
func (a *app) measureOnce(ctx context.Context, st store.Store) {
	defer func() {
		if r := recover(); r != nil {
			a.log().ErrorContext(ctx, "measuring outcomes failed", "err", fmt.Sprint(r))
		}
	}()
	res, err := measure.Realise(ctx, st, time.Now().UTC())
	if err != nil {
		if ctx.Err() == nil {
			a.log().ErrorContext(ctx, "measuring outcomes", "err", err)
		}
		return
	}
	if res.Measured > 0 {
		a.log().InfoContext(ctx, "outcomes measured", "measured", res.Measured, "not_due", res.Waiting)
	}
}
