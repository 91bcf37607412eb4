package campaignwatch

import (
	"time"

	"github.com/towerops/tower/internal/foundation"
)

// Point is one day of one metric: Num successes over Den trials (or
// dollars).
type Point struct {
	Date     time.Time
	Num, Den float64
}

// Rate is the day's observed value.
func (p Point) Rate() float64 {
	if p.Den == 0 {
		return 0
	}
	return p.Num / p.Den
}

// dailyTotals folds a campaign's rows into one row per day: the whole-
// campaign row when the day has one, otherwise the sum of its variants (an
// A/B test is watched as one campaign; the experiment analyst reads the
// arms). days must be ordered by date.
func dailyTotals(days []foundation.CampaignDay) []foundation.CampaignDay {
	var out []foundation.CampaignDay
	whole := map[time.Time]bool{}
	for _, d := range days {
		if d.Variant == "" {
			whole[d.Date] = true
		}
	}
	for _, d := range days {
		if whole[d.Date] && d.Variant != "" {
			continue
		}
		if n := len(out); n > 0 && out[n-1].Date.Equal(d.Date) {
			t := &out[n-1]
			t.Sends += d.Sends
			t.Delivered += d.Delivered
			t.Opens += d.Opens
			t.Clicks += d.Clicks
			t.Conversions += d.Conversions
			t.Spend += d.Spend
			t.Revenue += d.Revenue
			t.Unsubscribes += d.Unsubscribes
			t.HardBounces += d.HardBounces
			t.Complaints += d.Complaints
			continue
		}
		d.Variant = ""
		out = append(out, d)
	}
	return out
}

// seriesOf returns a metric's points over the days, leaving out days
// with nothing to divide by (a direct-mail campaign between drops).
func seriesOf(m Metric, days []foundation.CampaignDay) []Point {
	out := make([]Point, 0, len(days))
	for _, d := range days {
		num, den := m.Parts(d)
		if den <= 0 {
			continue
		}
		out = append(out, Point{Date: d.Date, Num: num, Den: den})
	}
	return out
}
