package subgroup

import "context"

// candidate is a conjunction found on the discovery part: up to three
// selector indexes (-1 when unused) with its counts and p-value.
type candidate struct {
	sel  [3]int32
	n, p int32
	pval float64
	z    float64
}

func (c candidate) depth() int {
	d := 0
	for _, s := range c.sel {
		if s >= 0 {
			d++
		}
	}
	return d
}

// searchSpace is the discovery part as the search sees it.
type searchSpace struct {
	sels    []selector
	pos     bitset // converting discovery rows
	N, P    int    // discovery rows and conversions
	minSize int
	depth   int
	alpha   float64 // candidates with a p-value above this cannot pass BH and are not kept
	// zKeep is the z a part of a subgroup must reach in the redundancy
	// checks: the discovery test's own Benjamini–Hochberg level, so a
	// subgroup's own contribution clears the bar the subgroup did.
	zKeep float64
}

// search evaluates every conjunction of up to depth selectors on distinct
// columns whose members number at least minSize (and leave at least
// minSize outside). A conjunction that holds the same rows as its prefix
// is the same hypothesis and is not counted again. It returns the
// candidates with p <= alpha and how many hypotheses were tested in all.
// Pruning on size is exact: adding a condition never adds members.
func (s *searchSpace) search(ctx context.Context) ([]candidate, int, error) {
	var out []candidate
	tested := 0
	words := len(s.pos)
	pair := make(bitset, words)
	consider := func(sel [3]int32, n, p int) {
		if n < s.minSize || s.N-n < s.minSize {
			return
		}
		tested++
		rateIn := float64(p) / float64(n)
		rateOut := float64(s.P-p) / float64(s.N-n)
		if rateIn <= rateOut {
			return // p >= 0.5
		}
		z := zscore(n, p, s.N-n, s.P-p)
		if pv := pOfZ(z); pv <= s.alpha {
			out = append(out, candidate{sel: sel, n: int32(n), p: int32(p), pval: pv, z: z})
		}
	}
	for i := range s.sels {
		if err := ctx.Err(); err != nil {
			return nil, 0, err
		}
		a := s.sels[i]
		n, p := a.n, a.p
		consider([3]int32{int32(i), -1, -1}, n, p)
		if s.depth < 2 {
			continue
		}
		for j := i + 1; j < len(s.sels); j++ {
			b := s.sels[j]
			if b.col == a.col {
				continue
			}
			and(pair, a.disc, b.disc)
			nij, pij := andCount(pair, pair, s.pos)
			if nij < s.minSize {
				continue
			}
			if nij != n && nij != b.n {
				consider([3]int32{int32(i), int32(j), -1}, nij, pij)
			}
			if s.depth < 3 {
				continue
			}
			for k := j + 1; k < len(s.sels); k++ {
				c := s.sels[k]
				if c.col == a.col || c.col == b.col {
					continue
				}
				nk, pk := andCount(pair, c.disc, s.pos)
				if nk == nij {
					continue
				}
				consider([3]int32{int32(i), int32(j), int32(k)}, nk, pk)
			}
		}
	}
	return out, tested, nil
}
