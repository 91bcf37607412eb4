package learn

import (
	"context"
	"math"
	"slices"
)

// Boosting settings. They were fixed once on the bank benchmark's
// training rows (see docs/propensity.md) and are not tuned per file:
// shallow trees and a small learning rate with early stopping are the
// usual safe choice on tabular marketing data.
const (
	boostRate     = 0.05 // shrinkage: each tree adds 5% of its fitted correction
	boostDepth    = 5    // at most 32 leaves; interactions of up to five columns
	boostRounds   = 800  // upper bound; early stopping usually ends sooner
	boostPatience = 50   // rounds without a better held-out loss before stopping
	boostSample   = 0.8  // share of training rows each tree sees
	boostLambda   = 1.0  // L2 on leaf values
	boostMinLeaf  = 40   // rows a leaf needs, so a leaf is not a handful of calls
	boostValid    = 0.1  // share of training rows held out for early stopping
)

// boosted is gradient-boosted regression trees on the log-odds.
type boosted struct {
	Base  float64
	Trees [][]node
}

// node is a tree node: rows whose bin of Feat is in the Left set go to
// L, the others to R; a leaf (L < 0) adds Value to the log-odds. A bin
// set covers numeric ranges (with missing on either side) and any group
// of category levels alike.
type node struct {
	Feat  int
	Left  uint64
	L, R  int32
	Value float64
}

// codes bins every feature's cells: numeric by the fine quantile cuts
// (missing last), categories by level code.
func codes(feats []*feature, cs []cells, n int) (out [][]uint8, nbins []int) {
	out, nbins = make([][]uint8, len(feats)), make([]int, len(feats))
	for j, f := range feats {
		c := make([]uint8, n)
		if f.Numeric {
			nbins[j] = len(f.BoostCuts) + 2
			for i := range n {
				c[i] = uint8(bin(f.BoostCuts, cs[j].num[i]))
			}
		} else {
			nbins[j] = len(f.Levels)
			for i := range n {
				c[i] = uint8(f.levelCode(cs[j].txt[i]))
			}
		}
		out[j] = c
	}
	return out, nbins
}

func (b *boosted) predict(x [][]uint8, i int, trees [][]node) float64 {
	z := b.Base
	for _, t := range trees {
		z += walk(t, x, i)
	}
	return z
}

func walk(t []node, x [][]uint8, i int) float64 {
	k := int32(0)
	for t[k].L >= 0 {
		if t[k].Left&(1<<x[t[k].Feat][i]) != 0 {
			k = t[k].L
		} else {
			k = t[k].R
		}
	}
	return t[k].Value
}

// fitBoosted grows trees on the gradient of the log loss, holding out a
// stratified share of the rows to stop when the held-out loss no longer
// improves; the trees up to the best round are kept.
func fitBoosted(ctx context.Context, feats []*feature, cs []cells, y []bool, seed uint64, progress func(done, total int)) (*boosted, error) {
	x, nbins := codes(feats, cs, len(y))
	numeric := make([]bool, len(feats))
	for j, f := range feats {
		numeric[j] = f.Numeric
	}
	train, valid := StratifiedSplit(y, boostValid, seed^0xb00)
	var pos float64
	for _, i := range train {
		if y[i] {
			pos++
		}
	}
	rate := math.Min(math.Max(pos/float64(len(train)), 1e-6), 1-1e-6)
	b := &boosted{Base: math.Log(rate / (1 - rate))}
	f := make([]float64, len(y))
	for i := range f {
		f[i] = b.Base
	}
	g, h := make([]float64, len(y)), make([]float64, len(y))
	r := newRand(seed ^ 0x5eed)
	best, bestLoss, since := 0, math.Inf(1), 0
	sample := make([]int32, 0, len(train))
	for round := range boostRounds {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if progress != nil && round%10 == 0 {
			progress(round, boostRounds)
		}
		sample = sample[:0]
		for _, i := range train {
			if r.Float64() < boostSample {
				sample = append(sample, int32(i))
			}
			p := sigmoid(f[i])
			g[i], h[i] = p, p*(1-p)
			if y[i] {
				g[i]--
			}
		}
		t := growTree(x, nbins, numeric, g, h, sample)
		b.Trees = append(b.Trees, t)
		for i := range f {
			f[i] += walk(t, x, i)
		}
		loss := 0.0
		for _, i := range valid {
			z := f[i]
			loss += math.Max(z, 0) + math.Log1p(math.Exp(-math.Abs(z)))
			if y[i] {
				loss -= z
			}
		}
		if loss < bestLoss-1e-9 {
			best, bestLoss, since = round+1, loss, 0
		} else if since++; since >= boostPatience {
			break
		}
	}
	b.Trees = b.Trees[:max(best, 1)]
	return b, nil
}

// split is a candidate split of one node.
type split struct {
	gain   float64
	feat   int
	left   uint64
	gl, hl float64
}

type binStat struct {
	g, h float64
	n    int
}

// growTree grows one depth-limited tree level by level on histograms of
// the sampled rows.
func growTree(x [][]uint8, nbins []int, numeric []bool, g, h []float64, rows []int32) []node {
	type open struct {
		id   int32
		rows []int32
		g, h float64
	}
	var G, H float64
	for _, i := range rows {
		G += g[i]
		H += h[i]
	}
	t := []node{{L: -1, R: -1, Value: leafValue(G, H)}}
	level := []open{{0, rows, G, H}}
	hist := make([]binStat, 64)
	for depth := 0; depth < boostDepth && len(level) > 0; depth++ {
		var next []open
		for _, o := range level {
			if len(o.rows) < 2*boostMinLeaf {
				continue
			}
			best := split{gain: 1e-9, feat: -1}
			for j, col := range x {
				clear(hist[:nbins[j]])
				for _, i := range o.rows {
					s := &hist[col[i]]
					s.g += g[i]
					s.h += h[i]
					s.n++
				}
				bestOf(hist[:nbins[j]], j, numeric[j], o.g, o.h, len(o.rows), &best)
			}
			if best.feat < 0 {
				continue
			}
			var lr, rr []int32
			col := x[best.feat]
			for _, i := range o.rows {
				if best.left&(1<<col[i]) != 0 {
					lr = append(lr, i)
				} else {
					rr = append(rr, i)
				}
			}
			l, r := int32(len(t)), int32(len(t)+1)
			gr, hr := o.g-best.gl, o.h-best.hl
			t = append(t, node{L: -1, R: -1, Value: leafValue(best.gl, best.hl)},
				node{L: -1, R: -1, Value: leafValue(gr, hr)})
			t[o.id].Feat, t[o.id].Left, t[o.id].L, t[o.id].R = best.feat, best.left, l, r
			next = append(next, open{l, lr, best.gl, best.hl}, open{r, rr, gr, hr})
		}
		level = next
	}
	return t
}

func leafValue(g, h float64) float64 { return -boostRate * g / (h + boostLambda) }

func score2(g, h float64) float64 { return g * g / (h + boostLambda) }

// bestOf updates best with the best split of one feature's histogram.
// A numeric feature's bins are ordered with missing last: the left side
// is a range of low bins, with the missing bin on whichever side gains
// more. A category's bins are ordered by their mean gradient, which
// finds the best two-group split for this loss.
func bestOf(hist []binStat, feat int, numeric bool, G, H float64, n int, best *split) {
	parent := score2(G, H)
	try := func(mask uint64, gl, hl float64, nl int) {
		if nl < boostMinLeaf || n-nl < boostMinLeaf {
			return
		}
		if gain := score2(gl, hl) + score2(G-gl, H-hl) - parent; gain > best.gain {
			*best = split{gain: gain, feat: feat, left: mask, gl: gl, hl: hl}
		}
	}
	order := make([]int, 0, len(hist))
	for b, s := range hist {
		if s.n > 0 {
			order = append(order, b)
		}
	}
	if numeric {
		miss := hist[len(hist)-1]
		var mask uint64
		var gl, hl float64
		nl := 0
		for b := 0; b < len(hist)-2; b++ {
			s := hist[b]
			mask |= 1 << b
			gl, hl, nl = gl+s.g, hl+s.h, nl+s.n
			if s.n == 0 {
				continue
			}
			try(mask, gl, hl, nl)
			if miss.n > 0 {
				try(mask|1<<(len(hist)-1), gl+miss.g, hl+miss.h, nl+miss.n)
			}
		}
		return
	}
	slices.SortStableFunc(order, func(a, b int) int {
		ra, rb := hist[a].g/(hist[a].h+boostLambda), hist[b].g/(hist[b].h+boostLambda)
		switch {
		case ra < rb:
			return -1
		case ra > rb:
			return 1
		}
		return 0
	})
	var mask uint64
	var gl, hl float64
	nl := 0
	for _, b := range order[:max(len(order)-1, 0)] {
		mask |= 1 << b
		gl, hl, nl = gl+hist[b].g, hl+hist[b].h, nl+hist[b].n
		try(mask, gl, hl, nl)
	}
}

func (b *boosted) score(feats []*feature, cs []cells, n int) []float64 {
	x, _ := codes(feats, cs, n)
	out := make([]float64, n)
	for i := range out {
		out[i] = sigmoid(b.predict(x, i, b.Trees))
	}
	return out
}
