package chart

import (
	"fmt"
	"html/template"
	"math"
	"strings"
)

// Sparkline draws values as a small line w×h pixels, with no axes: a
// trend at a glance beside a figure (proposals per day on the agents
// page). Its description gives the count, lowest, highest and latest
// value for screen readers. Values that are not finite are skipped.
func Sparkline(values []float64, w, h int) template.HTML {
	w, h = max(w, 8), max(h, 6)
	var vs []float64
	for _, v := range values {
		if f, ok := finite(v); ok {
			vs = append(vs, f)
		}
	}
	desc := "No values."
	if len(vs) > 0 {
		lo, hi := vs[0], vs[0]
		for _, v := range vs {
			lo, hi = math.Min(lo, v), math.Max(hi, v)
		}
		desc = fmt.Sprintf("%d values: lowest %s, highest %s, latest %s.", len(vs), Number(lo), Number(hi), Number(vs[len(vs)-1]))
	}
	c := newCanvas("spark", w, h, "Trend", desc, fmt.Sprint(vs))
	if len(vs) > 0 {
		lo, hi := vs[0], vs[0]
		for _, v := range vs {
			lo, hi = math.Min(lo, v), math.Max(hi, v)
		}
		if lo >= 0 {
			lo = 0
		}
		ys := newLinear(lo, hi, float64(h)-1.5, 1.5)
		xs := newLinear(0, float64(max(len(vs)-1, 1)), 1.5, float64(w)-1.5)
		var pts []string
		for i, v := range vs {
			pts = append(pts, coord(xs.at(float64(i)))+","+coord(ys.at(v)))
		}
		if len(vs) == 1 {
			pts = append(pts, coord(float64(w)-1.5)+","+coord(ys.at(vs[0])))
		}
		c.raw(`<polyline class="chart-spark" points="` + strings.Join(pts, " ") + `" fill="none" stroke="` + colAccent + `" stroke-width="1.5" stroke-linejoin="round"/>`)
		last := len(vs) - 1
		fmt.Fprintf(&c.b, `<circle class="chart-dot" cx="%s" cy="%s" r="2" fill="%s"/>`, coord(xs.at(float64(last))), coord(ys.at(vs[last])), colAccent)
	}
	return c.close("", nil, nil)
}
