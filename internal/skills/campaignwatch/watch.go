package campaignwatch

import (
	"cmp"
	"math"
	"slices"
	"time"

	"github.com/towerops/tower/internal/store"
)

// Report is what campaign-watch concluded about one campaign today.
type Report struct {
	Campaign *Watched
	Now      time.Time
	Live     bool
	// Breaches are hard limits crossed (halts first).
	Breaches []Breach
	// Findings are metrics that changed for the worse, the strongest
	// first.
	Findings []Finding
	// Recovered: the campaign is paused, yet its latest figures show
	// nothing wrong.
	Recovered bool
	// Best is the peer on the same channel that turns a dollar into the
	// most conversions over the finding's recent days (paid channels).
	Best *PeerRate
	Cfg  ScanConfig
}

// Finding is one metric's change for the worse.
type Finding struct {
	Metric Metric
	Change Change
	// Own compares the recent days with the campaign's baseline.
	Own Comparison
	// Peers compares the recent days with the channel's other campaigns.
	Peers PeerView
	// ChannelWide: the peers fell as much over the same days, so the
	// cause is likely outside this campaign (tracking, a platform
	// outage): tell people, but do not pause or move money.
	ChannelWide bool
}

// Watch examines one campaign as of now.
func Watch(w *Watched, fleet Fleet, now time.Time, cfg ScanConfig, lim Limits) *Report {
	rep := &Report{Campaign: w, Now: now, Live: w.live(now), Cfg: cfg}
	if !rep.Live {
		return rep
	}
	ch := w.Campaign.Channel
	for _, m := range Metrics {
		if !m.On(ch) {
			continue
		}
		pts := seriesOf(m, w.Days)
		if b, ok := checkLimit(m, pts, lim); ok {
			rep.Breaches = append(rep.Breaches, b)
		}
		c, worse := Scan(pts, m, cfg)
		if !worse {
			continue
		}
		f := Finding{Metric: m, Change: c}
		f.Own = compareTo(posteriorOf(c.Recent, m.Poisson, c.Tau), posteriorOf(c.Baseline, m.Poisson, c.Tau), 0, m.Bad)
		f.Peers = peersOf(w, fleet, m, c)
		f.ChannelWide = f.Peers.Count >= 3 && math.Abs(f.Peers.MedianChange) >= cfg.MinChange/2 &&
			math.Signbit(f.Peers.MedianChange) == math.Signbit(c.Relative)
		if f.Peers.Count > 0 {
			f.Peers.Compared = compareTo(posteriorOf(c.Recent, m.Poisson, c.Tau), Posterior{}, f.Peers.MedianRate, m.Bad)
		}
		rep.Findings = append(rep.Findings, f)
	}
	slices.SortStableFunc(rep.Breaches, func(a, b Breach) int {
		if a.Halt != b.Halt {
			if a.Halt {
				return -1
			}
			return 1
		}
		return cmp.Compare(b.Prob, a.Prob)
	})
	slices.SortStableFunc(rep.Findings, func(a, b Finding) int { return cmp.Compare(math.Abs(b.Change.Z), math.Abs(a.Change.Z)) })
	if len(rep.Findings) > 0 {
		rep.Best = bestPeer(w, fleet, rep.Findings[0].Change.Start, now)
	}
	rep.Recovered = w.Campaign.Status == store.CampaignPaused && len(rep.Findings) == 0 && !rep.halting()
	return rep
}

// halting says whether a halt limit is crossed.
func (r *Report) halting() bool {
	return len(r.Breaches) > 0 && r.Breaches[0].Halt
}
