package connect

import (
	"math/rand/v2"
	"time"
)

// Backoff is how long to wait before attempt n+1 after n failed attempts:
// Base·2^(n−1), capped at Max, with "equal jitter" — half the delay fixed,
// half random — so a thousand deliveries that failed together do not all
// come back in the same second, yet none comes back much too early. When
// the remote side asked for longer (Retry-After), its wish wins.
type Backoff struct {
	Base time.Duration // default 30s
	Max  time.Duration // default 1h
}

// Delay returns the wait after n failed attempts (n ≥ 1), at least after.
func (b Backoff) Delay(n int, after time.Duration, r *rand.Rand) time.Duration {
	base, maxd := b.Base, b.Max
	if base <= 0 {
		base = 30 * time.Second
	}
	if maxd <= 0 {
		maxd = time.Hour
	}
	d := base
	for i := 1; i < n && d < maxd; i++ {
		d *= 2
	}
	d = min(d, maxd)
	half := d / 2
	var jitter time.Duration
	if half > 0 {
		if r != nil {
			jitter = time.Duration(r.Int64N(int64(half) + 1))
		} else {
			jitter = time.Duration(rand.Int64N(int64(half) + 1))
		}
	}
	return max(half+jitter, after)
}
