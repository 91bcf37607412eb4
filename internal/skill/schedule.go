package skill

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Schedule is a parsed five-field cron expression, evaluated in UTC. It
// has the Next method River's periodic jobs expect.
type Schedule struct {
	expr                          string
	minute, hour, dom, month, dow uint64 // bit sets
	domStar, dowStar              bool
}

// ParseSchedule parses "minute hour day-of-month month day-of-week" with
// *, lists (1,15), ranges (1-5) and steps (*/15, 0-30/10), and the
// shorthands @hourly, @daily, @weekly, @monthly.
func ParseSchedule(expr string) (Schedule, error) {
	switch strings.TrimSpace(expr) {
	case "@hourly":
		expr = "0 * * * *"
	case "@daily", "@midnight":
		expr = "0 0 * * *"
	case "@weekly":
		expr = "0 0 * * 0"
	case "@monthly":
		expr = "0 0 1 * *"
	}
	f := strings.Fields(expr)
	if len(f) != 5 {
		return Schedule{}, fmt.Errorf("%q: want five fields (minute hour day month weekday), got %d", expr, len(f))
	}
	s := Schedule{expr: expr, domStar: f[2] == "*", dowStar: f[4] == "*"}
	var err error
	specs := []struct {
		dst    *uint64
		name   string
		lo, hi int
	}{{&s.minute, "minute", 0, 59}, {&s.hour, "hour", 0, 23}, {&s.dom, "day", 1, 31}, {&s.month, "month", 1, 12}, {&s.dow, "weekday", 0, 7}}
	for i, sp := range specs {
		if *sp.dst, err = cronField(f[i], sp.lo, sp.hi); err != nil {
			return Schedule{}, fmt.Errorf("%q: %s: %w", expr, sp.name, err)
		}
	}
	if s.dow&(1<<7) != 0 { // 7 is Sunday too
		s.dow |= 1
	}
	return s, nil
}

func cronField(f string, lo, hi int) (uint64, error) {
	var bits uint64
	for _, part := range strings.Split(f, ",") {
		rng, stepText, hasStep := strings.Cut(part, "/")
		step := 1
		if hasStep {
			n, err := strconv.Atoi(stepText)
			if err != nil || n < 1 {
				return 0, fmt.Errorf("bad step %q", stepText)
			}
			step = n
		}
		a, b := lo, hi
		if rng != "*" {
			x, y, isRange := strings.Cut(rng, "-")
			var err error
			if a, err = strconv.Atoi(x); err != nil {
				return 0, fmt.Errorf("bad value %q", x)
			}
			b = a
			if isRange {
				if b, err = strconv.Atoi(y); err != nil {
					return 0, fmt.Errorf("bad value %q", y)
				}
			} else if hasStep {
				b = hi
			}
		}
		if a < lo || b > hi || a > b {
			return 0, fmt.Errorf("%q is outside %d-%d", part, lo, hi)
		}
		for v := a; v <= b; v += step {
			bits |= 1 << uint(v)
		}
	}
	return bits, nil
}

// String returns the expression as written.
func (s Schedule) String() string { return s.expr }

// Next returns the first time strictly after t that matches, in UTC.
func (s Schedule) Next(t time.Time) time.Time {
	t = t.UTC().Truncate(time.Minute).Add(time.Minute)
	limit := t.AddDate(5, 0, 0)
	for t.Before(limit) {
		if s.month&(1<<uint(t.Month())) == 0 {
			t = time.Date(t.Year(), t.Month()+1, 1, 0, 0, 0, 0, time.UTC)
			continue
		}
		if !s.dayMatches(t) {
			t = time.Date(t.Year(), t.Month(), t.Day()+1, 0, 0, 0, 0, time.UTC)
			continue
		}
		if s.hour&(1<<uint(t.Hour())) == 0 {
			t = time.Date(t.Year(), t.Month(), t.Day(), t.Hour()+1, 0, 0, 0, time.UTC)
			continue
		}
		if s.minute&(1<<uint(t.Minute())) == 0 {
			t = t.Add(time.Minute)
			continue
		}
		return t
	}
	return time.Time{}
}

// dayMatches follows cron: when both day fields are restricted, either
// matching is enough.
func (s Schedule) dayMatches(t time.Time) bool {
	dom := s.dom&(1<<uint(t.Day())) != 0
	dow := s.dow&(1<<uint(t.Weekday())) != 0
	switch {
	case s.domStar && s.dowStar:
		return true
	case s.domStar:
		return dow
	case s.dowStar:
		return dom
	}
	return dom || dow
}
