package subgroup

import "math/bits"

// bitset holds one bit per row of a part (discovery or holdout).
type bitset []uint64

func newBitset(n int) bitset { return make(bitset, (n+63)/64) }

func (b bitset) set(i int) { b[i>>6] |= 1 << (uint(i) & 63) }
func (b bitset) count() (n int) {
	for _, w := range b {
		n += bits.OnesCount64(w)
	}
	return n
}

// and writes a AND b into dst and returns dst.
func and(dst, a, b bitset) bitset {
	for i := range dst {
		dst[i] = a[i] & b[i]
	}
	return dst
}

// andCount counts the rows in a AND b, and how many of those are in pos.
func andCount(a, b, pos bitset) (n, p int) {
	for i, w := range a {
		x := w & b[i]
		n += bits.OnesCount64(x)
		p += bits.OnesCount64(x & pos[i])
	}
	return n, p
}

// andNotCount counts the rows in a but not in b, and how many of those are
// in pos.
func andNotCount(a, b, pos bitset) (n, p int) {
	for i, w := range a {
		x := w &^ b[i]
		n += bits.OnesCount64(x)
		p += bits.OnesCount64(x & pos[i])
	}
	return n, p
}

// equal reports whether two bitsets hold the same rows.
func (b bitset) equal(o bitset) bool {
	for i, w := range b {
		if w != o[i] {
			return false
		}
	}
	return true
}
