package chart

import (
	"fmt"
	"html/template"
	"math"
	"strings"
)

// Row chart geometry: one row per category, labels on the left.
const (
	rowW, rowH        = 640, 26
	rowLabel          = 170
	rowTop, rowBottom = 12, 30
	maxRows           = 40
	maxLabel          = 26
)

// shorten cuts a label to maxLabel characters for the drawing; the full
// label stays in the row's <title> and the data table.
func shorten(s string) string {
	r := []rune(s)
	if len(r) <= maxLabel {
		return s
	}
	return string(r[:maxLabel-1]) + "…"
}

// category is one row: a label, a value and optionally an interval.
type category struct {
	Label        string
	Y, Low, High float64
	HasInterval  bool
}

// Bars draws a horizontal bar chart of labelled values (unit may be "").
// Values that are not finite are left out; at most 40 rows are drawn.
func Bars(labels []string, values []float64, unit string) template.HTML {
	var cats []category
	for i, l := range labels {
		if i >= len(values) {
			break
		}
		if v, ok := finite(values[i]); ok {
			cats = append(cats, category{Label: l, Y: v})
		}
	}
	return barChart("", unit, cats, "").SVG
}

// barChart draws cats as bars from zero; name titles the chart.
func barChart(name, unit string, cats []category, seed string) Figure {
	title := name
	if unit != "" && name != "" {
		title += " (" + unit + ")"
	}
	total := len(cats)
	if len(cats) > maxRows {
		cats = cats[:maxRows]
	}
	var parts []string
	lo, hi := 0.0, 0.0
	for _, k := range cats {
		parts = append(parts, k.Label+": "+withUnit(Number(k.Y), unit))
		lo, hi = math.Min(lo, k.Y), math.Max(hi, k.Y)
	}
	desc := "Bar chart"
	if name != "" {
		desc += " of " + name
	}
	if len(cats) == 0 {
		desc += ": no values."
	} else {
		desc += ": " + strings.Join(parts, "; ") + "."
	}
	if total > len(cats) {
		desc += fmt.Sprintf(" Showing the first %d of %d.", len(cats), total)
	}
	if title == "" {
		title = "Bar chart"
	}
	h := rowTop + rowH*max(1, len(cats)) + rowBottom
	xs, ticks, step := niceDomain(lo, hi, rowLabel, rowW-padRight-48, 4)
	c := newCanvas("bars", rowW, h, title, desc, seed)
	for _, v := range ticks {
		x := xs.at(v)
		c.line("chart-grid", x, rowTop, x, float64(h-rowBottom), colGrid, "")
		c.text("chart-tick", x, float64(h-rowBottom+16), "middle", colMuted, withUnit(tick(v, step), unitForTicks(unit)))
	}
	zero := xs.at(0)
	for i, k := range cats {
		y := float64(rowTop + rowH*i)
		fmt.Fprintf(&c.b, `<g class="chart-row"><title>%s: %s</title>`, esc(k.Label), esc(withUnit(Number(k.Y), unit)))
		c.text("chart-label", rowLabel-8, y+rowH/2+4, "end", colInk, shorten(k.Label))
		c.rect("chart-bar", zero, y+5, xs.at(k.Y)-zero, rowH-10, colAccent)
		vx, anchor := xs.at(k.Y)+4, "start"
		if k.Y < 0 {
			vx, anchor = xs.at(k.Y)-4, "end"
		}
		c.text("chart-value", vx, y+rowH/2+4, anchor, colInk, withUnit(Number(k.Y), unit))
		c.raw(`</g>`)
	}
	c.line("chart-axis", zero, rowTop, zero, float64(h-rowBottom), colMuted, "")
	var rows [][]string
	for _, k := range cats {
		rows = append(rows, []string{k.Label, withUnit(Number(k.Y), unit)})
	}
	head := []string{"", name}
	return Figure{Title: title, Caption: desc, SVG: c.close(title, head, rows)}
}
