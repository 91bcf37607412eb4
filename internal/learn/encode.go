package learn

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/towerops/tower/internal/dataset"
)

const (
	linearBins  = 10 // quantile bins per numeric column in the logistic design
	boostBins   = 63 // quantile bins per numeric column for the trees (+1 for missing)
	maxLevels   = 62 // category levels kept per column (+ "other" + missing)
	minLevelN   = 20 // a level seen fewer times in training is pooled into "other"
	otherLevel  = "(other)"
	missingText = "(missing)"
)

// feature is one input column as the model saw it in training: how to
// turn its cells into numbers, and how they were distributed.
type feature struct {
	Name    string
	Numeric bool

	// Numeric columns.
	Mean, SD   float64
	HasMissing bool
	Cuts       []float64 // logistic bins: bin b holds values <= Cuts[b]; the last bin the rest
	BoostCuts  []float64 // finer bins for the trees

	// Category columns: pooled level -> code; "other" and missing have codes too.
	Levels []string
	code   map[string]int

	// Share of training rows per drift bin (numeric: Cuts bins then
	// missing; category: level codes), for Drift.
	Train []float64
}

// cells reads one column of a table for a feature: numbers (NaN missing)
// for a numeric feature, case-folded texts for a category.
type cells struct {
	num []float64
	txt []string
}

// rowCount is the number of rows of t, also for tables built in memory
// without Lines.
func rowCount(t *dataset.Table) int {
	if n := t.Len(); n > 0 || len(t.Columns) == 0 {
		return n
	}
	c := t.Columns[0]
	if c.Numeric && len(c.Nums) > 0 {
		return len(c.Nums)
	}
	return len(c.Values)
}

// missingCell lists the cell texts that mean "no value", as dataset does.
func missingCell(s string) bool {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "", "na", "n/a", "null", "nan", "?", "none":
		return true
	}
	return false
}

// read fetches the feature's column from t, matched by name. A numeric
// feature whose column here is text (one odd cell makes a whole column
// text) is parsed cell by cell; what does not parse counts as missing.
func (f *feature) read(t *dataset.Table) (cells, error) {
	col, err := t.Column(f.Name)
	if err != nil {
		return cells{}, fmt.Errorf("the model was fitted with column %q: %w", f.Name, err)
	}
	n := rowCount(t)
	if f.Numeric {
		if col.Numeric && len(col.Nums) == n {
			return cells{num: col.Nums}, nil
		}
		out := make([]float64, n)
		for i := range out {
			out[i] = math.NaN()
			if i < len(col.Values) && !missingCell(col.Values[i]) {
				if v, err := strconv.ParseFloat(strings.TrimSpace(col.Values[i]), 64); err == nil {
					out[i] = v
				}
			}
		}
		return cells{num: out}, nil
	}
	out := make([]string, n)
	for i := range out {
		switch {
		case i < len(col.Values):
			out[i] = col.Values[i]
		case col.Numeric && i < len(col.Nums) && !math.IsNaN(col.Nums[i]):
			out[i] = strconv.FormatFloat(col.Nums[i], 'g', -1, 64)
		}
		if missingCell(out[i]) {
			out[i] = missingText
		} else {
			out[i] = strings.ToLower(strings.TrimSpace(out[i]))
		}
	}
	return cells{txt: out}, nil
}

// levelCode maps a category text to its code: unseen or rare levels are
// "other".
func (f *feature) levelCode(s string) int {
	if c, ok := f.code[s]; ok {
		return c
	}
	return f.code[otherLevel]
}

// quantileCuts returns up to nb-1 distinct cut points splitting the sorted
// values into bins of about equal size; with few distinct values each
// value gets its own bin.
func quantileCuts(sorted []float64, nb int) []float64 {
	var cuts []float64
	n := len(sorted)
	if n == 0 {
		return nil
	}
	for k := 1; k < nb; k++ {
		v := sorted[min(n-1, k*n/nb)]
		if v < sorted[n-1] && (len(cuts) == 0 || v > cuts[len(cuts)-1]) {
			cuts = append(cuts, v)
		}
	}
	// Few distinct values: one bin each, so 0/1 flags and small counts
	// are kept exactly.
	distinct := slices.Compact(slices.Clone(sorted))
	if len(distinct) <= nb {
		cuts = distinct[:len(distinct)-1]
	}
	return cuts
}

// bin is the bin of v for the cuts; NaN goes to the extra bin len(cuts)+1.
func bin(cuts []float64, v float64) int {
	if math.IsNaN(v) {
		return len(cuts) + 1
	}
	i, _ := slices.BinarySearch(cuts, v)
	return i
}

// learnFeature describes column name from the training rows, or returns
// nil when it carries nothing to learn from (a single value).
func learnFeature(t *dataset.Table, name string, numeric bool, rows []int) (*feature, error) {
	f := &feature{Name: name, Numeric: numeric}
	c, err := f.read(t)
	if err != nil {
		return nil, err
	}
	if numeric {
		vals := make([]float64, 0, len(rows))
		for _, r := range rows {
			if v := c.num[r]; !math.IsNaN(v) {
				vals = append(vals, v)
			}
		}
		if len(vals) == 0 {
			return nil, nil
		}
		slices.Sort(vals)
		f.HasMissing = len(vals) < len(rows)
		if vals[0] == vals[len(vals)-1] && !f.HasMissing {
			return nil, nil
		}
		var sum, sq float64
		for _, v := range vals {
			sum += v
		}
		f.Mean = sum / float64(len(vals))
		for _, v := range vals {
			sq += (v - f.Mean) * (v - f.Mean)
		}
		f.SD = math.Sqrt(sq / float64(len(vals)))
		if f.SD == 0 {
			f.SD = 1
		}
		f.Cuts = quantileCuts(vals, linearBins)
		f.BoostCuts = quantileCuts(vals, boostBins)
		f.Train = make([]float64, len(f.Cuts)+2)
		for _, r := range rows {
			f.Train[bin(f.Cuts, c.num[r])]++
		}
	} else {
		counts := map[string]int{}
		for _, r := range rows {
			counts[c.txt[r]]++
		}
		var kept []string
		for lv, n := range counts {
			if n >= minLevelN || lv == missingText {
				kept = append(kept, lv)
			}
		}
		// Most frequent first, then by name, so the order is repeatable.
		slices.SortFunc(kept, func(a, b string) int {
			if counts[a] != counts[b] {
				return counts[b] - counts[a]
			}
			return strings.Compare(a, b)
		})
		if len(kept) > maxLevels {
			kept = kept[:maxLevels]
		}
		slices.Sort(kept)
		f.Levels = append(kept, otherLevel)
		f.code = map[string]int{}
		for i, lv := range f.Levels {
			f.code[lv] = i
		}
		f.Train = make([]float64, len(f.Levels))
		for _, r := range rows {
			f.Train[f.levelCode(c.txt[r])]++
		}
		used := 0
		for _, n := range f.Train {
			if n > 0 {
				used++
			}
		}
		if used < 2 {
			return nil, nil
		}
	}
	for i := range f.Train {
		f.Train[i] /= float64(len(rows))
	}
	return f, nil
}

// learnFeatures picks every column not excluded and describes it from the
// training rows.
func learnFeatures(t *dataset.Table, rows []int, exclude []string) ([]*feature, error) {
	skip := map[string]bool{}
	for _, e := range exclude {
		col, err := t.Column(e)
		if err != nil {
			return nil, fmt.Errorf("excluded column: %w", err)
		}
		skip[col.Name] = true
	}
	var out []*feature
	for _, col := range t.Columns {
		if skip[col.Name] {
			continue
		}
		f, err := learnFeature(t, col.Name, col.Numeric, rows)
		if err != nil {
			return nil, err
		}
		if f != nil {
			out = append(out, f)
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s: no column is left to learn from (every other column is excluded or holds a single value)", t.File)
	}
	return out, nil
}

// readAll reads every feature's column from t; the error names the first
// missing column.
func readAll(t *dataset.Table, feats []*feature) ([]cells, error) {
	out := make([]cells, len(feats))
	for i, f := range feats {
		c, err := f.read(t)
		if err != nil {
			return nil, err
		}
		out[i] = c
	}
	return out, nil
}
