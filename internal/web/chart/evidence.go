package chart

import (
	"fmt"
	"strings"
	"time"

	"github.com/towerops/tower/internal/proposal"
)

// Suffixes and names of the evidence conventions (docs/proposals.md,
// "Evidence charts").
const (
	suffixBaseLow  = " baseline low"
	suffixBaseHigh = " baseline high"
	suffixLow      = " low"
	suffixHigh     = " high"
	factChange     = "change point"
)

// Evidence draws the chart series of a proposal's evidence, one figure
// per series in the order the skill gave them; companion series (a
// baseline's or an interval's low and high) are drawn with the series
// they belong to, not on their own.
func Evidence(ev proposal.Evidence) []Figure {
	byName := map[string]int{}
	for i, s := range ev.Series {
		byName[strings.ToLower(strings.TrimSpace(s.Name))] = i
	}
	// companion finds base+suffix for series base, if the skill sent it.
	companion := func(base, suffix string) (proposal.Series, bool) {
		i, ok := byName[strings.ToLower(strings.TrimSpace(base))+suffix]
		if !ok {
			return proposal.Series{}, false
		}
		return ev.Series[i], true
	}
	used := map[int]bool{}
	for _, s := range ev.Series {
		for _, suf := range []string{suffixBaseLow, suffixBaseHigh, suffixLow, suffixHigh} {
			name := strings.ToLower(strings.TrimSpace(s.Name))
			if base, ok := strings.CutSuffix(name, suf); ok && base != "" {
				if _, has := byName[base]; has {
					used[byName[name]] = true
				}
			}
		}
	}
	var figs []Figure
	for i, s := range ev.Series {
		if used[i] {
			continue
		}
		seed := fmt.Sprint(i)
		xs := make([]string, len(s.Points))
		for j, p := range s.Points {
			xs[j] = p.X
		}
		if allDates(xs) {
			low, okL := companion(s.Name, suffixBaseLow)
			high, okH := companion(s.Name, suffixBaseHigh)
			if !okL || !okH {
				low, okL = companion(s.Name, suffixLow)
				high, okH = companion(s.Name, suffixHigh)
			}
			if !okL || !okH {
				low, high = proposal.Series{}, proposal.Series{}
			}
			figs = append(figs, lineChart(s, low, high, markersFor(ev.Facts, s.Name), seed))
			continue
		}
		low, okL := companion(s.Name, suffixLow)
		high, okH := companion(s.Name, suffixHigh)
		if okL && okH {
			figs = append(figs, whiskerChart(s.Name, s.Unit, intervals(s, low, high), liftRef(s), seed))
			continue
		}
		var cats []category
		for _, p := range s.Points {
			if v, ok := finite(p.Y); ok {
				cats = append(cats, category{Label: p.X, Y: v})
			}
		}
		figs = append(figs, barChart(s.Name, s.Unit, cats, seed))
	}
	return figs
}

// intervals pairs each category of s with its low and high by label.
func intervals(s, low, high proposal.Series) []category {
	lo, hi := map[string]float64{}, map[string]float64{}
	for _, p := range low.Points {
		if v, ok := finite(p.Y); ok {
			lo[p.X] = v
		}
	}
	for _, p := range high.Points {
		if v, ok := finite(p.Y); ok {
			hi[p.X] = v
		}
	}
	var out []category
	for _, p := range s.Points {
		v, ok := finite(p.Y)
		if !ok {
			continue
		}
		k := category{Label: p.X, Y: v}
		l, okL := lo[p.X]
		h, okH := hi[p.X]
		if okL && okH {
			k.Low, k.High, k.HasInterval = min(l, h), max(l, h), true
		}
		out = append(out, k)
	}
	return out
}

// liftRef is 1.0 for a series that measures a lift (a ratio to a
// comparison group, where 1 means no difference), nil otherwise.
func liftRef(s proposal.Series) *float64 {
	n, u := strings.ToLower(s.Name), strings.ToLower(strings.TrimSpace(s.Unit))
	if strings.Contains(n, "lift") || strings.Contains(u, "lift") || u == "x" || u == "×" || u == "ratio" {
		one := 1.0
		return &one
	}
	return nil
}

// markersFor returns the change points that apply to series name: facts
// named "change point" (every time chart) or "change point: NAME".
func markersFor(facts []proposal.Fact, name string) []marker {
	var out []marker
	for _, f := range facts {
		fn := strings.ToLower(strings.TrimSpace(f.Name))
		target, scoped := strings.CutPrefix(fn, factChange+":")
		if fn != factChange && !(scoped && strings.TrimSpace(target) == strings.ToLower(strings.TrimSpace(name))) {
			continue
		}
		var x string
		switch v := f.Value.(type) {
		case string:
			x = v
		case time.Time:
			x = v.UTC().Format("2006-01-02")
		default:
			x = fmt.Sprint(v)
		}
		out = append(out, marker{X: strings.TrimSpace(x), Label: factChange})
	}
	return out
}
