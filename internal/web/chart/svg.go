package chart

import (
	"fmt"
	"hash/fnv"
	"html"
	"html/template"
	"strings"
)

// Figure is one chart of a proposal's evidence.
type Figure struct {
	// Title names what is drawn ("Bounces per day").
	Title string
	// Caption says in a sentence what the chart shows and how to read it.
	Caption string
	// SVG is the drawing, followed by a visually-hidden table of its
	// numbers (class "visually-hidden") for screen readers.
	SVG template.HTML
}

// Colours of the console palette (style.css), as presentation attributes
// so charts need no inline styles.
const (
	colInk    = "#1b2430"
	colMuted  = "#5a6675"
	colGrid   = "#dfe3e8"
	colAccent = "#1f5fbf"
	colBand   = "#d6e4fa"
	colMark   = "#b3261e"
)

// canvas collects the markup of one svg.
type canvas struct {
	b    strings.Builder
	id   string
	w, h int
}

// esc escapes text for both HTML and XML (quotes become numeric
// references, which XML parsers accept).
func esc(s string) string { return html.EscapeString(s) }

// newCanvas opens an svg of w×h user units labelled by title and desc.
// Its id is a hash of what it draws, so the same figure gets the same
// markup every time (pages and tests stay deterministic); seed separates
// otherwise identical figures drawn on one page.
func newCanvas(kind string, w, h int, title, desc string, seed ...string) *canvas {
	f := fnv.New64a()
	fmt.Fprint(f, kind, title, desc, w, h, seed)
	c := &canvas{id: fmt.Sprintf("chart-%x", f.Sum64()), w: w, h: h}
	fmt.Fprintf(&c.b, `<svg xmlns="http://www.w3.org/2000/svg" class="chart chart-kind-%s" viewBox="0 0 %d %d" width="%d" height="%d" role="img" aria-labelledby="%s-t %s-d" font-size="12">`,
		kind, w, h, w, h, c.id, c.id)
	fmt.Fprintf(&c.b, `<title id="%s-t">%s</title><desc id="%s-d">%s</desc>`, c.id, esc(title), c.id, esc(desc))
	return c
}

func (c *canvas) line(cls string, x1, y1, x2, y2 float64, stroke string, extra string) {
	fmt.Fprintf(&c.b, `<line class="%s" x1="%s" y1="%s" x2="%s" y2="%s" stroke="%s"%s/>`,
		cls, coord(x1), coord(y1), coord(x2), coord(y2), stroke, extra)
}

// text writes a label; anchor is start, middle or end.
func (c *canvas) text(cls string, x, y float64, anchor, fill, s string) {
	fmt.Fprintf(&c.b, `<text class="%s" x="%s" y="%s" text-anchor="%s" fill="%s">%s</text>`,
		cls, coord(x), coord(y), anchor, fill, esc(s))
}

func (c *canvas) rect(cls string, x, y, w, h float64, fill string) {
	if w < 0 {
		x, w = x+w, -w
	}
	if h < 0 {
		y, h = y+h, -h
	}
	fmt.Fprintf(&c.b, `<rect class="%s" x="%s" y="%s" width="%s" height="%s" fill="%s"/>`,
		cls, coord(x), coord(y), coord(w), coord(h), fill)
}

func (c *canvas) raw(s string) { c.b.WriteString(s) }

// close ends the svg and appends the hidden data table (when rows are
// given): head names the columns, each row is one line of values.
func (c *canvas) close(caption string, head []string, rows [][]string) template.HTML {
	c.b.WriteString(`</svg>`)
	if len(rows) > 0 {
		fmt.Fprintf(&c.b, `<table class="visually-hidden chart-data"><caption>%s</caption><thead><tr>`, esc(caption))
		for _, h := range head {
			fmt.Fprintf(&c.b, `<th scope="col">%s</th>`, esc(h))
		}
		c.b.WriteString(`</tr></thead><tbody>`)
		for _, r := range rows {
			c.b.WriteString(`<tr>`)
			for i, v := range r {
				if i == 0 {
					fmt.Fprintf(&c.b, `<th scope="row">%s</th>`, esc(v))
				} else {
					fmt.Fprintf(&c.b, `<td>%s</td>`, esc(v))
				}
			}
			c.b.WriteString(`</tr>`)
		}
		c.b.WriteString(`</tbody></table>`)
	}
	return template.HTML(c.b.String()) // every piece of text above went through esc
}
