package learn

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/towerops/tower/internal/dataset"
)

// bankFile is the UCI Bank Marketing export (41,188 calls, 11.3% said yes)
// kept next to the repository for measurements.
var bankFile = filepath.Join("..", "..", "..", "shared", "benchmarks", "bank-additional-full.csv")

// openBank reads the bank file and its outcome, or skips the test.
func openBank(tb testing.TB) (*dataset.Table, []bool) {
	tb.Helper()
	if _, err := os.Stat(bankFile); err != nil {
		tb.Skipf("the bank benchmark file is not here (%s); measurements need ../shared/benchmarks", bankFile)
	}
	t, err := dataset.Open(context.Background(), bankFile)
	if err != nil {
		tb.Fatal(err)
	}
	y, err := t.Mask(dataset.Condition{Column: "y", Value: "yes"})
	if err != nil {
		tb.Fatal(err)
	}
	return t, y
}

// bankExclude: the outcome, and the call's duration, which is only known
// once the call is over (it leaks the outcome).
var bankExclude = []string{"y", "duration"}

// splitAUC fits on a stratified 80% and returns the AUC on the other 20%.
func splitAUC(tb testing.TB, t *dataset.Table, y []bool, kind string, seed uint64) (float64, *Model) {
	tb.Helper()
	tr, te := StratifiedSplit(y, 0.2, seed)
	rows, ty := subset(seq(len(y)), y, tr)
	m, err := Fit(context.Background(), t, rows, ty, Options{Exclude: bankExclude, Model: kind, Seed: seed})
	if err != nil {
		tb.Fatal(err)
	}
	scores, err := m.ScoreTable(t)
	if err != nil {
		tb.Fatal(err)
	}
	ts := make([]float64, len(te))
	tyy := make([]bool, len(te))
	for i, r := range te {
		ts[i], tyy[i] = scores[r], y[r]
	}
	return AUC(ts, tyy), m
}

func TestBankSplitLogistic(t *testing.T) {
	tab, y := openBank(t)
	auc, m := splitAUC(t, tab, y, KindLogistic, 42)
	t.Logf("logistic, stratified 80/20 (seed 42): AUC %.4f on %d features", auc, len(m.Features()))
	if auc < 0.78 {
		t.Fatalf("AUC %.4f", auc)
	}
}
