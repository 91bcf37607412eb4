package basket

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"math/bits"
	"slices"
	"strconv"
)

// Options says which itemsets count as frequent.
type Options struct {
	// MinSupport is the smallest share of baskets (0 < s ≤ 1) an itemset
	// must be in. Required.
	MinSupport float64
	// MaxSize is the largest itemset counted; 0 means no limit.
	MaxSize int
	// MaxItemsets stops mining with ErrTooMany once this many itemsets
	// are frequent, so a support set too low for the data fails plainly
	// instead of exhausting memory. Default 2,000,000.
	MaxItemsets int
}

// ErrTooMany: the minimum support lets through more itemsets than
// Options.MaxItemsets.
var ErrTooMany = errors.New("too many frequent itemsets")

// Itemset is a set of items found together in Count baskets.
type Itemset struct {
	Items   []string `json:"items"`
	Count   int      `json:"baskets"`
	Support float64  `json:"support"`
}

// Result is the frequent itemsets of a set of baskets.
type Result struct {
	Baskets  int       // N, the number of baskets
	Items    int       // distinct items in any basket
	Itemsets []Itemset // by size, then item names
	count    map[string]int
	names    []string
	sets     [][]int // item indexes of each itemset, parallel to Itemsets
}

// Mine counts every itemset held by at least opt.MinSupport of the
// baskets.
func Mine(ctx context.Context, t *Transactions, opt Options) (*Result, error) {
	if !(opt.MinSupport > 0 && opt.MinSupport <= 1) {
		return nil, fmt.Errorf("minimum support %v: give a share of baskets above 0 and at most 1, e.g. 0.05 for 5%%", opt.MinSupport)
	}
	if opt.MaxItemsets <= 0 {
		opt.MaxItemsets = 2_000_000
	}
	n := t.Len()
	res := &Result{Baskets: n, Items: len(t.Items), count: map[string]int{}, names: t.Items}
	if n == 0 {
		return res, nil
	}
	words := (n + 63) / 64
	cols := make([][]uint64, len(t.Items))
	for i := range cols {
		cols[i] = make([]uint64, words)
	}
	for b, items := range t.Baskets {
		for _, it := range items {
			cols[it][b/64] |= 1 << (b % 64)
		}
	}
	frequent := func(c int) bool { return float64(c)/float64(n) >= opt.MinSupport }
	var first []cand
	for i, c := range cols {
		if k := popcount(c); frequent(k) {
			first = append(first, cand{item: i, bits: c, count: k})
		}
	}
	m := &miner{ctx: ctx, res: res, frequent: frequent, opt: opt, words: words}
	if err := m.grow(nil, first); err != nil {
		return nil, err
	}
	order := make([]int, len(res.Itemsets))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int {
		return cmp.Or(cmp.Compare(len(res.sets[a]), len(res.sets[b])), slices.Compare(res.sets[a], res.sets[b]))
	})
	sets, isets := make([][]int, len(order)), make([]Itemset, len(order))
	for i, o := range order {
		sets[i], isets[i] = res.sets[o], res.Itemsets[o]
	}
	res.sets, res.Itemsets = sets, isets
	return res, nil
}

// cand is an itemset's last item with the baskets holding the whole set.
type cand struct {
	item  int
	bits  []uint64
	count int
}

type miner struct {
	ctx      context.Context
	res      *Result
	frequent func(int) bool
	opt      Options
	words    int
	steps    int
}

// grow records prefix+c for every candidate c and extends each with the
// candidates after it (items stay in increasing order, so every set is
// visited once).
func (m *miner) grow(prefix []int, cands []cand) error {
	for i, c := range cands {
		if m.steps++; m.steps%1024 == 0 {
			if err := m.ctx.Err(); err != nil {
				return err
			}
		}
		set := append(slices.Clone(prefix), c.item)
		m.record(set, c.count)
		if len(m.res.Itemsets) > m.opt.MaxItemsets {
			return fmt.Errorf("%w: more than %d at this minimum support; raise it", ErrTooMany, m.opt.MaxItemsets)
		}
		if m.opt.MaxSize > 0 && len(set) >= m.opt.MaxSize {
			continue
		}
		var next []cand
		for _, d := range cands[i+1:] {
			b := make([]uint64, m.words)
			k := 0
			for w := range b {
				b[w] = c.bits[w] & d.bits[w]
				k += bits.OnesCount64(b[w])
			}
			if m.frequent(k) {
				next = append(next, cand{item: d.item, bits: b, count: k})
			}
		}
		if len(next) > 0 {
			if err := m.grow(set, next); err != nil {
				return err
			}
		}
	}
	return nil
}

func (m *miner) record(set []int, count int) {
	names := make([]string, len(set))
	for i, it := range set {
		names[i] = m.res.names[it]
	}
	m.res.count[key(set)] = count
	m.res.sets = append(m.res.sets, set)
	m.res.Itemsets = append(m.res.Itemsets, Itemset{Items: names, Count: count, Support: float64(count) / float64(m.res.Baskets)})
}

func popcount(b []uint64) int {
	k := 0
	for _, w := range b {
		k += bits.OnesCount64(w)
	}
	return k
}

// key identifies an itemset (increasing item indexes) in Result.count.
func key(set []int) string {
	b := make([]byte, 0, 6*len(set))
	for _, it := range set {
		b = strconv.AppendInt(b, int64(it), 10)
		b = append(b, ',')
	}
	return string(b)
}
