package chart

import (
	"math"
	"strconv"
	"strings"
)

// limit bounds every value drawn: far enough out for any real figure,
// near enough that spans and tick steps never overflow a float64.
const limit = 1e300

// finite clamps v into [-limit, limit]; ok is false for NaN and ±Inf,
// which are left out of charts rather than drawn as garbage.
func finite(v float64) (float64, bool) {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, false
	}
	return math.Max(-limit, math.Min(limit, v)), true
}

// linear maps the domain [lo, hi] onto the pixel range [from, to]
// (from may be greater than to, as for a y axis that grows upwards).
type linear struct {
	lo, hi   float64
	from, to float64
}

// newLinear widens a degenerate domain (one value, or a span too small
// for float64 to resolve) so every point still has a place.
func newLinear(lo, hi, from, to float64) linear {
	if lo > hi {
		lo, hi = hi, lo
	}
	if hi-lo <= math.Max(math.Abs(lo), math.Abs(hi))*1e-9 {
		pad := math.Max(1, math.Abs(lo)*0.1)
		lo, hi = lo-pad, hi+pad
	}
	return linear{lo: lo, hi: hi, from: from, to: to}
}

func (s linear) at(v float64) float64 {
	f := (v - s.lo) / (s.hi - s.lo)
	return s.from + f*(s.to-s.from)
}

// ticks returns round values inside the domain, about n of them, and the
// step between them (for choosing how many decimals to print).
func (s linear) ticks(n int) ([]float64, float64) {
	rough := (s.hi - s.lo) / float64(n)
	mag := math.Pow(10, math.Floor(math.Log10(rough)))
	step := 10 * mag
	for _, k := range []float64{1, 2, 5} {
		if rough <= k*mag {
			step = k * mag
			break
		}
	}
	start := math.Ceil(s.lo/step) * step
	var out []float64
	for i := 0; i < 4*n; i++ {
		v := start + float64(i)*step
		if v > s.hi+step*1e-6 {
			break
		}
		if v == 0 || math.Abs(v) < step*1e-9 {
			v = 0 // no "-0"
		}
		out = append(out, v)
	}
	return out, step
}

// coord prints a pixel coordinate: one decimal is finer than a screen.
func coord(v float64) string { return strconv.FormatFloat(v, 'f', 1, 64) }

// Number prints a figure plainly: thousands separated, at most two
// decimals below a thousand, none above; very large values in short
// scientific form.
func Number(v float64) string {
	a := math.Abs(v)
	switch {
	case a >= 1e15:
		return strconv.FormatFloat(v, 'g', 3, 64)
	case a >= 1000:
		return commas(strconv.FormatFloat(math.Round(v), 'f', 0, 64))
	case a == 0:
		return "0"
	case a < 0.01:
		return strconv.FormatFloat(v, 'g', 2, 64)
	}
	return trimZeros(strconv.FormatFloat(v, 'f', 2, 64))
}

// tick prints an axis value with as many decimals as the step needs.
func tick(v, step float64) string {
	if math.Abs(v) >= 1e15 || step >= 1 {
		return Number(v)
	}
	dec := int(math.Min(8, math.Ceil(-math.Log10(step))))
	return trimZeros(strconv.FormatFloat(v, 'f', dec, 64))
}

func trimZeros(s string) string {
	if strings.Contains(s, ".") {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	if s == "-0" {
		return "0"
	}
	return s
}

func commas(s string) string {
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

// withUnit appends a unit to a printed value: "$" goes in front, "%"
// sticks to the number, anything else follows after a space.
func withUnit(s, unit string) string {
	switch strings.TrimSpace(unit) {
	case "":
		return s
	case "$", "usd", "USD":
		if strings.HasPrefix(s, "-") {
			return "-$" + s[1:]
		}
		return "$" + s
	case "%":
		return s + "%"
	}
	return s + " " + unit
}
