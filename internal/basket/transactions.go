package basket

import (
	"slices"
	"strings"
)

// Transactions is a set of baskets. Items are sorted by name; each basket
// lists the indexes of its items in increasing order. A basket may be
// empty (every line in it was returned or excluded): it still counts
// towards N, as it does in the usual one-hot encoding of a basket table.
type Transactions struct {
	IDs     []string // basket ids, in the order first seen
	Items   []string // item names, sorted
	Baskets [][]int  // per basket, its item indexes, increasing
}

// Len is the number of baskets.
func (t *Transactions) Len() int { return len(t.Baskets) }

// Builder collects basket lines. The zero value is not usable; call
// NewBuilder.
type Builder struct {
	exclude  map[string]bool
	basketIx map[string]int
	ids      []string
	itemIx   map[string]int
	names    []string
	qty      []map[int]float64 // per basket: item index → total quantity
}

// NewBuilder returns a Builder that leaves out the items named in exclude
// (compared ignoring case and surrounding spaces), e.g. a postage line
// that is on nearly every invoice and says nothing about what sells with
// what.
func NewBuilder(exclude []string) *Builder {
	b := &Builder{exclude: map[string]bool{}, basketIx: map[string]int{}, itemIx: map[string]int{}}
	for _, e := range exclude {
		b.exclude[foldItem(e)] = true
	}
	return b
}

func foldItem(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

// Excluded reports whether item is one the builder leaves out.
func (b *Builder) Excluded(item string) bool { return b.exclude[foldItem(item)] }

// Add records qty of item in basket. Quantities of the same item in the
// same basket are summed; the item is in the basket when the total is
// above zero. An excluded item still registers its basket.
func (b *Builder) Add(basket, item string, qty float64) {
	bi, ok := b.basketIx[basket]
	if !ok {
		bi = len(b.ids)
		b.basketIx[basket] = bi
		b.ids = append(b.ids, basket)
		b.qty = append(b.qty, map[int]float64{})
	}
	if b.Excluded(item) {
		return
	}
	ii, ok := b.itemIx[item]
	if !ok {
		ii = len(b.names)
		b.itemIx[item] = ii
		b.names = append(b.names, item)
	}
	b.qty[bi][ii] += qty
}

// Build returns the baskets collected so far. Items never above zero in
// any basket are dropped from Items.
func (b *Builder) Build() *Transactions {
	used := make([]bool, len(b.names))
	for _, m := range b.qty {
		for ii, q := range m {
			if q > 0 {
				used[ii] = true
			}
		}
	}
	var names []string
	for ii, n := range b.names {
		if used[ii] {
			names = append(names, n)
		}
	}
	slices.Sort(names)
	rank := make(map[string]int, len(names))
	for i, n := range names {
		rank[n] = i
	}
	t := &Transactions{IDs: slices.Clone(b.ids), Items: names, Baskets: make([][]int, len(b.qty))}
	for bi, m := range b.qty {
		items := make([]int, 0, len(m))
		for ii, q := range m {
			if q > 0 {
				items = append(items, rank[b.names[ii]])
			}
		}
		slices.Sort(items)
		t.Baskets[bi] = items
	}
	return t
}
