package chart

import (
	"math"
	"strconv"
	"strings"
	"testing"
)

// TestPairs: two bars per row in proportion to their values, both named
// in the row's title and the hidden table.
func TestPairs(t *testing.T) {
	f := Pairs("Value", "$", "expected", "realised", []Pair{{Label: "alpha", A: 1000, B: 500}, {Label: "beta", A: 0, B: 2000}})
	es := parse(t, f.SVG)
	bars := withClass(es, "chart-bar")
	if len(bars) != 4 {
		t.Fatalf("%d bars, want 4", len(bars))
	}
	w := func(e element) float64 { v, _ := strconv.ParseFloat(e.Attrs["width"], 64); return v }
	if r := w(bars[0]) / w(bars[1]); math.Abs(r-2) > 0.02 {
		t.Errorf("alpha's bars %v and %v are not 2:1", w(bars[0]), w(bars[1]))
	}
	if r := w(bars[3]) / w(bars[0]); math.Abs(r-2) > 0.02 {
		t.Errorf("beta's realised bar %v is not twice alpha's expected %v", w(bars[3]), w(bars[0]))
	}
	if w(bars[2]) != 0 {
		t.Errorf("a zero value is drawn %v wide", w(bars[2]))
	}
	for _, want := range []string{"alpha: expected $1,000, realised $500", "<td>$2,000</td>"} {
		if !strings.Contains(string(f.SVG), want) {
			t.Errorf("the chart lacks %q", want)
		}
	}
	if e := Pairs("Value", "$", "a", "b", nil); !strings.Contains(e.Caption, "no values") {
		t.Errorf("an empty chart's caption: %q", e.Caption)
	}
}
