package measure

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// The command line, the console and the API all ask for scorecards and
// value reports in words people type: a grouping, a trend, a period of
// dates, a month. They read them here, so the three accept the same input
// and refuse bad input with the same words.

// InputError names the input that is wrong ("by", "trend", "since",
// "until", "days", "month") and why, so each caller can point at its own
// flag, form field or query parameter.
type InputError struct {
	Field, Reason string
}

func (e *InputError) Error() string { return e.Reason }

// MaxPeriodDays bounds a period: a daily trend over it stays readable and
// loading it stays quick.
const MaxPeriodDays = 400

// ParseBy reads a grouping among allowed ("" is ByAgent).
func ParseBy(s string, allowed []By) (By, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return ByAgent, nil
	}
	if !slices.Contains(allowed, By(s)) {
		names := make([]string, len(allowed))
		for i, b := range allowed {
			names[i] = string(b)
		}
		return "", &InputError{"by", fmt.Sprintf("%q is not a grouping: choose %s", s, strings.Join(names, ", "))}
	}
	return By(s), nil
}

// ParseTrend reads day, week, or none ("" or "none").
func ParseTrend(s string) (Trend, error) {
	switch s = strings.TrimSpace(s); s {
	case "", "none":
		return TrendNone, nil
	case "day", "week":
		return Trend(s), nil
	}
	return "", &InputError{"trend", fmt.Sprintf("%q is not a trend: choose day or week", s)}
}

// ParsePeriod reads a period of UTC calendar days as [since, until):
// since and until are dates (YYYY-MM-DD, until the last day included);
// without until the period ends with today, without since it is the
// days days before its end.
func ParsePeriod(since, until string, days int, now time.Time) (time.Time, time.Time, error) {
	now = now.UTC()
	end := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC).AddDate(0, 0, 1)
	if until = strings.TrimSpace(until); until != "" {
		d, err := time.Parse(time.DateOnly, until)
		if err != nil {
			return time.Time{}, time.Time{}, &InputError{"until", fmt.Sprintf("until %q is not a date: write it as YYYY-MM-DD, such as %s",
				until, now.Format(time.DateOnly))}
		}
		end = d.AddDate(0, 0, 1)
	}
	if days <= 0 {
		return time.Time{}, time.Time{}, &InputError{"days", fmt.Sprintf("%d days: give a number of days above zero", days)}
	}
	start := end.AddDate(0, 0, -days)
	if since = strings.TrimSpace(since); since != "" {
		d, err := time.Parse(time.DateOnly, since)
		if err != nil {
			return time.Time{}, time.Time{}, &InputError{"since", fmt.Sprintf("since %q is not a date: write it as YYYY-MM-DD, such as %s",
				since, now.AddDate(0, 0, -30).Format(time.DateOnly))}
		}
		start = d
	}
	if !start.Before(end) {
		return time.Time{}, time.Time{}, &InputError{"since", fmt.Sprintf("the period starts on %s, after it ends on %s: swap the dates",
			start.Format(time.DateOnly), end.AddDate(0, 0, -1).Format(time.DateOnly))}
	}
	if end.Sub(start) > MaxPeriodDays*24*time.Hour {
		return time.Time{}, time.Time{}, &InputError{"since", fmt.Sprintf("the period is longer than %d days: choose a shorter one", MaxPeriodDays)}
	}
	return start, end, nil
}

// ParseMonth reads YYYY-MM ("" for now's month) as the first instant of
// that UTC month; a month after now's is refused: nothing is in it yet.
func ParseMonth(s string, now time.Time) (time.Time, error) {
	now = now.UTC()
	cur := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, time.UTC)
	if s = strings.TrimSpace(s); s == "" {
		return cur, nil
	}
	t, err := time.Parse("2006-01", s)
	if err != nil {
		return time.Time{}, &InputError{"month", fmt.Sprintf("month %q is not a month: write it as YYYY-MM, such as %s", s, cur.Format("2006-01"))}
	}
	if t.After(cur) {
		return time.Time{}, &InputError{"month", fmt.Sprintf("%s has not begun yet: choose %s or earlier", s, cur.Format("2006-01"))}
	}
	return t, nil
}
