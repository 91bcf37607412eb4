package chart

import (
	"fmt"
	"math"
	"strings"
)

// Pair is one row of a paired bar chart: two values of the same thing
// (expected and realised value of an agent, say).
type Pair struct {
	Label string
	A, B  float64
}

// colPairB is the second bar of a pair: lighter than the accent, so the
// two read apart without relying on colour alone (the legend and each
// row's title name them too).
const colPairB = "#7fa6df"

// Pairs draws one row per pair with two horizontal bars from zero, named
// aName and bName in the legend, the row titles and the hidden data
// table. Values that are not finite count as zero; at most 40 rows are
// drawn.
func Pairs(title, unit, aName, bName string, pairs []Pair) Figure {
	total := len(pairs)
	if len(pairs) > maxRows {
		pairs = pairs[:maxRows]
	}
	lo, hi := 0.0, 0.0
	var parts []string
	rows := make([][]string, 0, len(pairs))
	clean := make([]Pair, len(pairs))
	for i, p := range pairs {
		a, _ := finite(p.A)
		b, _ := finite(p.B)
		clean[i] = Pair{Label: p.Label, A: a, B: b}
		lo, hi = math.Min(lo, math.Min(a, b)), math.Max(hi, math.Max(a, b))
		parts = append(parts, fmt.Sprintf("%s: %s %s, %s %s", p.Label, aName, withUnit(Number(a), unit), bName, withUnit(Number(b), unit)))
		rows = append(rows, []string{p.Label, withUnit(Number(a), unit), withUnit(Number(b), unit)})
	}
	desc := "Paired bar chart of " + aName + " and " + bName
	if len(clean) == 0 {
		desc += ": no values."
	} else {
		desc += ": " + strings.Join(parts, "; ") + "."
	}
	if total > len(clean) {
		desc += fmt.Sprintf(" Showing the first %d of %d.", len(clean), total)
	}
	const legend = 22
	h := legend + rowTop + 2*rowH*max(1, len(clean)) + rowBottom
	xs, ticks, step := niceDomain(lo, hi, rowLabel, rowW-padRight-48, 4)
	c := newCanvas("pairs", rowW, h, title, desc)
	c.rect("chart-key", rowLabel, 6, 12, 12, colAccent)
	c.text("chart-key-label", rowLabel+18, 16, "start", colInk, aName)
	c.rect("chart-key", rowLabel+180, 6, 12, 12, colPairB)
	c.text("chart-key-label", rowLabel+198, 16, "start", colInk, bName)
	top := float64(legend + rowTop)
	bottom := float64(h - rowBottom)
	for _, v := range ticks {
		x := xs.at(v)
		c.line("chart-grid", x, top, x, bottom, colGrid, "")
		c.text("chart-tick", x, bottom+16, "middle", colMuted, withUnit(tick(v, step), unitForTicks(unit)))
	}
	zero := xs.at(0)
	for i, p := range clean {
		y := top + float64(2*rowH*i)
		fmt.Fprintf(&c.b, `<g class="chart-row"><title>%s: %s %s, %s %s</title>`, esc(p.Label),
			esc(aName), esc(withUnit(Number(p.A), unit)), esc(bName), esc(withUnit(Number(p.B), unit)))
		c.text("chart-label", rowLabel-8, y+rowH+4, "end", colInk, shorten(p.Label))
		for j, v := range []float64{p.A, p.B} {
			fill := colAccent
			if j == 1 {
				fill = colPairB
			}
			by := y + float64(j*rowH) + 4
			c.rect("chart-bar", zero, by, xs.at(v)-zero, rowH-8, fill)
			vx, anchor := xs.at(v)+4, "start"
			if v < 0 {
				vx, anchor = xs.at(v)-4, "end"
			}
			c.text("chart-value", vx, by+rowH/2, anchor, colInk, withUnit(Number(v), unit))
		}
		c.raw(`</g>`)
	}
	c.line("chart-axis", zero, top, zero, bottom, colMuted, "")
	return Figure{Title: title, Caption: desc, SVG: c.close(title, []string{"", aName, bName}, rows)}
}
