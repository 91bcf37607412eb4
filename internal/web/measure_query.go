package web

import (
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/towerops/tower/internal/measure"
)

// scoreQuery is what the scorecards page was asked for: a grouping, a
// period [Since, Until) and a trend bucket. It comes from the query
// string, so every field is checked and a bad one is named precisely.
type scoreQuery struct {
	By    measure.By
	Trend measure.Trend
	// Period is "7", "30" or "90" (days, ending today) or "" when Since
	// and Until were given as dates.
	Period       string
	Since, Until time.Time
	// SinceText and UntilText are the dates as typed, shown again in the
	// form; UntilText names the last day included.
	SinceText, UntilText string
}

// periods are the preset periods, in days.
var periods = []string{"7", "30", "90"}

// scoreGroupings are the groupings the page offers (the fleet's one card
// is the table's total row).
var scoreGroupings = []measure.By{measure.ByAgent, measure.BySkill, measure.ByKind, measure.ByOwner, measure.ByTeam}

// parseScoreQuery reads q with now as today. Dates are UTC calendar days;
// until is the last day included.
func parseScoreQuery(q url.Values, now time.Time) (scoreQuery, error) {
	sq := scoreQuery{By: measure.ByAgent, Trend: measure.TrendDay, Period: "30"}
	if v := strings.TrimSpace(q.Get("by")); v != "" {
		if !slices.Contains(scoreGroupings, measure.By(v)) {
			return sq, fmt.Errorf("%q is not a grouping: choose agent, skill, kind, owner or team", v)
		}
		sq.By = measure.By(v)
	}
	if q.Has("trend") {
		switch v := strings.TrimSpace(q.Get("trend")); v {
		case "day", "week":
			sq.Trend = measure.Trend(v)
		case "", "none":
			sq.Trend = measure.TrendNone
		default:
			return sq, fmt.Errorf("%q is not a trend: choose day or week", v)
		}
	}
	today := dayOf(now).AddDate(0, 0, 1) // the end of today
	sq.SinceText, sq.UntilText = strings.TrimSpace(q.Get("since")), strings.TrimSpace(q.Get("until"))
	if sq.SinceText != "" || sq.UntilText != "" {
		sq.Period = ""
		sq.Until = today
		if sq.UntilText != "" {
			d, err := time.Parse(time.DateOnly, sq.UntilText)
			if err != nil {
				return sq, fmt.Errorf("until %q is not a date: write it as YYYY-MM-DD, such as %s", sq.UntilText, now.UTC().Format(time.DateOnly))
			}
			sq.Until = d.AddDate(0, 0, 1)
		}
		sq.Since = sq.Until.AddDate(0, 0, -30)
		if sq.SinceText != "" {
			d, err := time.Parse(time.DateOnly, sq.SinceText)
			if err != nil {
				return sq, fmt.Errorf("since %q is not a date: write it as YYYY-MM-DD, such as %s", sq.SinceText, now.UTC().AddDate(0, 0, -30).Format(time.DateOnly))
			}
			sq.Since = d
		}
		if !sq.Since.Before(sq.Until) {
			return sq, fmt.Errorf("the period starts on %s, after it ends on %s: swap the dates", sq.Since.Format(time.DateOnly), sq.Until.AddDate(0, 0, -1).Format(time.DateOnly))
		}
		if sq.Until.Sub(sq.Since) > maxScoreDays*24*time.Hour {
			return sq, fmt.Errorf("the period is longer than %d days: choose a shorter one", maxScoreDays)
		}
		return sq, nil
	}
	if v := strings.TrimSpace(q.Get("period")); v != "" {
		if !slices.Contains(periods, v) {
			return sq, fmt.Errorf("%q is not a period: choose 7, 30 or 90 days, or give dates", v)
		}
		sq.Period = v
	}
	days := map[string]int{"7": 7, "30": 30, "90": 90}[sq.Period]
	sq.Until, sq.Since = today, today.AddDate(0, 0, -days)
	return sq, nil
}

// maxScoreDays bounds a period given by dates: a daily trend over it
// stays readable and the page stays quick.
const maxScoreDays = 400

// dayOf is the start of t's UTC day.
func dayOf(t time.Time) time.Time {
	t = t.UTC()
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
}

// Last is the last day of the period, for people (Until is exclusive).
func (sq scoreQuery) Last() time.Time { return sq.Until.AddDate(0, 0, -1) }

// Groupings, Periods: the form's choices.
func (sq scoreQuery) Groupings() []measure.By { return scoreGroupings }
func (sq scoreQuery) Periods() []string       { return periods }

// URL is the page's link with by changed (the table's grouping links).
func (sq scoreQuery) URL(by measure.By) string {
	v := url.Values{"by": {string(by)}, "trend": {string(sq.Trend)}}
	if sq.Period != "" {
		v.Set("period", sq.Period)
	} else {
		v.Set("since", sq.Since.Format(time.DateOnly))
		v.Set("until", sq.Last().Format(time.DateOnly))
	}
	if sq.Trend == measure.TrendNone {
		v.Set("trend", "none")
	}
	return "/scorecards?" + v.Encode()
}
