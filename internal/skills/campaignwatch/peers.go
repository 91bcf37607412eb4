package campaignwatch

import (
	"slices"
	"time"

	"github.com/towerops/tower/internal/store"
)

// PeerView is how the channel's other campaigns did over a finding's
// recent days.
type PeerView struct {
	// Count is how many peers had figures over those days.
	Count int `json:"count"`
	// MedianRate is the peers' median rate over the recent days;
	// MedianChange their median relative change from the same baseline
	// days to the recent ones.
	MedianRate   float64 `json:"median_rate"`
	MedianChange float64 `json:"median_change"`
	// Compared is the campaign's recent rate against MedianRate.
	Compared Comparison `json:"compared"`
}

// peersOf compares a change with the channel's other campaigns over the
// same baseline and recent days.
func peersOf(w *Watched, fleet Fleet, m Metric, c Change) PeerView {
	var rates, changes []float64
	from, to := c.Baseline[0].Date, c.Start
	for _, p := range fleet {
		if p == w || p.Campaign.Channel != w.Campaign.Channel {
			continue
		}
		var bn, bd, rn, rd float64
		for _, pt := range seriesOf(m, p.Days) {
			switch {
			case pt.Date.Before(from):
			case pt.Date.Before(to):
				bn, bd = bn+pt.Num, bd+pt.Den
			default:
				rn, rd = rn+pt.Num, rd+pt.Den
			}
		}
		if rd <= 0 {
			continue
		}
		rates = append(rates, rn/rd)
		if bd > 0 && bn > 0 {
			changes = append(changes, (rn/rd)/(bn/bd)-1)
		}
	}
	return PeerView{Count: len(rates), MedianRate: median(rates), MedianChange: median(changes)}
}

func median(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	if n := len(s); n%2 == 1 {
		return s[n/2]
	} else {
		return (s[n/2-1] + s[n/2]) / 2
	}
}

// PeerRate is a peer's conversions per dollar over some days.
type PeerRate struct {
	Campaign          *Watched
	ConversionsPerUSD float64
	Own               float64 // the flagged campaign's, over the same days
}

// bestPeer is the active, live peer on the same (paid) channel with the
// most conversions per dollar since from, when it beats the campaign.
// A budget shift needs somewhere better to go.
func bestPeer(w *Watched, fleet Fleet, from, now time.Time) *PeerRate {
	if !paid(w.Campaign.Channel) {
		return nil
	}
	m, _ := MetricNamed("conversions_per_dollar")
	rate := func(x *Watched) (float64, bool) {
		var n, d float64
		for _, pt := range seriesOf(m, x.Days) {
			if !pt.Date.Before(from) {
				n, d = n+pt.Num, d+pt.Den
			}
		}
		return n / d, d > 0 && n >= 10
	}
	own, _ := rate(w)
	var best *PeerRate
	for _, p := range fleet {
		if p == w || p.Campaign.Channel != w.Campaign.Channel || p.Campaign.Status == store.CampaignPaused || !p.live(now) {
			continue
		}
		if !p.Campaign.EndDate.IsZero() && p.Campaign.EndDate.Before(dayOf(now).AddDate(0, 0, 7)) {
			continue // ends within the week: no time to spend more
		}
		r, ok := rate(p)
		if ok && r > own && (best == nil || r > best.ConversionsPerUSD) {
			best = &PeerRate{Campaign: p, ConversionsPerUSD: r, Own: own}
		}
	}
	return best
}
