package linkage

// Comparison levels. Level 0 is always "missing" (weight 0) and level 1
// "exact"; the last is "different". Between them, each role has the partial
// agreements that carry evidence for it.
var levelNames = [numRoles][]string{
	GivenName:    {"missing", "exact", "jaro-winkler>=0.92", "jaro-winkler>=0.80", "nickname", "initial", "different"},
	Surname:      {"missing", "exact", "jaro-winkler>=0.92", "jaro-winkler>=0.80", "different"},
	Email:        {"missing", "exact", "same local part", "different"},
	Phone:        {"missing", "exact", "same last 9 digits", "one digit off", "different"},
	StreetNumber: {"missing", "exact", "one character off", "different"},
	Address:      {"missing", "exact", "jaro-winkler>=0.92", "jaro-winkler>=0.80", "different"},
	Address2:     {"missing", "exact", "jaro-winkler>=0.92", "jaro-winkler>=0.80", "different"},
	City:         {"missing", "exact", "jaro-winkler>=0.92", "jaro-winkler>=0.80", "different"},
	Postcode:     {"missing", "exact", "one character off", "different"},
	State:        {"missing", "exact", "different"},
	DateOfBirth:  {"missing", "exact", "day and month swapped", "one digit off", "same year", "different"},
	Company:      {"missing", "exact", "jaro-winkler>=0.92", "jaro-winkler>=0.80", "different"},
	ExternalID:   {"missing", "exact", "one character off", "different"},
}

// tfRoles get the term-frequency adjustment on exact agreement: values of
// these fields are far from equally common.
var tfRoles = [numRoles]bool{GivenName: true, Surname: true, City: true, Postcode: true,
	Address: true, Company: true}

// levelCache remembers the level of recent pairs of distinct values of the
// string-similarity fields: names and streets repeat across millions of
// pairs, and Jaro–Winkler is most of the cost of a comparison. Direct
// mapped, one per worker, no locks; a collision just recomputes.
type levelCache struct {
	keys []uint64
	vals []uint8
}

const levelCacheBits = 20

func newLevelCache() *levelCache {
	return &levelCache{keys: make([]uint64, 1<<levelCacheBits), vals: make([]uint8, 1<<levelCacheBits)}
}

// cached returns the level of values a and b of role r, computing it with
// f on a miss. Value ids stay below 2^29 (half a billion distinct values).
func (c *levelCache) cached(r Role, a, b uint32, f func() uint8) uint8 {
	if c == nil || a >= 1<<29 || b >= 1<<29 {
		return f()
	}
	if a > b {
		a, b = b, a
	}
	key := uint64(r)<<58 | uint64(a)<<29 | uint64(b)
	slot := (key * 0x9e3779b97f4a7c15) >> (64 - levelCacheBits)
	if c.keys[slot] == key {
		return c.vals[slot]
	}
	v := f()
	c.keys[slot], c.vals[slot] = key, v
	return v
}

// compare puts records i and j at a level of role r; c may be nil.
func (p *prepared) compare(c *levelCache, r Role, i, j int) uint8 {
	v := p.vals[r]
	a, b := v[i], v[j]
	if a == 0 || b == 0 {
		return 0
	}
	if a == b {
		return 1
	}
	sa, sb := p.dict[r].strs[a], p.dict[r].strs[b]
	switch r {
	case GivenName:
		return c.cached(r, a, b, func() uint8 { return nameLevel(sa, sb, p.nick) })
	case Surname, Address, Address2, City, Company:
		return c.cached(r, a, b, func() uint8 { return jwLevel(sa, sb) })
	case Email:
		if p.emailLocal[i] == p.emailLocal[j] {
			return 2
		}
		return 3
	case Phone:
		if p.phone9[i] == p.phone9[j] {
			return 2
		}
		if withinOneEdit(p.aux.strs[p.phone9[i]], p.aux.strs[p.phone9[j]]) {
			return 3
		}
		return 4
	case StreetNumber, Postcode, ExternalID:
		if withinOneEdit(sa, sb) {
			return 2
		}
		return 3
	case State:
		return 2
	case DateOfBirth:
		return dateLevel(sa, sb)
	}
	return uint8(len(levelNames[r]) - 1)
}

func jwLevel(a, b string) uint8 {
	if isASCII(a) && isASCII(b) && jwAtMost(a, b) < 0.80 {
		return 4
	}
	s := jaroWinkler(a, b)
	switch {
	case s >= 0.92:
		return 2
	case s >= 0.80:
		return 3
	}
	return 4
}

func nameLevel(a, b string, nick nicknameGroups) uint8 {
	s := jaroWinkler(a, b)
	switch {
	case s >= 0.92:
		return 2
	case s >= 0.80:
		return 3
	case nick.same(a, b):
		return 4
	case (len(a) == 1 || len(b) == 1) && a[0] == b[0]:
		return 5
	}
	return 6
}

// dateLevel compares two YYYYMMDD keys (other shapes only ever agree
// exactly or differ).
func dateLevel(a, b string) uint8 {
	if len(a) != 8 || len(b) != 8 {
		return 5
	}
	if a[:4] == b[:4] && a[4:6] == b[6:8] && a[6:8] == b[4:6] {
		return 2
	}
	diff := 0
	for k := 0; k < 8; k++ {
		if a[k] != b[k] {
			diff++
		}
	}
	if diff == 1 {
		return 3
	}
	if a[:4] == b[:4] {
		return 4
	}
	return 5
}

// pattern is the comparison vector of a pair: 4 bits per active field.
type pattern uint64

func (p *prepared) pattern(c *levelCache, i, j int) pattern {
	var pt pattern
	for k, r := range p.active {
		pt |= pattern(p.compare(c, r, i, j)) << (4 * k)
	}
	return pt
}

func (pt pattern) level(k int) uint8 { return uint8(pt>>(4*k)) & 0xF }

// dependent removes double counting among the geographic fields, whose
// agreements are not independent evidence: a street lies in one suburb,
// postcode and state, and a household agrees on all of them. ws holds each
// field's weight for pattern pt and is changed in place:
//   - when street number and street agree, agreeing on suburb, postcode,
//     state or second address line adds nothing more;
//   - otherwise only the strongest of those agreements counts.
//
// Disagreements always count.
func (p *prepared) dependent(ws []float64, pt pattern) {
	best := -1
	for k, loc := range p.locality {
		if loc && ws[k] > 0 && (best < 0 || ws[k] > ws[best]) {
			best = k
		}
	}
	if best < 0 {
		return
	}
	streetAgrees := false
	if p.kStreetNo >= 0 && p.kAddress >= 0 {
		a := pt.level(p.kAddress)
		streetAgrees = pt.level(p.kStreetNo) == 1 && (a == 1 || a == 2)
	}
	for k, loc := range p.locality {
		if loc && ws[k] > 0 && (streetAgrees || k != best) {
			ws[k] = 0
		}
	}
}
