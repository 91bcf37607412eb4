package learn

import (
	"context"
	"errors"
	"fmt"
	"math"

	"github.com/towerops/tower/internal/dataset"
)

// Model kinds.
const (
	KindAuto     = "auto"
	KindLogistic = "logistic"
	KindBoosted  = "boosted"
)

// Options say which columns feed the model and which model to use.
type Options struct {
	// Exclude lists columns never used as features. Callers add the
	// outcome and treatment columns, and anything that leaks the outcome
	// (a call's duration is only known after the call).
	Exclude []string
	// Model is "auto" (the default when empty: both kinds are measured on
	// an inner split and the better kept), "logistic" or "boosted".
	Model string
	// Seed makes every random choice (inner splits, row sampling)
	// repeatable.
	Seed uint64
	// Progress, when set, is told how far a long fit has come.
	Progress func(stage string, done, total int)
}

// ErrBadInput marks an error in what the caller gave Fit (rows, outcomes,
// options), as opposed to a failure while fitting.
var ErrBadInput = errors.New("cannot fit")

// Model is a fitted propensity model; it remembers the columns and
// encodings it was fitted with.
type Model struct {
	kind     string
	feats    []*feature
	logit    *logistic
	boost    *boosted
	baseRate float64
	trainN   int
	choice   *Choice
}

// Choice is how "auto" decided: the AUC of each kind on the inner
// held-out rows, and the kind kept.
type Choice struct {
	Logistic  float64 `json:"logistic_auc"`
	Boosted   float64 `json:"boosted_auc"`
	Chosen    string  `json:"chosen"`
	InnerRows int     `json:"inner_test_rows"`
}

// Kind is "logistic" or "boosted".
func (m *Model) Kind() string { return m.kind }

// Choice reports the inner comparison when the model was fitted with
// "auto", and nil otherwise.
func (m *Model) Choice() *Choice { return m.choice }

// BaseRate is the share of training rows that converted.
func (m *Model) BaseRate() float64 { return m.baseRate }

// TrainRows is the number of rows the model learned from.
func (m *Model) TrainRows() int { return m.trainN }

// Features names the columns the model uses, in table order.
func (m *Model) Features() []string {
	out := make([]string, len(m.feats))
	for i, f := range m.feats {
		out[i] = f.Name
	}
	return out
}

// Fit fits on the given rows of t (indexes into t); y[i] is the outcome of
// rows[i].
func Fit(ctx context.Context, t *dataset.Table, rows []int, y []bool, opt Options) (*Model, error) {
	if len(rows) != len(y) {
		return nil, fmt.Errorf("%w: %d rows but %d outcomes", ErrBadInput, len(rows), len(y))
	}
	n := rowCount(t)
	var pos int
	for i, r := range rows {
		if r < 0 || r >= n {
			return nil, fmt.Errorf("%w: row index %d is outside the table's %d rows", ErrBadInput, r, n)
		}
		if y[i] {
			pos++
		}
	}
	if pos == 0 || pos == len(y) {
		what := "no row converted"
		if pos > 0 {
			what = "every row converted"
		}
		return nil, fmt.Errorf("%w: %s in the %d training rows of %s, so there is nothing to tell apart", ErrBadInput, what, len(y), t.File)
	}
	kind := opt.Model
	if kind == "" {
		kind = KindAuto
	}
	switch kind {
	case KindAuto, KindLogistic, KindBoosted:
	default:
		return nil, fmt.Errorf("%w: model %q: use auto, logistic or boosted", ErrBadInput, opt.Model)
	}
	feats, err := learnFeatures(t, rows, opt.Exclude)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrBadInput, err)
	}
	cs, err := readAll(t, feats)
	if err != nil {
		return nil, err
	}
	m := &Model{feats: feats, baseRate: float64(pos) / float64(len(y)), trainN: len(y)}
	if kind == KindAuto {
		if kind, err = m.choose(ctx, cs, rows, y, opt); err != nil {
			return nil, err
		}
	}
	if err := m.fitKind(ctx, kind, cs, rows, y, opt); err != nil {
		return nil, err
	}
	return m, nil
}

// fitKind fits the model's kind on the rows.
func (m *Model) fitKind(ctx context.Context, kind string, cs []cells, rows []int, y []bool, opt Options) error {
	m.kind = kind
	var err error
	switch kind {
	case KindLogistic:
		m.logit, err = fitLogistic(ctx, m.feats, pick(cs, rows), y, stage(opt.Progress, "fitting the logistic model"))
	case KindBoosted:
		m.boost, err = fitBoosted(ctx, m.feats, pick(cs, rows), y, opt.Seed, stage(opt.Progress, "fitting the boosted trees"))
	}
	return err
}

// choose fits both kinds on 80% of the training rows and measures them
// on the other 20%.
func (m *Model) choose(ctx context.Context, cs []cells, rows []int, y []bool, opt Options) (string, error) {
	tr, te := StratifiedSplit(y, 0.2, opt.Seed^0x1eaf)
	trRows, trY := subset(rows, y, tr)
	teRows, teY := subset(rows, y, te)
	c := &Choice{InnerRows: len(te)}
	for _, kind := range []string{KindLogistic, KindBoosted} {
		inner := &Model{feats: m.feats}
		if err := inner.fitKind(ctx, kind, cs, trRows, trY, opt); err != nil {
			return "", err
		}
		auc := AUC(inner.scoreCells(pick(cs, teRows), len(teRows)), teY)
		if kind == KindLogistic {
			c.Logistic = auc
		} else {
			c.Boosted = auc
		}
	}
	c.Chosen = KindLogistic
	if c.Boosted > c.Logistic || math.IsNaN(c.Logistic) {
		c.Chosen = KindBoosted
	}
	m.choice = c
	return c.Chosen, nil
}

// ScoreTable scores every row of t (t may be another file with the same
// columns, matched by name); the error names a missing column.
func (m *Model) ScoreTable(t *dataset.Table) ([]float64, error) {
	cs, err := readAll(t, m.feats)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", t.File, err)
	}
	return m.scoreCells(cs, rowCount(t)), nil
}

func (m *Model) scoreCells(cs []cells, n int) []float64 {
	if m.kind == KindBoosted {
		return m.boost.score(m.feats, cs, n)
	}
	return m.logit.score(m.feats, cs, n)
}

// pick returns the columns restricted to the given rows, in that order,
// so the fitting code can index rows 0..len(rows)-1.
func pick(cs []cells, rows []int) []cells {
	out := make([]cells, len(cs))
	for j, c := range cs {
		if c.num != nil {
			v := make([]float64, len(rows))
			for i, r := range rows {
				v[i] = c.num[r]
			}
			out[j].num = v
		} else {
			v := make([]string, len(rows))
			for i, r := range rows {
				v[i] = c.txt[r]
			}
			out[j].txt = v
		}
	}
	return out
}

func subset(rows []int, y []bool, idx []int) ([]int, []bool) {
	r, v := make([]int, len(idx)), make([]bool, len(idx))
	for i, k := range idx {
		r[i], v[i] = rows[k], y[k]
	}
	return r, v
}

func stage(p func(string, int, int), name string) func(done, total int) {
	if p == nil {
		return nil
	}
	return func(done, total int) { p(name, done, total) }
}

func seq(n int) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = i
	}
	return out
}
