package subgroup

import (
	"cmp"
	"math"
	"slices"

	"github.com/towerops/tower/internal/dataset"
)

// selector is a condition with its members on each part.
type selector struct {
	cond Condition
	col  int // index into the columns searched, so one rule never uses a column twice
	disc bitset
	hold bitset
	n, p int // discovery members and their conversions
}

// maxLevels caps the category levels tried per column (the most frequent
// ones): a column with thousands of levels is an identifier, not a trait.
const maxLevels = 40

// fewValues: a numeric column with at most this many distinct values is
// cut at each value (counts, 0/1 flags) rather than at quantiles.
const fewValues = 8

// conditions lists the candidate conditions for a column, computed from
// the discovery rows only so the holdout stays untouched.
func conditions(col *dataset.Column, disc []int, bins int) []Condition {
	if !col.Numeric {
		freq := map[string]int{}
		for _, i := range disc {
			if v := col.Values[i]; v != "" {
				freq[v]++
			}
		}
		levels := make([]string, 0, len(freq))
		for v := range freq {
			levels = append(levels, v)
		}
		slices.SortFunc(levels, func(a, b string) int { return cmp.Or(cmp.Compare(freq[b], freq[a]), cmp.Compare(a, b)) })
		if len(levels) > maxLevels {
			levels = levels[:maxLevels]
		}
		slices.Sort(levels)
		out := make([]Condition, len(levels))
		for i, l := range levels {
			out[i] = Condition{Column: col.Name, Op: Eq, Level: l}
		}
		return out
	}
	var vals []float64
	for _, i := range disc {
		if v := col.Nums[i]; !math.IsNaN(v) {
			vals = append(vals, v)
		}
	}
	if len(vals) == 0 {
		return nil
	}
	slices.Sort(vals)
	distinct := slices.Compact(slices.Clone(vals))
	var cuts []float64
	if len(distinct) <= fewValues {
		cuts = distinct[1:]
	} else {
		for k := 1; k < bins; k++ {
			c := vals[k*len(vals)/bins]
			if c > vals[0] && (len(cuts) == 0 || c > cuts[len(cuts)-1]) {
				cuts = append(cuts, c)
			}
		}
	}
	var out []Condition
	for _, c := range cuts {
		out = append(out, Condition{Column: col.Name, Op: Less, Hi: c}, Condition{Column: col.Name, Op: AtLeast, Lo: c})
	}
	if len(distinct) <= fewValues {
		for i, v := range distinct {
			if i == 0 || i == len(distinct)-1 {
				continue // the same rows as "< next" and ">= last"
			}
			out = append(out, Condition{Column: col.Name, Op: Between, Lo: v, Hi: distinct[i+1]})
		}
		return out
	}
	for k := 0; k+1 < len(cuts); k++ {
		out = append(out, Condition{Column: col.Name, Op: Between, Lo: cuts[k], Hi: cuts[k+1]})
	}
	return out
}

// buildSelectors makes the selectors of every searched column, keeping
// those with at least minSize members and at least minSize non-members on
// the discovery part, and only the first of several that hold exactly the
// same discovery rows.
func buildSelectors(cols []*dataset.Column, disc, hold []int, pos bitset, bins, minSize int) []selector {
	var out []selector
	for ci, col := range cols {
		for _, c := range conditions(col, disc, bins) {
			s := selector{cond: c, col: ci, disc: newBitset(len(disc)), hold: newBitset(len(hold))}
			for k, i := range disc {
				if c.Match(col, i) {
					s.disc.set(k)
				}
			}
			n := s.disc.count()
			if n < minSize || len(disc)-n < minSize {
				continue
			}
			if slices.ContainsFunc(out, func(o selector) bool { return o.disc.equal(s.disc) }) {
				continue
			}
			s.n, s.p = andCount(s.disc, s.disc, pos)
			for k, i := range hold {
				if c.Match(col, i) {
					s.hold.set(k)
				}
			}
			out = append(out, s)
		}
	}
	return out
}
