package uplift

import (
	"context"
	"fmt"
	"math/rand/v2"

	"github.com/towerops/tower/internal/dataset"
	"github.com/towerops/tower/internal/learn"
)

// Method names an uplift model.
type Method string

// The methods.
const (
	// TwoModel fits one propensity model on the treated rows and one on
	// the control rows; uplift is the difference of their scores.
	TwoModel Method = "two-model"
	// ClassTransform fits one model of Z = T·Y + (1−T)(1−Y); uplift is
	// 2·P(Z) − 1, exact when the arms are equal in size, so unequal arms
	// are balanced first.
	ClassTransform Method = "class-transform"
)

// Methods lists the methods, the default first.
var Methods = []Method{TwoModel, ClassTransform}

// ParseMethod reads a method name.
func ParseMethod(s string) (Method, error) {
	for _, m := range Methods {
		if string(m) == s {
			return m, nil
		}
	}
	return "", fmt.Errorf("method %q: use two-model or class-transform", s)
}

// Model predicts uplift: how much more likely a row is to respond if
// treated than if not.
type Model struct {
	Method Method
	// Balanced is set when class-transform drew the larger arm down to the
	// smaller's size; it says how many training rows were left out.
	Balanced int
	treated  *learn.Model
	control  *learn.Model
	z        *learn.Model
}

// Fit learns uplift from the training rows of an experiment. Treated and
// y are indexed by table row. The learner options choose the propensity
// model; the experiment's own columns are always excluded from features.
func Fit(ctx context.Context, t *dataset.Table, rows []int, treated, y []bool, method Method, opt learn.Options) (*Model, error) {
	m := &Model{Method: method}
	var err error
	switch method {
	case TwoModel:
		var tr, cr []int
		var ty, cy []bool
		for _, r := range rows {
			if treated[r] {
				tr, ty = append(tr, r), append(ty, y[r])
			} else {
				cr, cy = append(cr, r), append(cy, y[r])
			}
		}
		if m.treated, err = learn.Fit(ctx, t, tr, ty, opt); err != nil {
			return nil, fmt.Errorf("treated arm: %w", err)
		}
		// The control model is the kind chosen for the treated arm: the
		// uplift is a difference of two scores, and two kinds calibrate
		// differently, which would show up as uplift that is not there.
		copt := opt
		copt.Model = m.treated.Kind()
		if m.control, err = learn.Fit(ctx, t, cr, cy, copt); err != nil {
			return nil, fmt.Errorf("control arm: %w", err)
		}
	case ClassTransform:
		var use []int
		use, m.Balanced = balance(rows, treated, opt.Seed)
		z := make([]bool, len(use))
		for i, r := range use {
			z[i] = treated[r] == y[r]
		}
		if m.z, err = learn.Fit(ctx, t, use, z, opt); err != nil {
			return nil, err
		}
	default:
		return nil, fmt.Errorf("%w: method %q", ErrInput, method)
	}
	return m, nil
}

// balance keeps every row of the smaller arm and an equal number, drawn
// at random, of the larger, so that P(treated) = 1/2 in the rows the
// class-transform model learns from. Arms within 1% of each other are
// left as they are. It returns the rows kept (in their original order)
// and how many were dropped.
func balance(rows []int, treated []bool, seed uint64) ([]int, int) {
	var tr, cr []int
	for _, r := range rows {
		if treated[r] {
			tr = append(tr, r)
		} else {
			cr = append(cr, r)
		}
	}
	big, small := tr, cr
	if len(cr) > len(tr) {
		big, small = cr, tr
	}
	if len(big)-len(small) <= len(rows)/100 {
		return rows, 0
	}
	rng := rand.New(rand.NewPCG(seed, seed^0xba1a0ce))
	keep := map[int]bool{}
	for _, k := range rng.Perm(len(big))[:len(small)] {
		keep[big[k]] = true
	}
	for _, r := range small {
		keep[r] = true
	}
	out := make([]int, 0, 2*len(small))
	for _, r := range rows {
		if keep[r] {
			out = append(out, r)
		}
	}
	return out, len(rows) - len(out)
}

// Predict returns the predicted uplift of every row of t, in [−1, 1].
func (m *Model) Predict(t *dataset.Table) ([]float64, error) {
	if m.Method == ClassTransform {
		p, err := m.z.ScoreTable(t)
		if err != nil {
			return nil, err
		}
		for i := range p {
			p[i] = 2*p[i] - 1
		}
		return p, nil
	}
	pt, err := m.treated.ScoreTable(t)
	if err != nil {
		return nil, err
	}
	pc, err := m.control.ScoreTable(t)
	if err != nil {
		return nil, err
	}
	for i := range pt {
		pt[i] -= pc[i]
	}
	return pt, nil
}

// Kind says which propensity model(s) were used, e.g. "logistic" or
// "boosted / logistic" (treated / control).
func (m *Model) Kind() string {
	if m.Method == ClassTransform {
		return m.z.Kind()
	}
	if a, b := m.treated.Kind(), m.control.Kind(); a != b {
		return a + " / " + b
	}
	return m.treated.Kind()
}
