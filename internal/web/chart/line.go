package chart

import (
	"fmt"
	"math"
	"strings"

	"github.com/towerops/tower/internal/proposal"
)

// Line chart geometry, in user units (the svg scales to its container).
const (
	lineW, lineH                      = 640, 260
	padLeft, padRight, padTop, padBot = 64, 20, 20, 44
)

// marker is a labelled date drawn as a vertical line.
type marker struct{ X, Label string }

// timed is a point placed in time.
type timed struct {
	X string
	T float64 // unix seconds
	Y float64
}

// timePoints keeps the points of s with a date and a finite value.
func timePoints(s proposal.Series) []timed {
	var out []timed
	for _, p := range s.Points {
		t, ok := parseDate(p.X)
		y, fin := finite(p.Y)
		if ok && fin {
			out = append(out, timed{X: p.X, T: float64(t.Unix()), Y: y})
		}
	}
	return out
}

// niceDomain widens [lo, hi] to round tick values and returns the scale
// and its ticks.
func niceDomain(lo, hi, from, to float64, n int) (linear, []float64, float64) {
	s := newLinear(lo, hi, from, to)
	_, step := s.ticks(n)
	s = newLinear(math.Floor(s.lo/step)*step, math.Ceil(s.hi/step)*step, from, to)
	ts, step := s.ticks(n)
	return s, ts, step
}

// lineChart draws s over time, with its usual range (low/high, may be
// empty) as a band behind it and markers at the given dates.
func lineChart(s proposal.Series, low, high proposal.Series, marks []marker, seed string) Figure {
	pts := timePoints(s)
	lo, hi := math.Inf(1), math.Inf(-1)
	tlo, thi := math.Inf(1), math.Inf(-1)
	span := func(ps []timed) {
		for _, p := range ps {
			lo, hi = math.Min(lo, p.Y), math.Max(hi, p.Y)
			tlo, thi = math.Min(tlo, p.T), math.Max(thi, p.T)
		}
	}
	span(pts)
	band := pairBand(timePoints(low), timePoints(high))
	for _, b := range band {
		span([]timed{{T: b.T, Y: b.Y}, {T: b.T, Y: b.Hi}})
	}
	title := seriesTitle(s)
	if len(pts) == 0 {
		return emptyFigure(title, seed)
	}
	if lo >= 0 && lo <= hi/2 {
		lo = 0 // counts and rates read best from zero
	}
	if tlo == thi {
		tlo, thi = tlo-86400, thi+86400
	}
	ys, yt, step := niceDomain(lo, hi, lineH-padBot, padTop, 5)
	xs := newLinear(tlo, thi, padLeft, lineW-padRight)

	first, last := pts[0], pts[len(pts)-1]
	minP, maxP := pts[0], pts[0]
	for _, p := range pts {
		if p.Y < minP.Y {
			minP = p
		}
		if p.Y > maxP.Y {
			maxP = p
		}
	}
	desc := fmt.Sprintf("Line chart of %s from %s to %s: lowest %s on %s, highest %s on %s, latest %s.",
		s.Name, first.X, last.X, withUnit(Number(minP.Y), s.Unit), minP.X, withUnit(Number(maxP.Y), s.Unit), maxP.X, withUnit(Number(last.Y), s.Unit))
	if len(band) > 0 {
		desc += " The shaded band is the usual range."
	}
	var drawn []marker
	for _, m := range marks {
		if t, ok := parseDate(m.X); ok && float64(t.Unix()) >= tlo && float64(t.Unix()) <= thi {
			drawn = append(drawn, m)
			desc += fmt.Sprintf(" Marked: %s on %s.", m.Label, m.X)
		}
	}

	c := newCanvas("line", lineW, lineH, title, desc, seed)
	for _, v := range yt {
		y := ys.at(v)
		c.line("chart-grid", padLeft, y, lineW-padRight, y, colGrid, "")
		c.text("chart-tick", padLeft-6, y+4, "end", colMuted, withUnit(tick(v, step), unitForTicks(s.Unit)))
	}
	if len(band) > 0 {
		var up, down []string
		for _, b := range band {
			up = append(up, coord(xs.at(b.T))+","+coord(ys.at(b.Hi)))
		}
		for i := len(band) - 1; i >= 0; i-- {
			down = append(down, coord(xs.at(band[i].T))+","+coord(ys.at(band[i].Y)))
		}
		c.raw(`<polygon class="chart-band" points="` + strings.Join(append(up, down...), " ") + `" fill="` + colBand + `"><title>usual range</title></polygon>`)
	}
	c.line("chart-axis", padLeft, lineH-padBot, lineW-padRight, lineH-padBot, colMuted, "")
	for _, i := range tickIndexes(len(pts), 6) {
		x := xs.at(pts[i].T)
		c.line("chart-axis", x, lineH-padBot, x, lineH-padBot+4, colMuted, "")
		c.text("chart-tick", x, lineH-padBot+18, anchorAt(i, len(pts)), colMuted, pts[i].X)
	}
	for _, m := range drawn {
		t, _ := parseDate(m.X)
		x := xs.at(float64(t.Unix()))
		c.line("chart-marker", x, padTop, x, lineH-padBot, colMark, ` stroke-width="1.5" stroke-dasharray="4 3"`)
		anchor := "start"
		dx := 4.0
		if x > lineW*0.7 {
			anchor, dx = "end", -4
		}
		c.text("chart-marker-label", x+dx, padTop+10, anchor, colMark, m.Label+" "+m.X)
	}
	var poly []string
	for _, p := range pts {
		poly = append(poly, coord(xs.at(p.T))+","+coord(ys.at(p.Y)))
	}
	c.raw(`<polyline class="chart-line" points="` + strings.Join(poly, " ") + `" fill="none" stroke="` + colAccent + `" stroke-width="2" stroke-linejoin="round"/>`)
	if len(pts) <= 62 {
		for _, p := range pts {
			fmt.Fprintf(&c.b, `<circle class="chart-dot" cx="%s" cy="%s" r="2.5" fill="%s"><title>%s: %s</title></circle>`,
				coord(xs.at(p.T)), coord(ys.at(p.Y)), colAccent, esc(p.X), esc(withUnit(Number(p.Y), s.Unit)))
		}
	}

	head := []string{"Date", s.Name}
	if len(band) > 0 {
		head = append(head, "usual low", "usual high")
	}
	byX := map[string]bandPoint{}
	for _, b := range band {
		byX[b.X] = b
	}
	var rows [][]string
	for _, p := range pts {
		r := []string{p.X, withUnit(Number(p.Y), s.Unit)}
		if len(band) > 0 {
			if b, ok := byX[p.X]; ok {
				r = append(r, Number(b.Y), Number(b.Hi))
			} else {
				r = append(r, "", "")
			}
		}
		rows = append(rows, r)
	}
	return Figure{Title: title, Caption: desc, SVG: c.close(title, head, rows)}
}

// bandPoint is the usual range at one date.
type bandPoint struct {
	X  string
	T  float64
	Y  float64 // low
	Hi float64
}

// pairBand matches low and high by date, in time order of low.
func pairBand(low, high []timed) []bandPoint {
	hi := map[string]float64{}
	for _, p := range high {
		hi[p.X] = p.Y
	}
	var out []bandPoint
	for _, p := range low {
		if h, ok := hi[p.X]; ok {
			out = append(out, bandPoint{X: p.X, T: p.T, Y: math.Min(p.Y, h), Hi: math.Max(p.Y, h)})
		}
	}
	return out
}

// tickIndexes picks at most k indexes of n points, evenly, always the
// first and the last.
func tickIndexes(n, k int) []int {
	if n <= k {
		out := make([]int, n)
		for i := range out {
			out[i] = i
		}
		return out
	}
	out := make([]int, 0, k)
	for i := 0; i < k; i++ {
		out = append(out, int(math.Round(float64(i)*float64(n-1)/float64(k-1))))
	}
	return out
}

// anchorAt keeps the first and last x labels inside the drawing.
func anchorAt(i, n int) string {
	switch {
	case n > 1 && i == 0:
		return "start"
	case n > 1 && i == n-1:
		return "end"
	}
	return "middle"
}

// unitForTicks keeps the short units on axis labels ($, %) and leaves
// the long ones to the title.
func unitForTicks(unit string) string {
	switch strings.TrimSpace(unit) {
	case "$", "usd", "USD", "%":
		return unit
	}
	return ""
}

// seriesTitle is the series name, with its unit when it has one.
func seriesTitle(s proposal.Series) string {
	if s.Unit == "" {
		return s.Name
	}
	return s.Name + " (" + s.Unit + ")"
}

// emptyFigure stands in for a series with nothing to draw.
func emptyFigure(title, seed string) Figure {
	desc := "No values to draw."
	c := newCanvas("empty", lineW, 60, title, desc, seed)
	c.text("chart-empty", lineW/2, 34, "middle", colMuted, "No values to draw for "+title+".")
	return Figure{Title: title, Caption: desc, SVG: c.close("", nil, nil)}
}
