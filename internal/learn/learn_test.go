package learn

import (
	"context"
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/towerops/tower/internal/dataset"
)

func TestAUCHandlesTies(t *testing.T) {
	y := []bool{true, false, true, false}
	if got := AUC([]float64{0.9, 0.1, 0.8, 0.2}, y); got != 1 {
		t.Errorf("perfect ranking: %v", got)
	}
	if got := AUC([]float64{0.5, 0.5, 0.5, 0.5}, y); got != 0.5 {
		t.Errorf("all tied: %v", got)
	}
	// Positives .9 and .5, negatives .5 and .1: of the four pairs three
	// are ordered and one tied, so (3 + ½)/4.
	if got := AUC([]float64{0.9, 0.5, 0.5, 0.1}, []bool{true, true, false, false}); got != 0.875 {
		t.Errorf("one tie: %v", got)
	}
	if !math.IsNaN(AUC([]float64{1, 2}, []bool{true, true})) {
		t.Error("one class should be NaN")
	}
}

func TestStratifiedSplitAndFoldsKeepTheRate(t *testing.T) {
	y := make([]bool, 1000)
	for i := range y {
		y[i] = i%10 == 0
	}
	tr, te := StratifiedSplit(y, 0.2, 7)
	if len(te) != 200 || len(tr) != 800 {
		t.Fatalf("split %d/%d", len(tr), len(te))
	}
	count := func(idx []int) (n int) {
		for _, i := range idx {
			if y[i] {
				n++
			}
		}
		return n
	}
	if count(te) != 20 || count(tr) != 80 {
		t.Errorf("positives %d in test, %d in train", count(te), count(tr))
	}
	tr2, _ := StratifiedSplit(y, 0.2, 7)
	if tr2[5] != tr[5] || tr2[500] != tr[500] {
		t.Error("the same seed gave a different split")
	}
	folds := StratifiedFolds(y, 5, 3)
	seen := map[int]bool{}
	for _, f := range folds {
		if len(f) != 200 || count(f) != 20 {
			t.Errorf("fold of %d rows with %d positives", len(f), count(f))
		}
		for _, i := range f {
			if seen[i] {
				t.Fatalf("row %d in two folds", i)
			}
			seen[i] = true
		}
		if len(Complement(len(y), f)) != 800 {
			t.Error("complement size")
		}
	}
}

// toyTable: converters are young and on plan "pro"; age has gaps.
func toyTable(n int) (*dataset.Table, []bool) {
	age := &dataset.Column{Name: "age", Numeric: true}
	plan := &dataset.Column{Name: "plan"}
	out := &dataset.Column{Name: "converted"}
	t := &dataset.Table{File: "toy", Columns: []*dataset.Column{age, plan, out}}
	y := make([]bool, n)
	for i := range n {
		a := float64(20 + (i*7)%50)
		if i%13 == 0 {
			a = math.NaN()
		}
		p := []string{"basic", "pro", "team"}[i%3]
		y[i] = (p == "pro" && a < 40) || i%17 == 0
		age.Nums = append(age.Nums, a)
		age.Values = append(age.Values, "")
		plan.Values = append(plan.Values, p)
		out.Values = append(out.Values, map[bool]string{true: "yes", false: "no"}[y[i]])
		t.Lines = append(t.Lines, i+2)
	}
	return t, y
}

func TestFitInMemoryTableAndScoreAnother(t *testing.T) {
	tab, y := toyTable(600)
	m, err := Fit(context.Background(), tab, seq(600), y, Options{Exclude: []string{"converted"}, Model: KindLogistic, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	if m.Kind() != KindLogistic || strings.Join(m.Features(), ",") != "age,plan" {
		t.Fatalf("kind %s features %v", m.Kind(), m.Features())
	}
	s, err := m.ScoreTable(tab)
	if err != nil {
		t.Fatal(err)
	}
	// The rule is an interaction (pro AND young) plus noise, which an
	// additive model only approximates.
	if auc := AUC(s, y); auc < 0.8 {
		t.Errorf("in-sample AUC %.3f on an easy table", auc)
	}
	// Another file: columns in another order and case, an unseen plan, text ages.
	other := &dataset.Table{File: "new.csv", Lines: []int{2, 3}, Columns: []*dataset.Column{
		{Name: "PLAN", Values: []string{"Pro", "enterprise"}},
		{Name: "Age", Values: []string{"25", "n/a"}},
	}}
	s2, err := m.ScoreTable(other)
	if err != nil {
		t.Fatal(err)
	}
	if len(s2) != 2 || !(s2[0] > s2[1]) {
		t.Errorf("young pro should outscore an unseen plan with no age: %v", s2)
	}
	missing := &dataset.Table{File: "new.csv", Lines: []int{2}, Columns: []*dataset.Column{{Name: "age", Values: []string{"30"}}}}
	if _, err := m.ScoreTable(missing); err == nil || !strings.Contains(err.Error(), `"plan"`) || !errors.Is(err, dataset.ErrMissingColumn) {
		t.Errorf("missing column: %v", err)
	}
}

func TestFitRefusesBadInput(t *testing.T) {
	tab, y := toyTable(100)
	ctx := context.Background()
	none := make([]bool, 100)
	for name, c := range map[string]struct {
		rows []int
		y    []bool
		opt  Options
		want string
	}{
		"constant":  {seq(100), none, Options{}, "no row converted"},
		"lengths":   {seq(99), y, Options{}, "99 rows but 100 outcomes"},
		"kind":      {seq(100), y, Options{Model: "forest"}, `model "forest"`},
		"exclude":   {seq(100), y, Options{Exclude: []string{"nope"}}, `"nope" is not in the header`},
		"nothing":   {seq(100), y, Options{Exclude: []string{"age", "plan", "converted"}}, "no column is left"},
		"row range": {[]int{0, 100}, y[:2], Options{}, "outside"},
	} {
		_, err := Fit(ctx, tab, c.rows, c.y, c.opt)
		if err == nil || !errors.Is(err, ErrBadInput) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v", name, err)
		}
	}
}

func TestDriftAndRates(t *testing.T) {
	tab, y := toyTable(600)
	m, err := Fit(context.Background(), tab, seq(300), y[:300], Options{Exclude: []string{"converted"}, Model: KindLogistic})
	if err != nil {
		t.Fatal(err)
	}
	same, err := m.Drift(tab, Complement(600, seq(300)))
	if err != nil {
		t.Fatal(err)
	}
	if same[0].PSI > 0.1 {
		t.Errorf("rows from the same process drifted: %+v", same)
	}
	older := &dataset.Table{File: "older.csv", Columns: []*dataset.Column{
		{Name: "age", Numeric: true, Nums: []float64{80, 85, 90, 75}},
		{Name: "plan", Values: []string{"pro", "basic", "team", "pro"}},
	}, Lines: []int{2, 3, 4, 5}}
	d, err := m.Drift(older, nil)
	if err != nil {
		t.Fatal(err)
	}
	if d[0].Column != "age" || d[0].PSI < StrongPSI {
		t.Errorf("ages all above training should shift strongly: %+v", d)
	}
	if r := CompareRates(0.06, 310, 1000); !r.Strong || r.Ratio < 5 {
		t.Errorf("31%% against 6%%: %+v", r)
	}
	if r := CompareRates(0.10, 2, 10); r.Strong {
		t.Errorf("2 of 10 against 10%% is not clearly different: %+v", r)
	}
	if r := CompareRates(0.113, 930, 8238); r.Strong {
		t.Errorf("same rate flagged: %+v", r)
	}
}

// TestBoostedIsRepeatable: the same seed gives the same scores, and the
// trees rank held-out rows of the toy rule well.
func TestBoostedIsRepeatable(t *testing.T) {
	tab, y := toyTable(3000)
	tr, te := StratifiedSplit(y, 0.3, 5)
	rows, ty := subset(seq(len(y)), y, tr)
	fit := func(kind string) []float64 {
		m, err := Fit(context.Background(), tab, rows, ty, Options{Exclude: []string{"converted"}, Model: kind, Seed: 9})
		if err != nil {
			t.Fatal(err)
		}
		s, err := m.ScoreTable(tab)
		if err != nil {
			t.Fatal(err)
		}
		out := make([]float64, len(te))
		for i, r := range te {
			out[i] = s[r]
		}
		return out
	}
	a, b := fit(KindBoosted), fit(KindBoosted)
	for i := range a {
		if a[i] != b[i] {
			t.Fatalf("row %d: %v then %v with the same seed", i, a[i], b[i])
		}
	}
	_, yt := subset(seq(len(y)), y, te)
	boosted, logit := AUC(a, yt), AUC(fit(KindLogistic), yt)
	t.Logf("held-out AUC: boosted %.4f, logistic %.4f", boosted, logit)
	if boosted < 0.75 {
		t.Errorf("boosted held-out AUC %.4f", boosted)
	}
}
