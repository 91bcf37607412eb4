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
	sq := scoreQuery{Trend: measure.TrendDay, Period: "30"}
	var err error
	if sq.By, err = measure.ParseBy(q.Get("by"), scoreGroupings); err != nil {
		return sq, err
	}
	if q.Has("trend") {
		if sq.Trend, err = measure.ParseTrend(q.Get("trend")); err != nil {
			return sq, err
		}
	}
	sq.SinceText, sq.UntilText = strings.TrimSpace(q.Get("since")), strings.TrimSpace(q.Get("until"))
	if sq.SinceText != "" || sq.UntilText != "" {
		sq.Period = ""
		sq.Since, sq.Until, err = measure.ParsePeriod(sq.SinceText, sq.UntilText, 30, now)
		return sq, err
	}
	if v := strings.TrimSpace(q.Get("period")); v != "" {
		if !slices.Contains(periods, v) {
			return sq, fmt.Errorf("%q is not a period: choose 7, 30 or 90 days, or give dates", v)
		}
		sq.Period = v
	}
	days := map[string]int{"7": 7, "30": 30, "90": 90}[sq.Period]
	sq.Since, sq.Until, err = measure.ParsePeriod("", "", days, now)
	return sq, err
}

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
