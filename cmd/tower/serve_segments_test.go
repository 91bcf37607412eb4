package main

import (
	"testing"
	"time"
)

func TestFullRefreshDueOncePerNight(t *testing.T) {
	start := time.Date(2026, 11, 20, 15, 4, 0, 0, time.UTC)
	last := start.Truncate(24 * time.Hour)
	for _, c := range []struct {
		at   time.Time
		want bool
	}{
		{start.Add(time.Minute), false},                         // the afternoon of the start
		{time.Date(2026, 11, 20, 2, 30, 0, 0, time.UTC), false}, // 02:00 of the start day: already counted
		{time.Date(2026, 11, 21, 1, 59, 0, 0, time.UTC), false}, // before 02:00
		{time.Date(2026, 11, 21, 2, 0, 0, 0, time.UTC), true},   // the night after
		{time.Date(2026, 11, 21, 3, 0, 0, 0, time.UTC), false},  // after the hour
	} {
		if got := fullRefreshDue(c.at, last); got != c.want {
			t.Errorf("%s: %v, want %v", c.at, got, c.want)
		}
	}
	// Once done, the same night's later ticks are incremental.
	if fullRefreshDue(time.Date(2026, 11, 21, 2, 1, 0, 0, time.UTC), time.Date(2026, 11, 21, 0, 0, 0, 0, time.UTC)) {
		t.Error("a second full refresh in the same night")
	}
}
