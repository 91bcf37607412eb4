package linkage

import (
	"cmp"
	"context"
	"math"
	"math/rand/v2"
	"slices"
	"sync"
	"sync/atomic"
)

// fit is the model in the engine's own layout: per active field k, per
// level l (0 = missing, unused).
type fit struct {
	prior      float64
	m, u, w    [][]float64 // w = log2(m/u), 0 for missing
	iterations int
	converged  bool
	matches    float64 // expected matches among the pairs fitted
}

// estimateU counts levels on random pairs, which are almost all different
// people, so their level shares estimate u. Each worker draws its own
// share of the sample from its own seeded stream: the counts, and so u,
// are the same for a seed whatever the scheduling.
func estimateU(ctx context.Context, p *prepared, cfg Config) ([][]float64, int64, error) {
	n := len(p.recs)
	nl, nr := n, n
	if p.link {
		nl, nr = p.nLeft, n-p.nLeft
	}
	var total int64
	if p.link {
		total = int64(nl) * int64(nr)
	} else {
		total = int64(n) * int64(n-1) / 2
	}
	nf := len(p.active)
	counts := make([][16]int64, nf)
	var mu sync.Mutex
	add := func(local [][16]int64) {
		mu.Lock()
		for k := range local {
			for l := range local[k] {
				counts[k][l] += local[k][l]
			}
		}
		mu.Unlock()
	}
	sampled := total
	if total <= int64(cfg.USamplePairs) {
		// Few enough: every pair.
		local := make([][16]int64, nf)
		cache := newLevelCache()
		for i := range n {
			if i%1024 == 0 && ctx.Err() != nil {
				return nil, 0, ctx.Err()
			}
			jlo := i + 1
			if p.link {
				if i >= p.nLeft {
					break
				}
				jlo = p.nLeft
			}
			for j := jlo; j < n; j++ {
				pt := p.pattern(cache, i, j)
				for k := range nf {
					local[k][pt.level(k)]++
				}
			}
		}
		add(local)
	} else {
		sampled = int64(cfg.USamplePairs)
		// The sample is cut into a fixed number of streams, each with its
		// own seeded generator, so u does not depend on the worker count.
		const streams = 64
		per := sampled / streams
		var next atomic.Int64
		var wg sync.WaitGroup
		for range cfg.Workers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				local := make([][16]int64, nf)
				cache := newLevelCache()
				defer add(local)
				for {
					st := next.Add(1) - 1
					if st >= streams || ctx.Err() != nil {
						return
					}
					cnt := per
					if st == streams-1 {
						cnt = sampled - per*(streams-1)
					}
					rng := rand.New(rand.NewPCG(cfg.Seed, uint64(st)+1))
					for s := int64(0); s < cnt; s++ {
						var i, j int
						if p.link {
							i, j = rng.IntN(nl), nl+rng.IntN(nr)
						} else {
							i, j = rng.IntN(n), rng.IntN(n-1)
							if j >= i {
								j++
							}
						}
						pt := p.pattern(cache, i, j)
						for k := range nf {
							local[k][pt.level(k)]++
						}
					}
				}
			}()
		}
		wg.Wait()
		if ctx.Err() != nil {
			return nil, 0, ctx.Err()
		}
	}
	u := make([][]float64, nf)
	for k, r := range p.active {
		levels := len(levelNames[r])
		u[k] = make([]float64, levels)
		var present int64
		for l := 1; l < levels; l++ {
			present += counts[k][l]
		}
		for l := 1; l < levels; l++ {
			if present == 0 {
				u[k][l] = 1 / float64(levels-1)
				continue
			}
			// A level never seen among random pairs is rare, not
			// impossible: half an observation keeps its weight finite.
			u[k][l] = max(float64(counts[k][l]), 0.5) / float64(present)
		}
	}
	return u, sampled, nil
}

type patternCount struct {
	pt    pattern
	count int64
}

// emSpec says which parameters one EM run may move.
type emSpec struct {
	// free[k]: field k takes part (its m is estimated and its weight counts);
	// nil = every field.
	free []bool
	// fixedM: keep m as given and estimate the prior alone.
	fixedM [][]float64
}

// runEM estimates m (for the free fields) and the prior by
// expectation–maximisation over distinct patterns weighted by their count,
// holding u fixed.
func runEM(ctx context.Context, p *prepared, pats []patternCount, u [][]float64, maxIter int, spec emSpec) (*fit, error) {
	slices.SortFunc(pats, func(a, b patternCount) int { return cmp.Compare(a.pt, b.pt) })
	nf := len(p.active)
	free := spec.free
	if free == nil {
		free = make([]bool, nf)
		for k := range free {
			free[k] = true
		}
	}
	f := &fit{prior: 0.1, u: u, m: make([][]float64, nf), w: make([][]float64, nf)}
	for k, r := range p.active {
		levels := len(levelNames[r])
		f.w[k] = make([]float64, levels)
		if spec.fixedM != nil {
			f.m[k] = slices.Clone(spec.fixedM[k])
			continue
		}
		f.m[k] = initialM(levels)
	}
	var total float64
	for _, pc := range pats {
		total += float64(pc.count)
	}
	if total == 0 {
		f.weights()
		return f, nil
	}
	num := make([][]float64, nf)
	den := make([]float64, nf)
	for k := range num {
		num[k] = make([]float64, len(f.m[k]))
	}
	for it := 1; it <= maxIter; it++ {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		f.weights()
		for k := range num {
			clear(num[k])
			den[k] = 0
		}
		var sumP float64
		logPrior := math.Log2(f.prior / (1 - f.prior))
		for _, pc := range pats {
			var ws [numRoles]float64
			for k := range nf {
				if free[k] {
					ws[k] = f.w[k][pc.pt.level(k)]
				}
			}
			p.dependent(ws[:nf], pc.pt)
			w := logPrior
			for _, x := range ws[:nf] {
				w += x
			}
			pm := float64(pc.count) * prob(w)
			sumP += pm
			for k := range nf {
				if l := pc.pt.level(k); l != 0 {
					num[k][l] += pm
					den[k] += pm
				}
			}
		}
		newPrior := clamp(sumP/total, 1e-9, 1-1e-9)
		delta := math.Abs(newPrior - f.prior)
		f.prior = newPrior
		for k := range nf {
			if !free[k] || spec.fixedM != nil || den[k] == 0 {
				continue
			}
			levels := len(f.m[k])
			for l := 1; l < levels; l++ {
				v := clamp((num[k][l]+1e-6)/(den[k]+1e-6*float64(levels-1)), 1e-6, 1-1e-6)
				delta = max(delta, math.Abs(v-f.m[k][l]))
				f.m[k][l] = v
			}
		}
		f.iterations = it
		if delta < 1e-6 {
			f.converged = true
			break
		}
	}
	f.matches = f.prior * total
	f.weights()
	return f, nil
}

// geographic fields depend on one another (a street lies in one suburb,
// postcode and state), so a rule on one of them leaves all of them out of
// its EM: among pairs with one postcode, different people agree on suburb
// and state too, and EM would take that for the mark of a match.
func geographic(r Role) bool {
	switch r {
	case StreetNumber, Address, Address2, City, Postcode, State:
		return true
	}
	return false
}

// initialM starts EM with matches mostly agreeing exactly and rarely
// differing; the partial levels share the rest.
func initialM(levels int) []float64 {
	m := make([]float64, levels)
	if levels == 3 {
		m[1], m[2] = 0.9, 0.1
		return m
	}
	m[1], m[levels-1] = 0.8, 0.05
	for l := 2; l < levels-1; l++ {
		m[l] = 0.15 / float64(levels-3)
	}
	return m
}

// estimateM runs one EM per blocking rule on the pairs that rule yields
// (only the person rules when any has pairs), leaving out the rule's own
// fields (and all geographic ones when it uses one) (pairs picked for agreeing on a field
// say nothing about how often matches agree on it), and averages each
// field's m over the rules that left it free, weighted by the matches each
// found. A field no rule leaves free is estimated with every field free.
// The prior is then estimated on all candidate pairs with m held.
func estimateM(ctx context.Context, p *prepared, sessions [][]patternCount, all []patternCount, u [][]float64, maxIter int) (*fit, error) {
	nf := len(p.active)
	sum := make([][]float64, nf)
	weight := make([]float64, nf)
	for k, r := range p.active {
		sum[k] = make([]float64, len(levelNames[r]))
	}
	personal := false
	for ri, pats := range sessions {
		personal = personal || (blockRules[ri].person && len(pats) > 0)
	}
	for ri, pats := range sessions {
		if len(pats) == 0 || (personal && !blockRules[ri].person) {
			continue
		}
		free := make([]bool, nf)
		any := false
		for k, r := range p.active {
			free[k] = !slices.Contains(blockRules[ri].fields, r) &&
				!(geographic(r) && slices.ContainsFunc(blockRules[ri].fields, geographic))
			any = any || free[k]
		}
		if !any {
			continue
		}
		f, err := runEM(ctx, p, pats, u, maxIter, emSpec{free: free})
		if err != nil {
			return nil, err
		}
		for k := range nf {
			if !free[k] || f.matches <= 0 {
				continue
			}
			for l := range f.m[k] {
				sum[k][l] += f.matches * f.m[k][l]
			}
			weight[k] += f.matches
		}
	}
	var whole *fit
	m := make([][]float64, nf)
	for k := range nf {
		if weight[k] > 0 {
			m[k] = make([]float64, len(sum[k]))
			for l := range sum[k] {
				m[k][l] = sum[k][l] / weight[k]
			}
			continue
		}
		if whole == nil {
			var err error
			if whole, err = runEM(ctx, p, all, u, maxIter, emSpec{}); err != nil {
				return nil, err
			}
		}
		m[k] = whole.m[k]
	}
	return runEM(ctx, p, all, u, maxIter, emSpec{fixedM: m})
}

func (f *fit) weights() {
	for k := range f.m {
		for l := 1; l < len(f.m[k]); l++ {
			f.w[k][l] = math.Log2(f.m[k][l] / f.u[k][l])
		}
	}
}

// prob turns a weight in bits into a probability: 2^w / (1 + 2^w).
func prob(w float64) float64 { return 1 / (1 + math.Exp2(-w)) }

func clamp(v, lo, hi float64) float64 { return min(max(v, lo), hi) }
