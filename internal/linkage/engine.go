package linkage

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"runtime"
	"slices"
	"sync/atomic"
	"time"
)

// Dedupe finds records of recs that are the same person. Record ids must
// be unique; values are compared by role after normalisation.
func Dedupe(ctx context.Context, recs []Record, cfg Config) (*Result, error) {
	return run(ctx, recs, nil, false, cfg)
}

// Link finds, for records of left, the records of right that are the same
// person. Pairs within one table are not compared (Dedupe each first if
// needed). Ids must be unique within each table.
func Link(ctx context.Context, left, right []Record, cfg Config) (*Result, error) {
	return run(ctx, left, right, true, cfg)
}

// engine is one run: the prepared records, the fitted model and settings.
type engine struct {
	p   *prepared
	f   *fit
	cfg Config
	// logPrior is log2(λ/(1-λ)).
	logPrior float64
}

func run(ctx context.Context, left, right []Record, link bool, cfg Config) (*Result, error) {
	began := time.Now()
	cfg = cfg.withDefaults()
	if cfg.Workers <= 0 {
		cfg.Workers = runtime.GOMAXPROCS(0)
	}
	report := func(stage string, done, total int64) {
		if cfg.Progress != nil {
			cfg.Progress(stage, done, total)
		}
	}
	p, err := prepare(ctx, left, right, link)
	if err != nil {
		return nil, err
	}
	report("blocking", 0, -1)
	b, err := buildBlocks(ctx, p, cfg.MaxBlockSize)
	if err != nil {
		return nil, fmt.Errorf("blocking: %w", err)
	}
	report("estimating", 0, -1)
	u, sampled, err := estimateU(ctx, p, cfg)
	if err != nil {
		return nil, fmt.Errorf("estimating u: %w", err)
	}

	// Training: count each distinct comparison pattern, overall and for
	// each rule the pair shares a key under, on a sample of the blocks; EM
	// needs nothing else.
	nw := cfg.Workers
	nr := len(blockRules)
	caches := make([]*levelCache, nw)
	local := make([][]map[pattern]int64, nw) // worker, rule (nr = all)
	for w := range nw {
		caches[w] = newLevelCache()
		local[w] = make([]map[pattern]int64, nr+1)
		for r := range local[w] {
			local[w][r] = map[pattern]int64{}
		}
	}
	var done atomic.Int64
	progress := func(stage string, total int) func(int64) {
		return func(n int64) { report(stage, done.Add(n), int64(total)) }
	}
	train := b.sample(int64(cfg.TrainPairs))
	err = b.forEachPair(ctx, p, train, nw, func(w, rule int, i, j uint32) {
		pt := p.pattern(caches[w], int(i), int(j))
		local[w][nr][pt]++
		for mask, r := b.shared(i, j), 0; mask != 0; mask, r = mask>>1, r+1 {
			if mask&1 != 0 {
				local[w][r][pt]++
			}
		}
	}, progress("training", len(train)))
	if err != nil {
		return nil, err
	}
	counts := make([][]patternCount, nr+1)
	for r := range nr + 1 {
		merged := map[pattern]int64{}
		for w := range nw {
			for k, v := range local[w][r] {
				merged[k] += v
			}
		}
		for pt, c := range merged {
			counts[r] = append(counts[r], patternCount{pt, c})
		}
	}
	pats := counts[nr]
	f, err := estimateM(ctx, p, counts[:nr], pats, u, cfg.EMIterations)
	if err != nil {
		return nil, fmt.Errorf("estimating m: %w", err)
	}
	// On a sample the prior is the sample's share of matches: the sample
	// is every k-th block, so that is the share overall.
	e := &engine{p: p, f: f, cfg: cfg, logPrior: math.Log2(f.prior / (1 - f.prior))}

	// Scoring: compare every candidate pair once; keep those above the
	// threshold.
	minW := math.Log2(cfg.Threshold / (1 - cfg.Threshold))
	kept := make([][]scored, nw)
	byRule := make([][]int64, nw)
	for w := range nw {
		byRule[w] = make([]int64, nr)
	}
	done.Store(0)
	best := e.bestWeights()
	err = b.forEachPair(ctx, p, b.tasks, nw, func(w, rule int, i, j uint32) {
		byRule[w][rule]++
		if pt, ok := e.screen(caches[w], int(i), int(j), best, minW); ok {
			if wt := e.weight(int(i), int(j), pt); wt >= minW {
				kept[w] = append(kept[w], scored{i, j, wt, pt})
			}
		}
	}, progress("scoring", len(b.tasks)))
	if err != nil {
		return nil, err
	}
	var candidates int64
	for _, r := range byRule {
		for _, c := range r {
			candidates += c
		}
	}
	all := slices.Concat(kept...)
	slices.SortFunc(all, func(a, b scored) int {
		if c := cmp.Compare(b.w, a.w); c != 0 {
			return c
		}
		if c := cmp.Compare(a.i, b.i); c != 0 {
			return c
		}
		return cmp.Compare(a.j, b.j)
	})
	clusters, err := e.cluster(ctx, all)
	if err != nil {
		return nil, err
	}

	res := &Result{Clusters: clusters, Model: e.model()}
	res.Pairs = make([]Pair, len(all))
	for x, s := range all {
		res.Pairs[x] = e.explain(s)
	}
	res.Stats = Stats{
		Records: len(p.recs), CandidatePairs: candidates, PairsByRule: map[string]int64{},
		SkippedBlocks: b.skipped, SkippedPairs: b.skippedP, USamplePairs: sampled,
		Patterns: len(pats), PairsAbove: len(all), Clusters: len(clusters), Elapsed: time.Since(began),
	}
	for _, r := range byRule {
		for ri, c := range r {
			res.Stats.PairsByRule[blockRules[ri].name] += c
		}
	}
	return res, nil
}

// scored is a kept candidate pair: record indexes, weight, pattern.
type scored struct {
	i, j uint32
	w    float64
	pt   pattern
}

// weight is the pair's total evidence in bits: prior log-odds plus each
// field's level weight, with exact agreement on a value re-weighted by how
// common that value is.
func (e *engine) weight(i, j int, pt pattern) float64 {
	var ws [numRoles]float64
	e.fieldWeights(ws[:len(e.p.active)], i, j, pt)
	w := e.logPrior
	for _, x := range ws[:len(e.p.active)] {
		w += x
	}
	return w
}

// fieldWeights fills ws with each field's weight in bits for the pair.
func (e *engine) fieldWeights(ws []float64, i, j int, pt pattern) {
	for k, r := range e.p.active {
		l := pt.level(k)
		if l == 0 {
			ws[k] = 0
			continue
		}
		w := e.f.w[k][l]
		if l == 1 && tfRoles[r] && !e.cfg.NoTermFrequency {
			// Term-frequency adjustment: the chance that a random other
			// record shares THIS value, instead of any value, as u.
			n := float64(len(e.p.recs))
			c := float64(e.p.freq[r][e.p.vals[r][i]])
			tf := max((c-1)/(n-1), 1/n)
			w += math.Log2(e.f.u[k][1] / tf)
		}
		ws[k] = w
	}
	e.p.dependent(ws, pt)
}

// bestWeights is, per field, the most a field can add (at least 0, the
// weight of a missing value), counting the largest term-frequency bonus.
func (e *engine) bestWeights() []float64 {
	n := float64(len(e.p.recs))
	best := make([]float64, len(e.p.active))
	for k, r := range e.p.active {
		for l := 1; l < len(e.f.w[k]); l++ {
			best[k] = max(best[k], e.f.w[k][l])
		}
		if tfRoles[r] && !e.cfg.NoTermFrequency {
			best[k] = max(best[k], math.Log2(e.f.m[k][1]*n))
		}
	}
	return best
}

// screen compares the pair field by field and gives up as soon as even
// the best outcome of the fields left cannot reach minW: most candidate
// pairs are different people who share one key and differ on the first
// names compared. ok is false when the pair was given up.
func (e *engine) screen(c *levelCache, i, j int, best []float64, minW float64) (pattern, bool) {
	bound := e.logPrior
	for _, b := range best {
		bound += b
	}
	var pt pattern
	for k, r := range e.p.active {
		l := e.p.compare(c, r, i, j)
		pt |= pattern(l) << (4 * k)
		var w float64
		if l != 0 {
			w = e.f.w[k][l]
			if l == 1 && tfRoles[r] && !e.cfg.NoTermFrequency {
				n := float64(len(e.p.recs))
				cnt := float64(e.p.freq[r][e.p.vals[r][i]])
				w += math.Log2(e.f.u[k][1] / max((cnt-1)/(n-1), 1/n))
			}
		}
		bound += w - best[k]
		if bound < minW {
			return 0, false
		}
	}
	return pt, true
}

func (e *engine) explain(s scored) Pair {
	p := e.p
	a, b := p.recs[s.i], p.recs[s.j]
	out := Pair{A: a.ID, B: b.ID, Probability: prob(s.w), Weight: round(s.w)}
	var ws [numRoles]float64
	e.fieldWeights(ws[:len(p.active)], int(s.i), int(s.j), s.pt)
	for k, r := range p.active {
		l := s.pt.level(k)
		out.Fields = append(out.Fields, FieldMatch{Field: r, Level: levelNames[r][l],
			Weight: round(ws[k]), A: a.Fields[r], B: b.Fields[r]})
	}
	return out
}

func (e *engine) model() Model {
	m := Model{Prior: e.f.prior, Iterations: e.f.iterations, Converged: e.f.converged}
	for k, r := range e.p.active {
		fm := FieldModel{Field: r}
		for l := 1; l < len(levelNames[r]); l++ {
			fm.Levels = append(fm.Levels, LevelModel{Name: levelNames[r][l], M: e.f.m[k][l],
				U: e.f.u[k][l], Weight: round(e.f.w[k][l])})
		}
		m.Fields = append(m.Fields, fm)
	}
	return m
}

func round(v float64) float64 { return math.Round(v*100) / 100 }
