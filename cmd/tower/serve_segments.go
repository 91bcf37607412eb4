package main

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/towerops/tower/internal/store"
)

// segmentsEvery is how often `tower serve` brings segments up to date
// with events arriving through the collector: a minute keeps audiences
// current for the next send, and an incremental refresh that finds
// nothing new costs one look at each segment's marks.
const segmentsEvery = time.Minute

// segmentsFullAt is the hour (UTC) of the nightly full refresh, which
// picks up changes to accounts and holdings.
const segmentsFullAt = 2

// startSegmenter refreshes every segment each segmentsEvery until stop
// is called: incrementally, and fully once a night. Errors are logged and
// the next tick tries again.
func (a *app) startSegmenter(ctx context.Context, st store.Store) (stop func()) {
	ctx, cancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	wg.Go(func() {
		t := time.NewTicker(segmentsEvery)
		defer t.Stop()
		lastFull := time.Now().UTC().Truncate(24 * time.Hour)
		for {
			select {
			case <-ctx.Done():
				return
			case now := <-t.C:
				now = now.UTC()
				full := fullRefreshDue(now, lastFull)
				if full {
					lastFull = now.Truncate(24 * time.Hour)
				}
				a.refreshSegmentsOnce(ctx, st, full, now)
			}
		}
	})
	return func() {
		cancel()
		wg.Wait()
	}
}

// fullRefreshDue says whether a tick at now is the night's full refresh:
// the first tick in the segmentsFullAt hour of a day after lastFull (the
// day of the last full refresh, or of the start).
func fullRefreshDue(now, lastFull time.Time) bool {
	return now.Hour() == segmentsFullAt && now.Truncate(24*time.Hour).After(lastFull)
}

// refreshSegmentsOnce runs one pass, turning a panic into a logged error.
func (a *app) refreshSegmentsOnce(ctx context.Context, st store.Store, full bool, now time.Time) {
	defer func() {
		if r := recover(); r != nil {
			a.log().ErrorContext(ctx, "refreshing segments failed", "err", fmt.Sprint(r))
		}
	}()
	out, err := refreshSegments(ctx, st, nil, full, now)
	if err != nil && ctx.Err() == nil {
		a.log().ErrorContext(ctx, "refreshing segments", "err", err)
	}
	for _, r := range out {
		if r.Added+r.Removed > 0 {
			a.log().InfoContext(ctx, "segment refreshed", "segment", r.Segment.ID, "members", r.Segment.Size,
				"added", r.Added, "removed", r.Removed, "full", r.Full)
		}
	}
}
