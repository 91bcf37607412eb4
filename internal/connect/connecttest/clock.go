// Package connecttest is the one test suite every connector passes, and
// the manual clock its fakes and the deliverer share. Each connector
// package runs Run against a fake server built from its vendor's published
// API shapes; the suite checks pulls page through everything, pushes land
// once, a partly failed batch fails only its bad records, rate limits and
// server errors come back retryable, and a ten-minute outage loses and
// doubles nothing once the deliverer is done.
package connecttest

import (
	"context"
	"sync"
	"time"
)

// Clock is a manual clock: Sleep moves it forward at once, so a test can
// live through ten minutes of outage in milliseconds. It is safe for use
// by the fake server's goroutines and the test at once.
type Clock struct {
	mu sync.Mutex
	t  time.Time
}

// NewClock starts a clock at t.
func NewClock(t time.Time) *Clock { return &Clock{t: t} }

// Now returns the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

// Sleep advances the clock by d without waiting.
func (c *Clock) Sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	c.Advance(d)
	return nil
}

// Advance moves the clock forward by d.
func (c *Clock) Advance(d time.Duration) {
	if d <= 0 {
		return
	}
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// Set moves the clock to t (never backwards).
func (c *Clock) Set(t time.Time) {
	c.mu.Lock()
	if t.After(c.t) {
		c.t = t
	}
	c.mu.Unlock()
}
