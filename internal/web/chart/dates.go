package chart

import (
	"strings"
	"time"
)

// dateLayouts are the x labels read as dates, most common first.
var dateLayouts = []string{"2006-01-02", time.RFC3339, "2006-01-02T15:04:05", "2006-01-02 15:04:05", "2006-01-02 15:04", "2006-01"}

// parseDate reads an x label as a time.
func parseDate(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	for _, l := range dateLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// allDates reports whether every x label of points is a date (and there
// is at least one).
func allDates(xs []string) bool {
	for _, x := range xs {
		if _, ok := parseDate(x); !ok {
			return false
		}
	}
	return len(xs) > 0
}
