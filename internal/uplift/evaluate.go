package uplift

import (
	"context"
	"fmt"

	"github.com/towerops/tower/internal/learn"
)

// EvalOptions configure Evaluate. The zero value is usable.
type EvalOptions struct {
	// TestShare is the share of rows held out for measuring (default 0.5).
	TestShare float64
	// Seed fixes the split and every random choice of the learners.
	Seed uint64
	// Ks are the shares at which uplift@k is reported (default 0.1, 0.2,
	// 0.3).
	Ks []float64
	// Methods are fitted and measured on the same split (default
	// two-model, which measured better on the Hillstrom test).
	Methods []Method
	// Learn chooses the propensity model and extra columns to exclude; its
	// Seed is replaced by Seed.
	Learn learn.Options
}

// Result is one method measured on the test rows.
type Result struct {
	Method Method `json:"method"`
	// Model is the propensity model kind learn chose.
	Model string `json:"model"`
	// BalancedOut counts training rows class-transform left out to make
	// the arms equal.
	BalancedOut int      `json:"training_rows_left_out_to_balance_arms,omitempty"`
	AtK         []AtK    `json:"uplift_at_k"`
	Qini        float64  `json:"qini_coefficient"`
	AUUC        float64  `json:"auuc"`
	Deciles     []Decile `json:"qini_deciles"`
	// Uplift is the predicted uplift of each test row (Evaluation.Test).
	Uplift []float64 `json:"-"`
}

// Evaluation is an experiment split in two, with each method fitted on
// the training rows and measured on the test rows.
type Evaluation struct {
	Train, Test []int
	Results     []Result
}

// Evaluate splits the experiment (stratified on arm and outcome), fits
// each method on the training rows and measures it on the test rows.
func Evaluate(ctx context.Context, e *Experiment, opt EvalOptions) (*Evaluation, error) {
	if opt.TestShare == 0 {
		opt.TestShare = 0.5
	}
	if len(opt.Ks) == 0 {
		opt.Ks = []float64{0.1, 0.2, 0.3}
	}
	if len(opt.Methods) == 0 {
		opt.Methods = []Method{TwoModel}
	}
	tr, y := make([]bool, len(e.Rows)), make([]bool, len(e.Rows))
	for j, i := range e.Rows {
		tr[j], y[j] = e.Treated[i], e.Y[i]
	}
	trainIdx, testIdx, err := Split(tr, y, opt.TestShare, opt.Seed)
	if err != nil {
		return nil, err
	}
	ev := &Evaluation{Train: pickRows(e.Rows, trainIdx), Test: pickRows(e.Rows, testIdx)}
	lo := opt.Learn
	lo.Seed = opt.Seed
	lo.Exclude = append(append([]string{}, e.Columns...), opt.Learn.Exclude...)
	testT, testY := make([]bool, len(ev.Test)), make([]bool, len(ev.Test))
	for j, i := range ev.Test {
		testT[j], testY[j] = e.Treated[i], e.Y[i]
	}
	for _, method := range opt.Methods {
		m, err := Fit(ctx, e.Table, ev.Train, e.Treated, e.Y, method, lo)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", method, err)
		}
		all, err := m.Predict(e.Table)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", method, err)
		}
		r := Result{Method: method, Model: m.Kind(), BalancedOut: m.Balanced, Uplift: make([]float64, len(ev.Test))}
		for j, i := range ev.Test {
			r.Uplift[j] = all[i]
		}
		for _, k := range opt.Ks {
			a, err := UpliftAtK(r.Uplift, testY, testT, k)
			if err != nil {
				return nil, fmt.Errorf("uplift at %g%%: %w", k*100, err)
			}
			r.AtK = append(r.AtK, a)
		}
		if r.Qini, err = QiniCoefficient(r.Uplift, testY, testT); err != nil {
			return nil, err
		}
		if r.AUUC, err = AUUC(r.Uplift, testY, testT); err != nil {
			return nil, err
		}
		if r.Deciles, err = Deciles(r.Uplift, testY, testT); err != nil {
			return nil, err
		}
		ev.Results = append(ev.Results, r)
	}
	return ev, nil
}

func pickRows(rows, idx []int) []int {
	out := make([]int, len(idx))
	for j, k := range idx {
		out[j] = rows[k]
	}
	return out
}
