package uplift

import (
	"cmp"
	"slices"
)

// rank orders rows by predicted uplift, highest first. Ties go to the later
// row first: that is what scikit-uplift's reversed stable sort does, and
// matching it keeps figures comparable on data with tied scores.
func rank(score []float64) []int {
	idx := make([]int, len(score))
	for i := range idx {
		idx[i] = i
	}
	slices.SortStableFunc(idx, func(a, b int) int { return cmp.Compare(score[a], score[b]) })
	slices.Reverse(idx)
	return idx
}

// prefix holds running counts over ranked rows: after the first i rows,
// nt treated of whom rt responded, nc control of whom rc responded.
type prefix struct {
	nt, rt, nc, rc float64
}

func (p prefix) all() float64 { return p.nt + p.nc }

// gain is the Qini curve's value: treated responders minus control
// responders scaled to the treated count, i.e. the responses the
// treatment added among the rows so far.
func (p prefix) gain() float64 {
	if p.nc == 0 {
		return p.rt
	}
	return p.rt - p.rc*p.nt/p.nc
}

// lift is the uplift curve's value: the difference in response rates
// among the rows so far, times their number.
func (p prefix) lift() float64 {
	var tr, cr float64
	if p.nt > 0 {
		tr = p.rt / p.nt
	}
	if p.nc > 0 {
		cr = p.rc / p.nc
	}
	return (tr - cr) * p.all()
}

func (p *prefix) add(y, treated bool) {
	if treated {
		p.nt++
		if y {
			p.rt++
		}
		return
	}
	p.nc++
	if y {
		p.rc++
	}
}
