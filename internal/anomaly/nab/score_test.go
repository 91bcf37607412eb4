package nab

import (
	"math"
	"testing"
)

func near(a, b float64) bool { return math.Abs(a-b) < 1e-6 }

func TestSigmoidPoints(t *testing.T) {
	for _, c := range []struct{ y, want float64 }{
		{-1, 0.986614}, {0, 0}, {1, -0.986614}, {3.01, -1}, {-0.3, 0.635149},
	} {
		if got := Sigmoid(c.y); math.Abs(got-c.want) > 1e-6 {
			t.Errorf("Sigmoid(%g) = %.6f, want %.6f", c.y, got, c.want)
		}
	}
}

func TestProbation(t *testing.T) {
	for n, want := range map[int]int{100: 15, 1624: 243, 4032: 604, 22695: 750} {
		if got := Probation(n); got != want {
			t.Errorf("Probation(%d) = %d, want %d", n, got, want)
		}
	}
}

func rows(n int, at ...int) []bool {
	d := make([]bool, n)
	for _, i := range at {
		d[i] = true
	}
	return d
}

func TestPerfectAndNullDetectors(t *testing.T) {
	windows := []Window{{40, 49}, {70, 89}}
	for _, p := range Profiles() {
		perfect, err := ScoreFile(rows(100, 40, 70), windows, p)
		if err != nil {
			t.Fatal(err)
		}
		null, _ := ScoreFile(rows(100), windows, p)
		if got := Normalize(perfect.Score, 2, p); !near(got, 100) {
			t.Errorf("%s: perfect detector scores %.4f, want 100", p.Name, got)
		}
		if got := Normalize(null.Score, 2, p); !near(got, 0) {
			t.Errorf("%s: null detector scores %.4f, want 0", p.Name, got)
		}
	}
}

// TestHandExample: 200 rows (15% probation = rows 0..29), windows [50,59]
// (width 10) and [100,119] (width 20). Detections:
//
//	row 10  probationary, ignored
//	row 35  false alarm before any window ended: −0.11
//	row 50  first row of window 1: +1
//	row 52  second detection in window 1: nothing
//	row 64  false alarm 5 rows after window 1: 0.11·σ(5/9) = −0.11·tanh(2.5·5/9)
//	row 114 late in window 2, y = −(119−114+1)/20 = −0.3: +tanh(0.75)/tanh(2.5)
func TestHandExample(t *testing.T) {
	fs, err := ScoreFile(rows(200, 10, 35, 50, 52, 64, 114), []Window{{50, 59}, {100, 119}}, Standard)
	if err != nil {
		t.Fatal(err)
	}
	lateTP := math.Tanh(0.75) / math.Tanh(2.5)
	fpAfter := -0.11 * math.Tanh(2.5*5.0/9.0)
	want := 1 + lateTP + fpAfter - 0.11
	if !near(fs.Score, want) || fs.TP != 2 || fs.FN != 0 || fs.FP != 2 {
		t.Errorf("got %+v, want score %.6f with 2 TP, 0 FN, 2 FP", fs, want)
	}
	if !near(lateTP, 0.643766) || !near(want, 1.436644) {
		t.Errorf("hand values drifted: late TP %.6f, total %.6f", lateTP, want)
	}
	// Normalised over the file's 2 windows: 100·(S+2)/4.
	if got := Normalize(fs.Score, 2, Standard); !near(got, 100*(want+2)/4) {
		t.Errorf("normalised %.4f", got)
	}
	// Low-FN profile: the same detections, misses weigh 2, so 100·(S+4)/6.
	low, _ := ScoreFile(rows(200, 10, 35, 50, 52, 64, 114), []Window{{50, 59}, {100, 119}}, RewardLowFN)
	if got := Normalize(low.Score, 2, RewardLowFN); !near(got, 100*(want+4)/6) {
		t.Errorf("low-FN normalised %.4f, want %.4f", got, 100*(want+4)/6)
	}
}

func TestMissedWindowAndFarFalseAlarm(t *testing.T) {
	// No detection in [50,59]; a false alarm 100 rows later costs the
	// whole A_FP (σ is −1 beyond y = 3).
	fs, _ := ScoreFile(rows(200, 159), []Window{{50, 59}}, Standard)
	if !near(fs.Score, -1-0.11) || fs.FN != 1 || fs.FP != 1 {
		t.Errorf("got %+v, want −1.11", fs)
	}
}

func TestScoreFileRefusesBadWindows(t *testing.T) {
	if _, err := ScoreFile(rows(10), []Window{{5, 12}}, Standard); err == nil {
		t.Error("a window past the last row should be refused")
	}
	if _, err := ScoreFile(rows(10), []Window{{2, 5}, {5, 8}}, Standard); err == nil {
		t.Error("overlapping windows should be refused")
	}
}
