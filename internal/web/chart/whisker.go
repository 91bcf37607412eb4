package chart

import (
	"fmt"
	"math"
	"strings"
)

// whiskerChart draws each category's estimate as a dot with its interval
// as a line; ref, when set, draws a dashed reference line at *ref (1.0
// for a lift: no difference from the comparison group).
func whiskerChart(name, unit string, cats []category, ref *float64, seed string) Figure {
	title := name
	if unit != "" {
		title += " (" + unit + ")"
	}
	total := len(cats)
	if len(cats) > maxRows {
		cats = cats[:maxRows]
	}
	lo, hi := math.Inf(1), math.Inf(-1)
	var parts []string
	for _, k := range cats {
		lo, hi = math.Min(lo, k.Y), math.Max(hi, k.Y)
		p := k.Label + ": " + withUnit(Number(k.Y), unit)
		if k.HasInterval {
			lo, hi = math.Min(lo, k.Low), math.Max(hi, k.High)
			p += fmt.Sprintf(" (from %s to %s)", Number(k.Low), Number(k.High))
		}
		parts = append(parts, p)
	}
	if ref != nil {
		lo, hi = math.Min(lo, *ref), math.Max(hi, *ref)
	}
	if len(cats) == 0 {
		return emptyFigure(title, seed)
	}
	desc := "Estimates with their intervals, " + name + ": " + strings.Join(parts, "; ") + "."
	if ref != nil {
		desc += fmt.Sprintf(" The dashed line at %s means no lift; an interval that crosses it is not a clear difference.", Number(*ref))
	}
	if total > len(cats) {
		desc += fmt.Sprintf(" Showing the first %d of %d.", len(cats), total)
	}
	h := rowTop + rowH*len(cats) + rowBottom
	xs, ticks, step := niceDomain(lo, hi, rowLabel, rowW-padRight-8, 4)
	c := newCanvas("whisker", rowW, h, title, desc, seed)
	for _, v := range ticks {
		x := xs.at(v)
		c.line("chart-grid", x, rowTop, x, float64(h-rowBottom), colGrid, "")
		c.text("chart-tick", x, float64(h-rowBottom+16), "middle", colMuted, withUnit(tick(v, step), unitForTicks(unit)))
	}
	if ref != nil {
		x := xs.at(*ref)
		c.line("chart-ref", x, rowTop, x, float64(h-rowBottom), colMark, ` stroke-width="1.5" stroke-dasharray="4 3"`)
	}
	for i, k := range cats {
		y := float64(rowTop+rowH*i) + rowH/2
		label := k.Label + ": " + withUnit(Number(k.Y), unit)
		if k.HasInterval {
			label += fmt.Sprintf(", interval %s to %s", Number(k.Low), Number(k.High))
		}
		fmt.Fprintf(&c.b, `<g class="chart-row"><title>%s</title>`, esc(label))
		c.text("chart-label", rowLabel-8, y+4, "end", colInk, shorten(k.Label))
		if k.HasInterval {
			c.line("chart-whisker", xs.at(k.Low), y, xs.at(k.High), y, colInk, ` stroke-width="2"`)
			c.line("chart-whisker", xs.at(k.Low), y-5, xs.at(k.Low), y+5, colInk, ` stroke-width="2"`)
			c.line("chart-whisker", xs.at(k.High), y-5, xs.at(k.High), y+5, colInk, ` stroke-width="2"`)
		}
		fmt.Fprintf(&c.b, `<circle class="chart-dot" cx="%s" cy="%s" r="5" fill="%s"/>`, coord(xs.at(k.Y)), coord(y), colAccent)
		c.raw(`</g>`)
	}
	var rows [][]string
	for _, k := range cats {
		r := []string{k.Label, withUnit(Number(k.Y), unit), "", ""}
		if k.HasInterval {
			r[2], r[3] = Number(k.Low), Number(k.High)
		}
		rows = append(rows, r)
	}
	return Figure{Title: title, Caption: desc, SVG: c.close(title, []string{"", name, "low", "high"}, rows)}
}
