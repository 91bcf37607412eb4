package uplift

import (
	"context"
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/towerops/tower/internal/dataset"
	"github.com/towerops/tower/internal/learn"
)

// hillstromPath is the MineThatData e-mail experiment, kept beside the
// repository for benchmarks; tests skip without it.
var hillstromPath = filepath.Join("..", "..", "..", "shared", "benchmarks", "hillstrom.csv")

func hillstrom(t testing.TB) *Experiment {
	t.Helper()
	if _, err := os.Stat(hillstromPath); err != nil {
		t.Skipf("the Hillstrom benchmark file is not here (%v); it lives in ../shared/benchmarks", err)
	}
	tab, err := dataset.Open(context.Background(), hillstromPath)
	if err != nil {
		t.Fatal(err)
	}
	e, err := ReadExperiment(tab, dataset.Condition{Column: "segment", Value: "Womens E-Mail"},
		dataset.Condition{Column: "segment", Value: "No E-Mail"}, "visit")
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// hillstromOptions is the published setup: 50/50 split, uplift at 30%,
// features everything but the arm and the three outcomes.
func hillstromOptions(seed uint64, methods ...Method) EvalOptions {
	return EvalOptions{TestShare: 0.5, Seed: seed, Ks: []float64{0.1, 0.2, 0.3}, Methods: methods,
		Learn: learn.Options{Exclude: []string{"conversion", "spend"}}}
}

// hillstromSeeds are the split seeds the figures are reported over; the
// command's default seed is the first.
var hillstromSeeds = []uint64{1, 2, 3, 4, 5}

// TestHillstromUplift checks uplift@30% on Womens E-Mail vs No E-Mail
// (visit) with the default method against the target 0.07
// (scikit-uplift's notebook reports 0.0661 for class transformation with
// gradient-boosted trees on one split). One split is noisy (about ±0.008
// at 30% of 21,347 held-out rows), so the target is checked on the mean
// over five split seeds, and each seed is logged.
func TestHillstromUplift(t *testing.T) {
	e := hillstrom(t)
	if e.Neither != 21307 || len(e.Rows) != 42693 {
		t.Fatalf("%d rows in the experiment, %d in neither arm", len(e.Rows), e.Neither)
	}
	s := spread(t, e, Methods[0], "")
	if s.mean < 0.07 {
		t.Errorf("mean uplift@30%% over %d splits = %.4f, target 0.07", len(hillstromSeeds), s.mean)
	}
}

// TestHillstromMethods compares both methods under each propensity model
// on the same five splits. Long; set TOWER_GROWTH_LONG=1.
func TestHillstromMethods(t *testing.T) {
	if os.Getenv("TOWER_GROWTH_LONG") == "" {
		t.Skip("set TOWER_GROWTH_LONG=1 to compare both methods and every model on five splits")
	}
	e := hillstrom(t)
	for _, model := range []string{"logistic", "boosted", "auto"} {
		for _, m := range Methods {
			spread(t, e, m, model)
		}
	}
}

type seedSpread struct{ mean, lo, hi, qini float64 }

// spread evaluates one method on every seed and logs each and the summary.
func spread(t *testing.T, e *Experiment, m Method, model string) seedSpread {
	t.Helper()
	s := seedSpread{lo: math.Inf(1), hi: math.Inf(-1)}
	kind := ""
	for _, seed := range hillstromSeeds {
		opt := hillstromOptions(seed, m)
		opt.Learn.Model = model
		ev, err := Evaluate(context.Background(), e, opt)
		if err != nil {
			t.Fatal(err)
		}
		r := ev.Results[0]
		u := r.AtK[2].Uplift
		s.mean += u
		s.qini += r.Qini
		s.lo, s.hi = min(s.lo, u), max(s.hi, u)
		kind = r.Model
		t.Logf("%s (%s) seed %d: uplift@10%% %.4f @20%% %.4f @30%% %.4f, Qini %.4f, AUUC %.4f",
			m, r.Model, seed, r.AtK[0].Uplift, r.AtK[1].Uplift, u, r.Qini, r.AUUC)
	}
	n := float64(len(hillstromSeeds))
	s.mean, s.qini = s.mean/n, s.qini/n
	t.Logf("%s (model %s, last %s): uplift@30%% mean %.4f, range %.4f to %.4f; mean Qini %.4f",
		m, cmpOr(model, "auto"), kind, s.mean, s.lo, s.hi, s.qini)
	return s
}

func cmpOr(a, b string) string {
	if a == "" {
		return b
	}
	return a
}
