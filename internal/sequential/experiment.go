package sequential

import (
	"fmt"
	"math"
	"slices"
)

// Config sets an experiment's error budget and what counts as a
// difference worth having. Zero fields take the defaults.
type Config struct {
	// Alpha is the chance, at most, of any false call (a winner or loser
	// where the arms are truly equal, or a wrong-way call) over the whole
	// life of the test, however often it is looked at. Default 0.05.
	Alpha float64
	// MixingLift is the spread τ of the mixing prior as a share of the
	// pooled rate. Default 0.2: tuned to find lifts around 20% fastest.
	MixingLift float64
	// MinLift is the smallest relative lift worth acting on; at MaxLooks
	// the test says "no difference" only when it can rule out a lift this
	// large. Default 0.1 (10%).
	MinLift float64
	// MaxLooks is the pre-set maximum number of looks (days); at it an
	// undecided test ends as "no difference" or "inconclusive". 0: no
	// maximum.
	MaxLooks int
}

func (c Config) withDefaults() Config {
	if c.Alpha <= 0 {
		c.Alpha = 0.05
	}
	if c.MixingLift <= 0 {
		c.MixingLift = 0.2
	}
	if c.MinLift <= 0 {
		c.MinLift = 0.1
	}
	return c
}

// Decision is what an experiment concludes at a look.
type Decision string

// The decisions.
const (
	Continue     Decision = "continue"      // no difference yet: keep the test running
	Winner       Decision = "winner"        // one arm beats every other
	Loser        Decision = "loser"         // some arms are beaten, no overall winner yet
	NoDifference Decision = "no_difference" // maximum reached; no lift of MinLift or more
	Inconclusive Decision = "inconclusive"  // maximum reached; a lift of MinLift not ruled out
)

// Experiment is an always-valid multi-arm test: every pair of arms has an
// mSPRT at Alpha divided by the number of pairs.
type Experiment struct {
	cfg   Config
	arms  []string
	pairs map[[2]int]*Pair // key: indexes (i, j), i < j; the pair tests j against i
	looks int
	// result is the latest look's; its DecidedAt carries over while the
	// decision stays the same.
	result Result
}

// NewExperiment starts a test of arms; the first arm is the control
// (variant "A" by convention). It needs at least two distinct arms.
func NewExperiment(arms []string, cfg Config) (*Experiment, error) {
	if len(arms) < 2 {
		return nil, fmt.Errorf("an experiment needs at least two arms, got %d", len(arms))
	}
	seen := map[string]bool{}
	for _, a := range arms {
		if seen[a] {
			return nil, fmt.Errorf("arm %q is listed twice", a)
		}
		seen[a] = true
	}
	cfg = cfg.withDefaults()
	if cfg.Alpha >= 1 {
		return nil, fmt.Errorf("alpha %v must be below 1", cfg.Alpha)
	}
	e := &Experiment{cfg: cfg, arms: slices.Clone(arms), pairs: map[[2]int]*Pair{}}
	perPair := cfg.Alpha / float64(Pairs(len(arms)))
	for i := range arms {
		for j := i + 1; j < len(arms); j++ {
			e.pairs[[2]int{i, j}] = NewPair(perPair, cfg.MixingLift)
		}
	}
	return e, nil
}

// Pairs is the number of pairwise comparisons among k arms.
func Pairs(k int) int { return k * (k - 1) / 2 }

// Comparison is one pair's state: Other against Baseline.
type Comparison struct {
	Baseline, Other string
	Estimate
	// Alpha is this pair's share of the experiment's alpha.
	Alpha float64
	// Significant: "no difference" is rejected for this pair.
	Significant bool
}

// Result is an experiment's state after a look.
type Result struct {
	Decision Decision
	Look     int // the look the result is from (1 = first)
	// DecidedAt is the look at which the decision was first reached (0
	// while continuing).
	DecidedAt int
	Winner    string   // for Winner
	Losers    []string // arms beaten by some other arm, sorted
	Arms      map[string]Counts
	Pairs     []Comparison // in arm order: (A,B), (A,C), (B,C)
}

// Look feeds every arm's cumulative counts at the end of a period (a day)
// and returns the result. Arms missing from counts count as empty.
func (e *Experiment) Look(counts map[string]Counts) Result {
	e.looks++
	r := Result{Look: e.looks, Arms: map[string]Counts{}}
	for _, a := range e.arms {
		r.Arms[a] = counts[a]
	}
	beats := make([]int, len(e.arms)) // how many arms each arm beats
	beaten := make([]bool, len(e.arms))
	for i := range e.arms {
		for j := i + 1; j < len(e.arms); j++ {
			t := e.pairs[[2]int{i, j}]
			est := t.Look(counts[e.arms[i]], counts[e.arms[j]])
			c := Comparison{Baseline: e.arms[i], Other: e.arms[j], Estimate: est, Alpha: t.alpha, Significant: t.Significant()}
			r.Pairs = append(r.Pairs, c)
			if !c.Significant {
				continue
			}
			// The sign is settled by the confidence sequence, which
			// excludes 0 once the pair is significant.
			if est.Lo > 0 {
				beats[j]++
				beaten[i] = true
			} else if est.Hi < 0 {
				beats[i]++
				beaten[j] = true
			}
		}
	}
	for i, a := range e.arms {
		if beaten[i] {
			r.Losers = append(r.Losers, a)
		}
		if beats[i] == len(e.arms)-1 {
			r.Winner = a
		}
	}
	slices.Sort(r.Losers)
	switch {
	case r.Winner != "":
		r.Decision = Winner
	case len(r.Losers) > 0:
		r.Decision = Loser
	case e.cfg.MaxLooks > 0 && e.looks >= e.cfg.MaxLooks:
		r.Decision = e.atMaximum(r)
	default:
		r.Decision = Continue
	}
	if e.result.DecidedAt > 0 && r.Decision == e.result.Decision && r.Winner == e.result.Winner {
		r.DecidedAt = e.result.DecidedAt
	} else if r.Decision != Continue {
		r.DecidedAt = e.looks
	}
	e.result = r
	return r
}

// Result is the latest look's result.
func (e *Experiment) Result() Result { return e.result }

// atMaximum says "no difference" when every pair's confidence sequence
// lies inside ±MinLift of its baseline's observed rate, else
// "inconclusive".
func (e *Experiment) atMaximum(r Result) Decision {
	for _, c := range r.Pairs {
		if !c.Ready {
			return Inconclusive
		}
		bound := e.cfg.MinLift * c.A.Rate()
		if c.Lo <= -bound || c.Hi >= bound || math.IsInf(c.Lo, 0) || math.IsInf(c.Hi, 0) {
			return Inconclusive
		}
	}
	return NoDifference
}
