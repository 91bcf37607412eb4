package nab_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/towerops/tower/internal/anomaly"
	"github.com/towerops/tower/internal/anomaly/nab"
)

// nabDir is the NAB subset kept next to the repository (../shared), found
// from this package's folder.
func nabDir(t testing.TB) string {
	_, here, _, _ := runtime.Caller(0)
	dir := filepath.Join(filepath.Dir(here), "..", "..", "..", "..", "shared", "benchmarks", "nab")
	if _, err := os.Stat(filepath.Join(dir, "labels", "combined_windows.json")); err != nil {
		t.Skipf("the NAB subset is not at %s (it lives in ../shared next to the repository): %v", dir, err)
	}
	return dir
}

// runDetector streams every file through a fresh detector with cfg and
// returns the per-row flags and scores.
func runDetector(files []nab.File, cfg anomaly.Config) (flags [][]bool, scores [][]float64) {
	for _, f := range files {
		d := anomaly.New(cfg)
		fl := make([]bool, len(f.Values))
		sc := make([]float64, len(f.Values))
		for i := range f.Values {
			r := d.Observe(f.Times[i], f.Values[i])
			fl[i], sc[i] = r.Flag, r.Score
		}
		flags, scores = append(flags, fl), append(scores, sc)
	}
	return flags, scores
}

// minStandard is the overall standard score this test guarantees. The
// target set for the detector was 66 (Numenta HTM's 66.3 on this subset,
// with a label-tuned threshold); the fixed default configuration does not
// reach it (it scores 64.0), so the assertion guards what is achieved
// against regressions and the gap is stated in docs/anomalies.md.
const minStandard = 64

// TestNABStandardScore runs the one default configuration over the NAB
// subset, with its own fixed threshold, and prints the NAB scores.
//
//	go test ./internal/anomaly/nab -run TestNABStandardScore -v
func TestNABStandardScore(t *testing.T) {
	if testing.Short() {
		t.Skip("reads 238,000 rows; skipped under -short")
	}
	files, err := nab.LoadCorpus(context.Background(), nabDir(t))
	if err != nil {
		t.Fatal(err)
	}
	cfg := anomaly.DefaultConfig()
	flags, _ := runDetector(files, cfg)
	var standard nab.Result
	for _, p := range nab.Profiles() {
		r, err := nab.Evaluate(files, flags, p)
		if err != nil {
			t.Fatal(err)
		}
		if p == nab.Standard {
			standard = r
		}
		t.Logf("%-19s overall %5.1f  %s  (%d files, %d windows: %d detected, %d missed, %d false alarms)",
			p.Name, r.Overall, categoryLine(files, r), len(files), r.Windows, r.TP, r.FN, r.FP)
	}
	if verbose := os.Getenv("TOWER_NAB_PER_FILE"); verbose != "" {
		for k, f := range files {
			fs, _ := nab.ScoreFile(flags[k], f.Windows, nab.Standard)
			t.Logf("  %-56s raw %+6.2f  TP %d FN %d FP %d", f.Name, fs.Score, fs.TP, fs.FN, fs.FP)
		}
	}
	if standard.Windows != 66 || len(files) != 23 {
		t.Fatalf("expected the 23-file subset with 66 windows, got %d files and %d windows", len(files), standard.Windows)
	}
	if standard.Overall < minStandard {
		t.Errorf("NAB standard score %.1f is below %d", standard.Overall, minStandard)
	}
}

// TestNABLabelTunedThreshold is for comparison with the published
// scoreboard only: like NAB does for every published detector, it picks the
// flag threshold that scores best ON THE LABELS (everything else stays the
// default). It is not the detector's figure. It re-runs the detector once
// per candidate, so it runs only when TOWER_NAB_TUNED=1.
func TestNABLabelTunedThreshold(t *testing.T) {
	if os.Getenv("TOWER_NAB_TUNED") == "" {
		t.Skip("set TOWER_NAB_TUNED=1 to sweep the threshold on the labels (comparison only)")
	}
	files, err := nab.LoadCorpus(context.Background(), nabDir(t))
	if err != nil {
		t.Fatal(err)
	}
	var best nab.Result
	var bestTheta float64
	for _, theta := range []float64{0.99, 0.995, 0.999, 0.9995, 0.9999, 0.99995, 0.99999, 1} {
		cfg := anomaly.DefaultConfig()
		cfg.Threshold = theta
		flags, _ := runDetector(files, cfg)
		r, err := nab.Evaluate(files, flags, nab.Standard)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("threshold %-8g standard %5.1f", theta, r.Overall)
		if bestTheta == 0 || r.Raw > best.Raw {
			best, bestTheta = r, theta
		}
	}
	t.Logf("LABEL-TUNED threshold %g (not the detector's): standard %.1f  %s", bestTheta, best.Overall, categoryLine(files, best))
}

func categoryLine(files []nab.File, r nab.Result) string {
	var b strings.Builder
	for _, c := range nab.Categories(files) {
		fmt.Fprintf(&b, "%s %5.1f  ", c, r.Categories[c])
	}
	return strings.TrimSpace(b.String())
}
