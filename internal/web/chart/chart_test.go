package chart

import (
	"encoding/xml"
	"fmt"
	"html/template"
	"io"
	"math"
	"strconv"
	"strings"
	"testing"

	"github.com/towerops/tower/internal/proposal"
)

// element is one start tag of a drawing.
type element struct {
	Name  string
	Attrs map[string]string
}

// parse checks that markup is well-formed XML (wrapped in one root, since
// a figure is an svg followed by its data table) and returns its tags.
func parse(t *testing.T, markup template.HTML) []element {
	t.Helper()
	d := xml.NewDecoder(strings.NewReader("<root>" + string(markup) + "</root>"))
	d.Strict = true
	var out []element
	for {
		tok, err := d.Token()
		if err == io.EOF {
			return out
		}
		if err != nil {
			t.Fatalf("not well-formed: %v\n%s", err, markup)
		}
		if se, ok := tok.(xml.StartElement); ok {
			e := element{Name: se.Name.Local, Attrs: map[string]string{}}
			for _, a := range se.Attr {
				e.Attrs[a.Name.Local] = a.Value
			}
			out = append(out, e)
		}
	}
}

// withClass returns the elements whose class list holds cls.
func withClass(es []element, cls string) []element {
	var out []element
	for _, e := range es {
		for _, c := range strings.Fields(e.Attrs["class"]) {
			if c == cls {
				out = append(out, e)
			}
		}
	}
	return out
}

// points reads an svg points attribute.
func points(t *testing.T, s string) [][2]float64 {
	t.Helper()
	var out [][2]float64
	for _, p := range strings.Fields(s) {
		x, y, ok := strings.Cut(p, ",")
		fx, err1 := strconv.ParseFloat(x, 64)
		fy, err2 := strconv.ParseFloat(y, 64)
		if !ok || err1 != nil || err2 != nil {
			t.Fatalf("bad point %q", p)
		}
		out = append(out, [2]float64{fx, fy})
	}
	return out
}

func daily(name string, ys ...float64) proposal.Series {
	s := proposal.Series{Name: name, Unit: "count"}
	for i, y := range ys {
		s.Points = append(s.Points, proposal.Point{X: fmt.Sprintf("2025-03-%02d", i+1), Y: y})
	}
	return s
}

// checkClean fails on anything a browser would draw as garbage.
func checkClean(t *testing.T, markup template.HTML) {
	t.Helper()
	for _, bad := range []string{"NaN", "Inf", "<script"} {
		if strings.Contains(string(markup), bad) {
			t.Fatalf("chart contains %q:\n%s", bad, markup)
		}
	}
}

// TestLineMapsPointsMonotonically: later dates lie further right and
// larger values higher up (smaller y), whatever the spacing of dates.
func TestLineMapsPointsMonotonically(t *testing.T) {
	s := proposal.Series{Name: "bounces", Points: []proposal.Point{
		{X: "2025-03-01", Y: 1}, {X: "2025-03-02", Y: 3}, {X: "2025-03-05", Y: 4}, {X: "2025-03-20", Y: 9.5}}}
	figs := Evidence(proposal.Evidence{Series: []proposal.Series{s}})
	if len(figs) != 1 {
		t.Fatalf("%d figures, want 1", len(figs))
	}
	es := parse(t, figs[0].SVG)
	lines := withClass(es, "chart-line")
	if len(lines) != 1 {
		t.Fatalf("%d lines, want 1", len(lines))
	}
	ps := points(t, lines[0].Attrs["points"])
	if len(ps) != len(s.Points) {
		t.Fatalf("%d points drawn, want %d", len(ps), len(s.Points))
	}
	for i := 1; i < len(ps); i++ {
		if ps[i][0] <= ps[i-1][0] || ps[i][1] >= ps[i-1][1] {
			t.Errorf("point %d at %v does not follow %v", i, ps[i], ps[i-1])
		}
	}
	// Dates are placed in time: 15 days take five times the room of 3.
	if gap1, gap2 := ps[2][0]-ps[1][0], ps[3][0]-ps[2][0]; math.Abs(gap2/gap1-5) > 0.05 {
		t.Errorf("gaps %v and %v are not in proportion 3:15", gap1, gap2)
	}
	if len(withClass(es, "chart-band")) != 0 || len(withClass(es, "chart-marker")) != 0 {
		t.Errorf("a band or marker without a baseline or change point")
	}
	if !strings.Contains(figs[0].Caption, "highest 9.5 on 2025-03-20") {
		t.Errorf("caption %q", figs[0].Caption)
	}
	svg := es[1] // es[0] is the test's root
	if svg.Name != "svg" || svg.Attrs["role"] != "img" || svg.Attrs["aria-labelledby"] == "" {
		t.Errorf("first element %+v is not an accessible svg", svg)
	}
	ids := strings.Fields(svg.Attrs["aria-labelledby"])
	var found int
	for _, e := range es {
		for _, id := range ids {
			if e.Attrs["id"] == id && (e.Name == "title" || e.Name == "desc") {
				found++
			}
		}
	}
	if found != 2 {
		t.Errorf("aria-labelledby %v does not name a title and a desc", ids)
	}
	if rows := len(withClass(es, "chart-data")); rows != 1 {
		t.Errorf("%d data tables, want 1", rows)
	}
}

// TestBaselineAndChangePoint: companions named "... baseline low/high"
// become a band behind their series (not figures of their own), and a
// "change point" fact a marker at its date.
func TestBaselineAndChangePoint(t *testing.T) {
	ev := proposal.Evidence{
		Facts: []proposal.Fact{{Name: "Change point", Value: "2025-03-04"}},
		Series: []proposal.Series{
			daily("opens", 10, 11, 9, 4, 3, 2),
			daily("opens baseline low", 8, 8, 8, 8, 8, 8),
			daily("opens baseline high", 12, 12, 12, 12, 12, 12),
		},
	}
	figs := Evidence(ev)
	if len(figs) != 1 {
		t.Fatalf("%d figures, want 1 (the companions belong to opens)", len(figs))
	}
	es := parse(t, figs[0].SVG)
	bands := withClass(es, "chart-band")
	if len(bands) != 1 {
		t.Fatalf("%d bands, want 1", len(bands))
	}
	bp := points(t, bands[0].Attrs["points"])
	if len(bp) != 12 {
		t.Errorf("band has %d corners, want 12", len(bp))
	}
	line := points(t, withClass(es, "chart-line")[0].Attrs["points"])
	// The band's top edge (value 12) lies above its bottom (8), and the
	// first value (10) between them.
	if !(bp[0][1] < line[0][1] && line[0][1] < bp[len(bp)-1][1]) {
		t.Errorf("band edges %v / %v do not enclose the first value %v", bp[0], bp[len(bp)-1], line[0])
	}
	marks := withClass(es, "chart-marker")
	if len(marks) != 1 {
		t.Fatalf("%d markers, want 1", len(marks))
	}
	mx, _ := strconv.ParseFloat(marks[0].Attrs["x1"], 64)
	if math.Abs(mx-line[3][0]) > 0.11 {
		t.Errorf("marker at x=%v, the 2025-03-04 point at %v", mx, line[3][0])
	}
	if !strings.Contains(figs[0].Caption, "change point on 2025-03-04") || !strings.Contains(figs[0].Caption, "usual range") {
		t.Errorf("caption %q", figs[0].Caption)
	}

	// A change point outside the dates drawn is not drawn, and one named
	// for another series does not apply.
	ev.Facts = []proposal.Fact{{Name: "change point", Value: "2024-01-01"}, {Name: "change point: clicks", Value: "2025-03-03"}}
	es = parse(t, Evidence(ev)[0].SVG)
	if n := len(withClass(es, "chart-marker")); n != 0 {
		t.Errorf("%d markers for change points that do not apply", n)
	}
	ev.Facts = []proposal.Fact{{Name: "change point: OPENS", Value: "2025-03-03"}}
	if n := len(withClass(parse(t, Evidence(ev)[0].SVG), "chart-marker")); n != 1 {
		t.Errorf("%d markers for a change point named for the series, want 1", n)
	}
}

// TestLiftWhiskers: categories with "... low"/"... high" companions draw
// dots with whiskers and, for a lift, the reference line at 1.0 that the
// interval of a segment with no clear lift crosses.
func TestLiftWhiskers(t *testing.T) {
	cat := func(name string, ys ...float64) proposal.Series {
		s := proposal.Series{Name: name}
		for i, y := range ys {
			s.Points = append(s.Points, proposal.Point{X: []string{"EMEA", "North America", "APAC"}[i], Y: y})
		}
		return s
	}
	ev := proposal.Evidence{Series: []proposal.Series{
		cat("reply lift", 1.8, 0.95, 1.3),
		cat("reply lift low", 1.4, 0.7, 1.1),
		cat("reply lift high", 2.2, 1.2, 1.5),
	}}
	figs := Evidence(ev)
	if len(figs) != 1 {
		t.Fatalf("%d figures, want 1", len(figs))
	}
	es := parse(t, figs[0].SVG)
	refs := withClass(es, "chart-ref")
	if len(refs) != 1 {
		t.Fatalf("%d reference lines, want 1", len(refs))
	}
	ref, _ := strconv.ParseFloat(refs[0].Attrs["x1"], 64)
	dots := withClass(es, "chart-dot")
	if len(dots) != 3 {
		t.Fatalf("%d dots, want 3", len(dots))
	}
	x := func(e element) float64 { v, _ := strconv.ParseFloat(e.Attrs["cx"], 64); return v }
	if !(x(dots[1]) < ref && ref < x(dots[2]) && x(dots[2]) < x(dots[0])) {
		t.Errorf("dots %v %v %v and reference %v are out of order", x(dots[0]), x(dots[1]), x(dots[2]), ref)
	}
	// Three whiskers of three lines each; North America's spans 1.0.
	w := withClass(es, "chart-whisker")
	if len(w) != 9 {
		t.Fatalf("%d whisker lines, want 9", len(w))
	}
	x1, _ := strconv.ParseFloat(w[3].Attrs["x1"], 64)
	x2, _ := strconv.ParseFloat(w[3].Attrs["x2"], 64)
	if !(x1 < ref && ref < x2) {
		t.Errorf("North America's interval %v..%v does not cross the reference %v", x1, x2, ref)
	}
	// Without "lift" there is no reference line.
	for i := range ev.Series {
		ev.Series[i].Name = strings.Replace(ev.Series[i].Name, "reply lift", "reply rate", 1)
	}
	if n := len(withClass(parse(t, Evidence(ev)[0].SVG), "chart-ref")); n != 0 {
		t.Errorf("%d reference lines for a series that is not a lift", n)
	}
}

// TestCategoryBars: a categorical series without companions is a bar
// chart, bars in proportion to the values, negative ones to the left.
func TestCategoryBars(t *testing.T) {
	ev := proposal.Evidence{Series: []proposal.Series{{Name: "idle seats", Unit: "seats", Points: []proposal.Point{
		{X: "Design", Y: 10}, {X: "Sales", Y: 20}, {X: "Ops", Y: -5}}}}}
	figs := Evidence(ev)
	if len(figs) != 1 {
		t.Fatalf("%d figures", len(figs))
	}
	es := parse(t, figs[0].SVG)
	bars := withClass(es, "chart-bar")
	if len(bars) != 3 {
		t.Fatalf("%d bars, want 3", len(bars))
	}
	w := func(e element) float64 { v, _ := strconv.ParseFloat(e.Attrs["width"], 64); return v }
	xpos := func(e element) float64 { v, _ := strconv.ParseFloat(e.Attrs["x"], 64); return v }
	if r := w(bars[1]) / w(bars[0]); math.Abs(r-2) > 0.02 {
		t.Errorf("bar widths %v and %v are not 1:2", w(bars[0]), w(bars[1]))
	}
	if !(xpos(bars[2]) < xpos(bars[0])) {
		t.Errorf("the negative bar starts at %v, not left of zero %v", xpos(bars[2]), xpos(bars[0]))
	}
	if !strings.Contains(figs[0].Caption, "Sales: 20 seats") {
		t.Errorf("caption %q", figs[0].Caption)
	}
}

// TestDegenerateSeries: empty, constant, huge, tiny-span and non-finite
// values draw clean, well-formed charts.
func TestDegenerateSeries(t *testing.T) {
	cases := map[string][]float64{
		"empty":     {},
		"one":       {7},
		"constant":  {3, 3, 3, 3},
		"zeros":     {0, 0, 0},
		"huge":      {1e308, -1e308, math.MaxFloat64},
		"tiny span": {1e17, 1e17 + 16, 1e17 + 32},
		"nan":       {math.NaN(), 1, math.Inf(1), 2, math.Inf(-1)},
		"all nan":   {math.NaN(), math.NaN()},
	}
	for name, ys := range cases {
		t.Run(name, func(t *testing.T) {
			ev := proposal.Evidence{Series: []proposal.Series{daily("s", ys...), {Name: "c", Points: catPoints(ys)}}}
			for _, f := range Evidence(ev) {
				parse(t, f.SVG)
				checkClean(t, f.SVG)
				if strings.Contains(f.Caption, "NaN") || strings.Contains(f.Caption, "Inf") {
					t.Errorf("caption %q", f.Caption)
				}
			}
			sp := Sparkline(ys, 120, 24)
			parse(t, sp)
			checkClean(t, sp)
			labels := make([]string, len(ys))
			for i := range labels {
				labels[i] = fmt.Sprint("c", i)
			}
			b := Bars(labels, ys, "$")
			parse(t, b)
			checkClean(t, b)
		})
	}
}

func catPoints(ys []float64) []proposal.Point {
	var ps []proposal.Point
	for i, y := range ys {
		ps = append(ps, proposal.Point{X: fmt.Sprint("segment ", i), Y: y})
	}
	return ps
}

// TestEscaping: names and labels come from data and are text, never
// markup, in the drawing, the titles and the data table.
func TestEscaping(t *testing.T) {
	evil := `<script>alert("x")</script> & 'co'`
	ev := proposal.Evidence{
		Facts: []proposal.Fact{{Name: "change point", Value: "2025-03-02"}},
		Series: []proposal.Series{
			daily(evil, 1, 2, 3),
			{Name: "bars", Unit: evil, Points: []proposal.Point{{X: evil, Y: 1}}},
		},
	}
	for _, f := range Evidence(ev) {
		es := parse(t, f.SVG)
		checkClean(t, f.SVG)
		for _, e := range es {
			if e.Name == "script" {
				t.Fatal("a script element in a chart")
			}
		}
	}
	b := Bars([]string{evil}, []float64{1}, evil)
	parse(t, b)
	checkClean(t, b)
}

// TestSparkline: values map left to right and bottom to top.
func TestSparkline(t *testing.T) {
	es := parse(t, Sparkline([]float64{0, 2, 1, 4}, 100, 20))
	ps := points(t, withClass(es, "chart-spark")[0].Attrs["points"])
	if len(ps) != 4 || ps[0][0] >= ps[3][0] || !(ps[3][1] < ps[1][1] && ps[1][1] < ps[2][1] && ps[2][1] < ps[0][1]) {
		t.Errorf("sparkline points %v", ps)
	}
	for _, p := range ps {
		if p[0] < 0 || p[0] > 100 || p[1] < 0 || p[1] > 20 {
			t.Errorf("point %v outside 100×20", p)
		}
	}
}

func TestNumber(t *testing.T) {
	for v, want := range map[float64]string{0: "0", 12: "12", 0.126: "0.13", 1234.4: "1,234", -98765: "-98,765",
		2.5: "2.5", 1e16: "1e+16", 0.001: "0.001", 1234567: "1,234,567"} {
		if got := Number(v); got != want {
			t.Errorf("Number(%v) = %q, want %q", v, got, want)
		}
	}
	if got := withUnit(Number(-1200), "$"); got != "-$1,200" {
		t.Errorf("got %q", got)
	}
}
