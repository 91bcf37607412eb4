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

// compare puts records i and j at a level of role r.
func (p *prepared) compare(r Role, i, j int) uint8 {
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
		return nameLevel(sa, sb, p.nick)
	case Surname, Address, Address2, City, Company:
		return jwLevel(sa, sb)
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

func (p *prepared) pattern(i, j int) pattern {
	var pt pattern
	for k, r := range p.active {
		pt |= pattern(p.compare(r, i, j)) << (4 * k)
	}
	return pt
}

func (pt pattern) level(k int) uint8 { return uint8(pt>>(4*k)) & 0xF }

// localityImplied reports whether the pair agrees on street number and
// street. Then agreeing on suburb, postcode, state or second address line
// is expected whoever the people are (a household agrees on all of them),
// and counting each as fresh evidence would score one fact four times.
func (p *prepared) localityImplied(pt pattern) bool {
	if p.kStreetNo < 0 || p.kAddress < 0 {
		return false
	}
	a := pt.level(p.kAddress)
	return pt.level(p.kStreetNo) == 1 && (a == 1 || a == 2)
}

// levelWeight drops the agreement weight of a locality field whose
// agreement the street address already implies; disagreement still counts.
func (p *prepared) levelWeight(w float64, k int, implied bool) float64 {
	if implied && w > 0 && p.locality[k] {
		return 0
	}
	return w
}
