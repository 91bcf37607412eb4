package demo

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"time"
)

const (
	segmentIndustry = "Logistics"
	segmentTitle    = "Operations"
	segmentViews    = 2
	segmentRate     = 0.45
)

// segmentPlan decides, before any event is drawn, who is active, how many
// times each person views pricing and who converts. Deciding up front lets
// the segment's conversion count be planted exactly rather than hoped for.
type segmentPlan struct {
	active    []bool
	views     []int
	member    []bool
	convert   []bool
	candidate []bool
	anonymous int
}

func newSegmentPlan(r *rand.Rand, w *world) *segmentPlan {
	n := len(w.humans)
	p := &segmentPlan{active: make([]bool, n), views: make([]int, n), member: make([]bool, n),
		convert: make([]bool, n), candidate: make([]bool, n)}
	var members []int
	for i, h := range w.humans {
		from := maxTime(w.start, h.created)
		p.active[i] = chance(r, 0.85) && from.Before(w.now.Add(-2*time.Hour))
		p.candidate[i] = inSegmentProfile(w, h)
		if p.candidate[i] && chance(r, 0.6) {
			p.views[i] = 2 + weighted(r, []float64{50, 30, 20})
		} else if p.candidate[i] {
			p.views[i] = r.IntN(2)
		} else {
			p.views[i] = weighted(r, []float64{62, 20, 10, 5, 3})
		}
		p.member[i] = p.active[i] && p.candidate[i] && p.views[i] >= segmentViews
		if p.member[i] {
			members = append(members, i)
		} else {
			p.convert[i] = chance(r, 0.015+0.02*float64(min(p.views[i], 3)))
		}
	}
	k := int(math.Round(segmentRate * float64(len(members))))
	for _, j := range r.Perm(len(members))[:k] {
		p.convert[members[j]] = true
	}
	return p
}

// inSegmentProfile reports whether the record events are keyed to shows
// the segment's industry and title (ESP records carry neither).
func inSegmentProfile(w *world, h *human) bool {
	if h.account < 0 || h.role || (!h.in[sysMAP] && !h.in[sysCRM]) {
		return false
	}
	return w.accounts[h.account].industry == segmentIndustry && strings.Contains(h.title, segmentTitle)
}

func (p *segmentPlan) isActive(i int) bool    { return p.active[i] }
func (p *segmentPlan) pricingViews(i int) int { return p.views[i] }
func (p *segmentPlan) converts(i int) bool    { return p.convert[i] }

// truth records the segment with its rate and the rates of each single
// condition outside it.
func (p *segmentPlan) truth(w *world) {
	type tally struct{ n, conv int }
	var all, seg, out, pricing, industry, title tally
	var members []string
	add := func(t *tally, i int) {
		t.n++
		if p.convert[i] {
			t.conv++
		}
	}
	for i, h := range w.humans {
		if !p.active[i] {
			continue
		}
		add(&all, i)
		if p.member[i] {
			add(&seg, i)
			members = append(members, h.userID())
			continue
		}
		add(&out, i)
		if p.views[i] >= segmentViews {
			add(&pricing, i)
		}
		if h.account >= 0 && w.accounts[h.account].industry == segmentIndustry {
			add(&industry, i)
		}
		if strings.Contains(h.title, segmentTitle) {
			add(&title, i)
		}
	}
	rate := func(t tally) float64 {
		if t.n == 0 {
			return 0
		}
		return round6(float64(t.conv) / float64(t.n))
	}
	slices.Sort(members)
	f := &SegmentFact{
		Rule: fmt.Sprintf("account industry = %q AND title contains %q AND at least %d %q events",
			segmentIndustry, segmentTitle, segmentViews, evPricing),
		Industry: segmentIndustry, TitleContains: segmentTitle, MinPricingViews: segmentViews,
		PricingEvent: evPricing, ConversionEvent: evConversion,
		Population: all.n, Size: seg.n, Conversions: seg.conv, Rate: rate(seg), BaseRate: rate(out),
		PricingOnlyRate: rate(pricing), IndustryOnlyRate: rate(industry), TitleOnlyRate: rate(title),
		MemberUserIDs: members,
	}
	if f.BaseRate > 0 {
		f.Lift = round6(f.Rate / f.BaseRate)
	}
	w.addFact(KindHiddenSegment, fmt.Sprintf("%s %s people with %d+ pricing views convert at %.0f%% vs %.1f%% for everyone else",
		segmentIndustry, segmentTitle, segmentViews, f.Rate*100, f.BaseRate*100), &Fact{Segment: f})
}
