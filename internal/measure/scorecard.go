package measure

import (
	"slices"
	"sort"
	"time"
)

// Options say how to compute scorecards.
type Options struct {
	By    By
	Trend Trend
	// ReviewMinutes is the assumed time a person spends on one decision
	// (0: DefaultReviewMinutes).
	ReviewMinutes float64
}

// DefaultReviewMinutes is the assumed time a person spends reading a
// proposal and deciding on it.
const DefaultReviewMinutes = 3.0

// Scorecards groups h as o.By says and scores each group over h's
// period, ordered by key. ByFleet (or an empty By) gives one card.
func Scorecards(h *History, o Options) []Card {
	by := o.By
	if by == "" {
		by = ByFleet
	}
	groups := map[string]*History{}
	group := func(key string) *History {
		g, ok := groups[key]
		if !ok {
			g = &History{Since: h.Since, Until: h.Until}
			groups[key] = g
		}
		return g
	}
	if by == ByFleet {
		group("")
	}
	for _, r := range h.Records {
		for _, k := range keysOf(r, by) {
			g := group(k)
			g.Records = append(g.Records, r)
		}
	}
	for _, c := range h.Changes {
		g := group(changeKey(c, by))
		g.Changes = append(g.Changes, c)
	}
	keys := make([]string, 0, len(groups))
	for k := range groups {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	cards := make([]Card, 0, len(keys))
	for _, k := range keys {
		c := Compute(groups[k], o.ReviewMinutes)
		c.By, c.Key = by, k
		c.Trend = trendOf(groups[k], o, by, k)
		cards = append(cards, c)
	}
	return cards
}

// keysOf lists the groups a record belongs to. ByKind puts a proposal
// with several action kinds whole in each: its verdict and value are not
// divisible between them.
func keysOf(r Record, by By) []string {
	switch by {
	case ByAgent:
		return []string{r.Proposal.Agent}
	case BySkill:
		return []string{r.Proposal.Skill}
	case ByOwner:
		return []string{r.Owner}
	case ByTeam:
		return []string{r.Team}
	case ByKind:
		var ks []string
		for _, a := range r.Proposal.Actions {
			if !slices.Contains(ks, string(a.Kind)) {
				ks = append(ks, string(a.Kind))
			}
		}
		return ks
	}
	return []string{""}
}

func changeKey(c AutonomyChange, by By) string {
	switch by {
	case ByAgent:
		return c.Agent
	case BySkill:
		return c.Skill
	case ByOwner:
		return c.Owner
	case ByTeam:
		return c.Team
	case ByKind:
		return string(c.Kind)
	}
	return ""
}

// trendOf scores h per day or week of its period.
func trendOf(h *History, o Options, by By, key string) []Card {
	if o.Trend == TrendNone {
		return nil
	}
	var out []Card
	for start := bucketStart(h.Since, o.Trend); start.Before(h.Until); start = nextBucket(start, o.Trend) {
		end := nextBucket(start, o.Trend)
		b := &History{Since: maxTime(start, h.Since), Until: minTime(end, h.Until)}
		for _, r := range h.Records {
			if !r.Made.Before(b.Since) && r.Made.Before(b.Until) {
				b.Records = append(b.Records, r)
			}
		}
		for _, c := range h.Changes {
			if !c.At.Before(b.Since) && c.At.Before(b.Until) {
				b.Changes = append(b.Changes, c)
			}
		}
		c := Compute(b, o.ReviewMinutes)
		c.By, c.Key = by, key
		out = append(out, c)
	}
	return out
}

func bucketStart(t time.Time, tr Trend) time.Time {
	t = t.UTC()
	d := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
	if tr == TrendWeek {
		back := (int(d.Weekday()) + 6) % 7 // days since Monday
		d = d.AddDate(0, 0, -back)
	}
	return d
}

func nextBucket(t time.Time, tr Trend) time.Time {
	if tr == TrendWeek {
		return t.AddDate(0, 0, 7)
	}
	return t.AddDate(0, 0, 1)
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}
