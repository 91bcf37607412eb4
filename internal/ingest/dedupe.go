package ingest

import "hash/maphash"

// dedupe remembers the natural keys seen in a file and the line each was
// first on, so a second row with the same key is refused with a pointer
// to the first. Keys are kept as 128-bit hashes rather than strings: a
// million-row people file costs ~30 MB instead of holding every key (and,
// through substrings, every row). Two different keys colliding in 128
// bits is not a practical concern (about 1 in 10^27 for a million keys).
type dedupe struct {
	seeds [2]maphash.Seed
	h     [2]maphash.Hash
	first map[[2]uint64]int64
}

func newDedupe() *dedupe {
	d := &dedupe{seeds: [2]maphash.Seed{maphash.MakeSeed(), maphash.MakeSeed()}, first: map[[2]uint64]int64{}}
	d.h[0].SetSeed(d.seeds[0])
	d.h[1].SetSeed(d.seeds[1])
	return d
}

// add appends one part of the current key.
func (d *dedupe) add(part string) {
	for i := range d.h {
		d.h[i].WriteString(part)
		d.h[i].WriteByte(0) // separator: ("ab","c") and ("a","bc") differ
	}
}

// seen ends the current key: it returns the line the key was first seen
// on, or records line as its first and returns 0.
func (d *dedupe) seen(line int64) int64 {
	k := [2]uint64{d.h[0].Sum64(), d.h[1].Sum64()}
	d.h[0].Reset()
	d.h[1].Reset()
	if first, ok := d.first[k]; ok {
		return first
	}
	d.first[k] = line
	return 0
}
