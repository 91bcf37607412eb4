package sequential

import (
	"math"
	"math/rand/v2"
	"os"
	"slices"
	"testing"
)

// binomial draws Binomial(n, p) by inversion (exact; O(np), fine for the
// means of a day of e-mail, up to a few hundred).
func binomial(r *rand.Rand, n int64, p float64) int64 {
	if n <= 0 || p <= 0 {
		return 0
	}
	if p >= 1 {
		return n
	}
	if float64(n)*p > 600 { // (1−p)^n underflows; the normal is exact enough here
		x := math.Round(float64(n)*p + math.Sqrt(float64(n)*p*(1-p))*r.NormFloat64())
		return int64(max(0, min(float64(n), x)))
	}
	u := r.Float64()
	q := p / (1 - p)
	pmf := math.Pow(1-p, float64(n))
	cdf := pmf
	var k int64
	for u > cdf && k < n {
		pmf *= q * float64(n-k) / float64(k+1)
		k++
		cdf += pmf
	}
	return k
}

// scenario is one simulated test: a base rate, a per-arm weekday volume
// and each arm's rate multiplier.
type scenario struct {
	base   float64
	volume float64
	lifts  []float64 // rate multiplier per arm: 1 for all arms in an A/A test
}

// simResult is what one simulated test did over its days.
type simResult struct {
	mSPRT   Result // at the first decisive look, else the last
	decided int    // day of the first non-continue decision (0: none)
	naive   bool   // a daily fixed-horizon z-test was ever significant
}

// simulate runs one test for days days, looking once a day, with weekday
// volume and a weekend dip (35%) and 10% day-to-day volume noise, as in
// the demo's e-mail campaigns.
func simulate(r *rand.Rand, s scenario, days int, cfg Config) simResult {
	arms := []string{"A", "B", "C", "D"}[:len(s.lifts)]
	e, err := NewExperiment(arms, cfg)
	if err != nil {
		panic(err)
	}
	cum := map[string]Counts{}
	var out simResult
	for d := 1; d <= days; d++ {
		weekday := 1.0
		if d%7 == 6 || d%7 == 0 {
			weekday = 0.35
		}
		for i, a := range arms {
			n := int64(math.Round(s.volume * weekday * math.Exp(0.1*r.NormFloat64())))
			cum[a] = cum[a].Add(Counts{Trials: n, Successes: binomial(r, n, s.base*s.lifts[i])})
		}
		res := e.Look(cum)
		if out.decided == 0 && (res.Decision == Winner || res.Decision == Loser) {
			out.decided, out.mSPRT = d, res
		}
		if !out.naive && naiveSignificant(cum, arms) {
			out.naive = true
		}
	}
	if out.decided == 0 {
		out.mSPRT = e.Result()
	}
	return out
}

// naiveSignificant is the daily peek at a fixed-horizon two-proportion
// z-test (pooled variance, two-sided 0.05) of every arm against A, with no
// correction for peeking or for several arms: what a spreadsheet does.
func naiveSignificant(cum map[string]Counts, arms []string) bool {
	a := cum["A"]
	for _, o := range arms[1:] {
		b := cum[o]
		if a.Trials == 0 || b.Trials == 0 {
			continue
		}
		p := float64(a.Successes+b.Successes) / float64(a.Trials+b.Trials)
		se := math.Sqrt(p * (1 - p) * (1/float64(a.Trials) + 1/float64(b.Trials)))
		if se > 0 && math.Abs(b.Rate()-a.Rate())/se > 1.959964 {
			return true
		}
	}
	return false
}

// randomScenario draws a realistic e-mail test: a click rate of 1–5% and
// 500–5,000 delivered per arm on a weekday.
func randomScenario(r *rand.Rand, lifts []float64) scenario {
	return scenario{base: 0.01 + 0.04*r.Float64(), volume: 500 + 4500*r.Float64(), lifts: lifts}
}

// simCount is how many tests a simulation runs: the CI size, or a long
// run when TOWER_SEQUENTIAL_LONG is set.
func simCount(short int) int {
	if os.Getenv("TOWER_SEQUENTIAL_LONG") != "" {
		return short * 10
	}
	return short
}

const simDays = 30

// TestAAFalseWinners runs A/A tests (every arm at the same rate) peeked at
// daily for 30 days and counts those that ever call a winner or a loser.
// The mSPRT must stay at or under alpha = 5%; the naive daily z-test is
// printed beside it to show the inflation the sequential test avoids.
func TestAAFalseWinners(t *testing.T) {
	for _, tc := range []struct {
		name  string
		arms  int
		tests int
		seed  uint64
	}{
		{"two arms", 2, simCount(10000), 1},
		{"three arms", 3, simCount(3000), 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := rand.New(rand.NewPCG(tc.seed, 2017))
			lifts := slices.Repeat([]float64{1}, tc.arms)
			var msprt, naive int
			for range tc.tests {
				res := simulate(r, randomScenario(r, lifts), simDays, Config{Alpha: 0.05})
				if res.decided > 0 {
					msprt++
				}
				if res.naive {
					naive++
				}
			}
			rate, naiveRate := float64(msprt)/float64(tc.tests), float64(naive)/float64(tc.tests)
			t.Logf("A/A, %d arms, %d tests, daily looks for %d days: mSPRT false calls %d (%.2f%%); naive daily z-test %d (%.2f%%)",
				tc.arms, tc.tests, simDays, msprt, 100*rate, naive, 100*naiveRate)
			if rate > 0.05 {
				t.Errorf("mSPRT called a false winner or loser in %.2f%% of A/A tests; the guarantee is at most 5%%", 100*rate)
			}
			if naiveRate <= 0.05 {
				t.Errorf("the naive daily z-test stayed at %.2f%%: the simulation does not show peeking's inflation, so it is not realistic", 100*naiveRate)
			}
		})
	}
}

// TestPower plants a true 30% lift on arm B and reports how many tests
// find it within 30 days and the median day of the decision, over the
// realistic range and over its hardest corner (1–2% rates, 500–1,000 per
// arm a day). It asserts that wrong-way calls (A the winner) stay within
// the error budget and that most tests over the realistic range find the
// lift.
func TestPower(t *testing.T) {
	for _, tc := range []struct {
		name     string
		scenario func(r *rand.Rand) scenario
		minShare float64
	}{
		{"1-5% rates, 500-5000 a day", func(r *rand.Rand) scenario { return randomScenario(r, []float64{1, 1.3}) }, 0.8},
		{"1-2% rates, 500-1000 a day", func(r *rand.Rand) scenario {
			return scenario{base: 0.01 + 0.01*r.Float64(), volume: 500 + 500*r.Float64(), lifts: []float64{1, 1.3}}
		}, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tests := simCount(2000)
			r := rand.New(rand.NewPCG(3, 2017))
			var found, wrong int
			var days []int
			for range tests {
				res := simulate(r, tc.scenario(r), simDays, Config{Alpha: 0.05})
				switch {
				case res.decided == 0:
				case res.mSPRT.Winner == "B":
					found++
					days = append(days, res.decided)
				default:
					wrong++
				}
			}
			slices.Sort(days)
			median := 0
			if len(days) > 0 {
				median = days[len(days)/2]
			}
			share := float64(found) / float64(tests)
			t.Logf("true lift 30%%, %s, %d tests, daily looks for %d days: winner B found in %d (%.1f%%), median day of decision %d, wrong-way calls %d",
				tc.name, tests, simDays, found, 100*share, median, wrong)
			if float64(wrong)/float64(tests) > 0.05 {
				t.Errorf("wrong-way winners in %d of %d tests", wrong, tests)
			}
			if share < tc.minShare {
				t.Errorf("found the 30%% lift in only %.1f%% of tests, want at least %.0f%%", 100*share, 100*tc.minShare)
			}
		})
	}
}
