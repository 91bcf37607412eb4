package subgroup

import (
	"context"
	"slices"
)

// kept is a candidate that survived pruning, with its discovery members.
type kept struct {
	c    candidate
	bits bitset
}

// members returns the discovery rows of the conjunction of the given
// selectors (the first len(idx) that are set).
func (s *searchSpace) members(idx []int32) bitset {
	out := make(bitset, len(s.pos))
	copy(out, s.sels[idx[0]].disc)
	for _, i := range idx[1:] {
		and(out, out, s.sels[i].disc)
	}
	return out
}

func (c candidate) idx() []int32 { return c.sel[:c.depth()] }

// prune walks the significant candidates strongest first and keeps those
// that are not redundant, up to opt.Keep; it returns them and how many it
// dropped. Dropped:
//   - a refinement whose added condition does not raise the rate at least
//     MinGain-fold, and significantly, over the rows that condition
//     removes (for each condition: the rule without it);
//   - a near-duplicate: Jaccard overlap of members >= MaxOverlap with one
//     already kept;
//   - a rule whose lift comes from members of rules already kept: its
//     other members convert no better than everyone else, or, when it lies
//     mostly inside kept rules, it converts no better than the rest of them;
//   - afterwards, a broader rule whose members outside the narrower kept
//     rules it contains convert no better than everyone outside it.
func (s *searchSpace) prune(ctx context.Context, sig []candidate, opt Options) ([]kept, int) {
	var out []kept
	dropped := 0
	u := &union{bits: make(bitset, len(s.pos))}
	for n, c := range sig {
		if len(out) == opt.Keep {
			break
		}
		if n%1024 == 0 && ctx.Err() != nil {
			break
		}
		bits := s.members(c.idx())
		if !s.conditionsPull(c, bits, opt.MinGain) || s.nearDuplicate(bits, c, out, opt.MaxOverlap) || !s.addsToKept(c, bits, out, u, opt.MinGain) {
			dropped++
			continue
		}
		out = append(out, kept{c: c, bits: bits})
		u.add(bits, s.pos)
	}
	final := out[:0:0]
	for i, k := range out {
		if s.explainedByNarrower(i, out) {
			dropped++
			continue
		}
		final = append(final, k)
	}
	return final, dropped
}

// conditionsPull reports whether each condition of c earns its place: the
// rule's rate is at least gain times, and significantly above, the rate of
// the rows the condition removes from the rule without it.
func (s *searchSpace) conditionsPull(c candidate, bits bitset, gain float64) bool {
	idx := c.idx()
	if len(idx) < 2 {
		return true
	}
	rate := float64(c.p) / float64(c.n)
	for drop := range idx {
		rest := slices.Delete(slices.Clone(idx), drop, drop+1)
		nr, pr := andNotCount(s.members(rest), bits, s.pos)
		if nr == 0 {
			return false
		}
		if rate < gain*float64(pr)/float64(nr) || zscore(int(c.n), int(c.p), nr, pr) < s.zKeep {
			return false
		}
	}
	return true
}

func (s *searchSpace) nearDuplicate(bits bitset, c candidate, out []kept, maxJ float64) bool {
	for _, k := range out {
		inter, _ := andCount(bits, k.bits, s.pos)
		union := int(c.n) + int(k.c.n) - inter
		if union > 0 && float64(inter)/float64(union) >= maxJ {
			return true
		}
	}
	return false
}

// explainedByNarrower: out[i]'s conditions are a subset of those of other
// kept rules, and once their members are set aside the rest of out[i]
// converts no better than everyone outside out[i].
func (s *searchSpace) explainedByNarrower(i int, out []kept) bool {
	c := out[i].c
	var union bitset
	for j, k := range out {
		if j == i || !subset(c.idx(), k.c.idx()) {
			continue
		}
		if union == nil {
			union = make(bitset, len(s.pos))
		}
		for w := range union {
			union[w] |= k.bits[w]
		}
	}
	if union == nil {
		return false
	}
	nr, pr := andNotCount(out[i].bits, union, s.pos)
	return zscore(nr, pr, s.N-int(c.n), s.P-int(c.p)) < s.zKeep
}

// subset reports whether every selector of a is in b and b has more.
func subset(a, b []int32) bool {
	if len(a) >= len(b) {
		return false
	}
	for _, x := range a {
		if !slices.Contains(b, x) {
			return false
		}
	}
	return true
}

// confirm tests the kept subgroups on the holdout, with Benjamini–Hochberg
// across them, and fills the report's segments. Kept rules come strongest
// first; a rule that overlaps stronger ones must, on the holdout too, find
// converters beyond them: its members outside the stronger rules must
// convert better than everyone outside all of them (the discovery side of
// this is addsToKept); one wholly inside stronger rules must convert
// better than their other members. Otherwise a broad rule that merely
// contains a strong one, or a slice of one, would be confirmed on the
// strong one's lift.
func confirm(s *searchSpace, posH bitset, nHold int, ks []kept, q float64, rep *Report) {
	PH := posH.count()
	segs := make([]Segment, len(ks))
	ps := make([]float64, len(ks))
	stronger := make(bitset, len(posH))
	for i, k := range ks {
		hb := make(bitset, len(posH))
		copy(hb, s.sels[k.c.sel[0]].hold)
		conds := make([]Condition, 0, 3)
		for _, si := range k.c.idx() {
			and(hb, hb, s.sels[si].hold)
			conds = append(conds, s.sels[si].cond)
		}
		nh, ph := andCount(hb, hb, posH)
		segs[i] = Segment{Conditions: conds, Rule: Rule(conds),
			Discovery: compare(int(k.c.n), int(k.c.p), s.N, s.P),
			Holdout:   compare(nh, ph, nHold, PH),
			All:       compare(int(k.c.n)+nh, int(k.c.p)+ph, s.N+nHold, s.P+PH)}
		ps[i] = segs[i].Holdout.P
		if i > 0 {
			switch nr, pr := andNotCount(hb, stronger, posH); {
			case nr == 0:
				// Wholly inside stronger rules: it must beat their other members.
				ns, pss := andCount(stronger, stronger, posH)
				ps[i] = max(ps[i], pOfZ(zscore(nh, ph, ns-nh, pss-ph)))
			case nr < nh:
				both := make(bitset, len(posH))
				for w := range both {
					both[w] = hb[w] | stronger[w]
				}
				nu, pu := andCount(both, both, posH)
				ps[i] = max(ps[i], pOfZ(zscore(nr, pr, nHold-nu, PH-pu)))
			}
		}
		for w := range stronger {
			stronger[w] |= hb[w]
		}
	}
	cut := bhCutoff(ps, len(ps), q)
	for i, sg := range segs {
		sg.Confirmed = ps[i] <= cut && sg.Holdout.Lift > 1
		if sg.Confirmed {
			rep.Segments = append(rep.Segments, sg)
		} else {
			rep.NotConfirmed = append(rep.NotConfirmed, sg)
		}
	}
	rep.ConfirmedCount = len(rep.Segments)
}

// union is the members of every rule kept so far.
type union struct {
	bits bitset
	n, p int
}

func (u *union) add(b, pos bitset) {
	for i, w := range b {
		u.bits[i] |= w
	}
	u.n, u.p = andCount(u.bits, u.bits, pos)
}

// addsToKept reports whether c finds converters beyond the rules already
// kept. For each kept rule holding most of c's members, c's members
// inside it must convert gain times, and significantly, better than that
// rule's other members (else c is just a slice of it). And c's members
// outside every kept rule must beat the rows outside c and the kept rules
// in the same way (else c's lift is borrowed from them).
func (s *searchSpace) addsToKept(c candidate, bits bitset, out []kept, u *union, gain float64) bool {
	for _, k := range out {
		ni, pi := andCount(bits, k.bits, s.pos)
		if 2*ni < int(c.n) {
			continue
		}
		if !s.beats(ni, pi, int(k.c.n)-ni, int(k.c.p)-pi, gain) {
			return false
		}
	}
	if u.n == 0 {
		return true
	}
	nr, pr := andNotCount(bits, u.bits, s.pos)
	if nr == 0 {
		return true // inside kept rules; judged against them above
	}
	return s.beats(nr, pr, s.N-u.n-nr, s.P-u.p-pr, gain)
}

// beats: p1/n1 is at least gain times p2/n2 and significantly above it at
// the level the discovery test used.
func (s *searchSpace) beats(n1, p1, n2, p2 int, gain float64) bool {
	if n1 == 0 || n2 == 0 {
		return n2 == 0 && n1 > 0
	}
	return float64(p1)/float64(n1) >= gain*float64(p2)/float64(n2) && zscore(n1, p1, n2, p2) >= s.zKeep
}
