// Package nab scores anomaly detections the way the Numenta Anomaly
// Benchmark (NAB v1.1) does, so Tower's detector can be measured against
// the published scoreboard with the same arithmetic.
//
// The rules follow NAB's scorer code (nab/sweeper.py and the normalisation in
// nab/runner.py), not the paper's formula, because the code is what produced
// the published numbers:
//
//   - The first P = min(floor(0.15·N), 750) rows of a file are probationary:
//     detections there are ignored.
//   - A window [s, e] (rows, both inclusive, width W = e−s+1) earns, for its
//     earliest detection at row i, A_TP·σ(y)/σ(−1) with y = −(e−i+1)/W, where
//     σ(y) = 2/(1+e^{5y}) − 1 (and −1 for y > 3). Later detections in the
//     same window count for nothing. A window without a detection costs A_FN.
//   - A detection outside every window is a false positive. Before any
//     window has ended it costs A_FP; after one, with the last window's right
//     edge e' and width W', it adds A_FP·σ((i−e')/(W'−1)): barely anything
//     just after a window, nearly A_FP a window-length later.
//   - The raw corpus score S (sum over files) is normalised to
//     100·(S−S_null)/(S_perfect−S_null), where the perfect detector scores
//     A_TP per window and the null detector (never fires) −A_FN per window.
package nab

import (
	"fmt"
	"math"
)

// Profile is one of NAB's application profiles: how much a detected window,
// a false alarm and a missed window weigh. The weights are magnitudes; the
// scorer applies the signs.
type Profile struct {
	Name string
	ATP  float64
	AFP  float64
	AFN  float64
}

// NAB's three profiles (config/profiles.json).
var (
	Standard    = Profile{Name: "standard", ATP: 1.0, AFP: 0.11, AFN: 1.0}
	RewardLowFP = Profile{Name: "reward_low_FP_rate", ATP: 1.0, AFP: 0.22, AFN: 1.0}
	RewardLowFN = Profile{Name: "reward_low_FN_rate", ATP: 1.0, AFP: 0.11, AFN: 2.0}
)

// Profiles lists the three profiles in NAB's order.
func Profiles() []Profile { return []Profile{Standard, RewardLowFP, RewardLowFN} }

// Window is an anomaly window as row indices into a file, both inclusive.
type Window struct{ Start, End int }

// Sigmoid is NAB's scaled sigmoid: +0.9866 at −1, 0 at 0, −0.9866 at +1,
// and exactly −1 beyond 3.
func Sigmoid(y float64) float64 {
	if y > 3 {
		return -1
	}
	return 2/(1+math.Exp(5*y)) - 1
}

// Probation is the number of leading rows of an n-row file whose
// detections NAB ignores: min(floor(0.15·n), 750).
func Probation(n int) int { return min(int(math.Floor(0.15*float64(n))), 750) }

// FileScore is one file's raw score and its parts.
type FileScore struct {
	Score          float64 // raw score: TP credit − misses − FP costs
	TP, FN, FP     int     // windows detected, windows missed, false alarms
	TPCredit       float64 // sum of the windows' best credits
	FPCost         float64 // sum of the false alarms' costs (≤ 0)
	Windows        int
	ProbationaryAt int // rows before this index were ignored
}

// ScoreFile scores the detections (one bool per row, true = the detector
// fired) of an n-row file against its windows, under profile p. Windows must
// be sorted and must not overlap, as in NAB's label files.
func ScoreFile(detections []bool, windows []Window, p Profile) (FileScore, error) {
	n := len(detections)
	for k, w := range windows {
		if w.Start < 0 || w.End >= n || w.Start > w.End {
			return FileScore{}, fmt.Errorf("window %d [%d, %d] is outside the file's %d rows", k, w.Start, w.End, n)
		}
		if k > 0 && w.Start <= windows[k-1].End {
			return FileScore{}, fmt.Errorf("window %d [%d, %d] overlaps or precedes the one before", k, w.Start, w.End)
		}
	}
	fs := FileScore{Windows: len(windows), ProbationaryAt: Probation(n)}
	maxTP := Sigmoid(-1)
	best := make([]float64, len(windows))
	hit := make([]bool, len(windows))
	next := 0               // next window not yet entered
	cur := -1               // window the current row is in, or -1
	prevEnd, prevW := -1, 0 // last window that ended
	for i := range n {
		if cur < 0 && next < len(windows) && i == windows[next].Start {
			cur = next
			next++
		}
		if detections[i] && i >= fs.ProbationaryAt {
			if cur >= 0 {
				w := windows[cur]
				width := w.End - w.Start + 1
				y := -float64(w.End-i+1) / float64(width)
				credit := p.ATP * Sigmoid(y) / maxTP
				if !hit[cur] {
					hit[cur], best[cur] = true, credit
				}
			} else {
				cost := -p.AFP
				if prevEnd >= 0 {
					cost = p.AFP * Sigmoid(float64(i-prevEnd)/float64(prevW-1))
				}
				fs.FP++
				fs.FPCost += cost
			}
		}
		if cur >= 0 && i == windows[cur].End {
			prevEnd, prevW = i, windows[cur].End-windows[cur].Start+1
			cur = -1
		}
	}
	for k := range windows {
		if hit[k] {
			fs.TP++
			fs.TPCredit += best[k]
		} else {
			fs.FN++
		}
	}
	fs.Score = fs.TPCredit - float64(fs.FN)*p.AFN + fs.FPCost
	return fs, nil
}

// Normalize turns a raw corpus score into NAB's 0..100 scale for a corpus
// with the given number of windows: the null detector (never fires, every
// window missed) scores 0 and the perfect one (fires on each window's first
// row and nowhere else) scores 100.
func Normalize(raw float64, windows int, p Profile) float64 {
	perfect := p.ATP * float64(windows)
	null := -p.AFN * float64(windows)
	return 100 * (raw - null) / (perfect - null)
}
