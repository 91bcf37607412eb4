package learn

import (
	"math"
	"slices"

	"github.com/towerops/tower/internal/dataset"
)

// StrongPSI is the population stability index above which a column's
// distribution counts as strongly shifted: the usual credit-scoring rule
// reads under 0.1 as stable, 0.1–0.25 as a moderate shift and above 0.25
// as a population the model was not built for.
const StrongPSI = 0.25

// Shift is how far one column's distribution in the scored rows is from
// the training rows.
type Shift struct {
	Column string  `json:"column"`
	PSI    float64 `json:"psi"`
}

// Drift compares, column by column, the given rows of t (all rows when
// rows is nil) with the rows the model was fitted on, using the model's
// own bins (numeric quantile bins plus missing; category levels). The
// result is sorted, largest shift first. A score on rows that differ
// strongly from training is extrapolation, and its AUC or rates may not
// carry over.
func (m *Model) Drift(t *dataset.Table, rows []int) ([]Shift, error) {
	cs, err := readAll(t, m.feats)
	if err != nil {
		return nil, err
	}
	if rows == nil {
		rows = seq(rowCount(t))
	}
	out := make([]Shift, 0, len(m.feats))
	for j, f := range m.feats {
		got := make([]float64, len(f.Train))
		for _, r := range rows {
			if f.Numeric {
				got[bin(f.Cuts, cs[j].num[r])]++
			} else {
				got[f.levelCode(cs[j].txt[r])]++
			}
		}
		out = append(out, Shift{Column: f.Name, PSI: psi(f.Train, got, len(rows))})
	}
	slices.SortStableFunc(out, func(a, b Shift) int {
		switch {
		case a.PSI > b.PSI:
			return -1
		case a.PSI < b.PSI:
			return 1
		}
		return 0
	})
	return out, nil
}

// psi is Σ (actual − expected)·ln(actual/expected) over bins, shares
// floored at 0.0001 so an empty bin does not make it infinite.
func psi(expected, counts []float64, n int) float64 {
	const floor = 1e-4
	var s float64
	for i, e := range expected {
		a := 0.0
		if n > 0 {
			a = counts[i] / float64(n)
		}
		e, a = math.Max(e, floor), math.Max(a, floor)
		s += (a - e) * math.Log(a/e)
	}
	return s
}

// RateShift compares the conversion rate of the scored rows with the
// training rate.
type RateShift struct {
	Train float64 `json:"train_rate"`
	Test  float64 `json:"test_rate"`
	Low   float64 `json:"test_rate_low"`  // 95% Wilson interval of the test rate
	High  float64 `json:"test_rate_high"` //
	Ratio float64 `json:"ratio"`          // test rate / train rate
	// Strong: the whole interval lies below half or above twice the
	// training rate, so the difference is neither small nor chance.
	Strong bool `json:"strong"`
}

// CompareRates checks a test rate of pos out of n against the training
// rate.
func CompareRates(train float64, pos, n int) RateShift {
	r := RateShift{Train: train}
	if n == 0 {
		return r
	}
	p, nf := float64(pos)/float64(n), float64(n)
	const z = 1.959964
	centre := (p + z*z/(2*nf)) / (1 + z*z/nf)
	half := z * math.Sqrt(p*(1-p)/nf+z*z/(4*nf*nf)) / (1 + z*z/nf)
	r.Test, r.Low, r.High = p, math.Max(0, centre-half), math.Min(1, centre+half)
	if train > 0 {
		r.Ratio = p / train
		r.Strong = r.High < train/2 || r.Low > 2*train
	}
	return r
}
