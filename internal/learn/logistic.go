package learn

import (
	"context"
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"
)

// l2 is the ridge penalty ½·l2·‖w‖² on the logistic weights (not the
// intercept). Every input is standardised or a 0/1 indicator, so one fixed
// strength suits any file: 1 is weak next to tens of thousands of rows
// yet keeps the weight of a rare level or bin from running off, and keeps
// the Newton system solvable when bins and levels are collinear.
const l2 = 1.0

// logistic is an L2-regularised logistic regression on the encoded
// design (see design).
type logistic struct {
	Offsets []int // first design column of each feature
	Width   int
	W       []float64
	B       float64
}

// sparseRows is the encoded design in compressed rows: row i's non-zero
// columns are Idx[Ptr[i]:Ptr[i+1]] with values Val[...].
type sparseRows struct {
	Ptr []int
	Idx []int32
	Val []float64
}

// layout assigns design columns: a numeric feature gets its standardised
// value, a missing indicator when training had missing values, and one
// indicator per bin; a category one indicator per level.
func layout(feats []*feature) (offsets []int, width int) {
	offsets = make([]int, len(feats))
	for i, f := range feats {
		offsets[i] = width
		if f.Numeric {
			width += 1 + len(f.Cuts) + 1
			if f.HasMissing {
				width++
			}
		} else {
			width += len(f.Levels)
		}
	}
	return offsets, width
}

// encode builds the design rows for the given table rows.
func encode(feats []*feature, offsets []int, cs []cells, rows []int) sparseRows {
	s := sparseRows{Ptr: make([]int, 1, len(rows)+1)}
	for _, r := range rows {
		for j, f := range feats {
			o := offsets[j]
			if f.Numeric {
				v := cs[j].num[r]
				missing := math.IsNaN(v)
				z := 0.0 // the mean
				if !missing {
					z = (v - f.Mean) / f.SD
				}
				s.Idx = append(s.Idx, int32(o))
				s.Val = append(s.Val, z)
				o++
				if f.HasMissing {
					if missing {
						s.Idx = append(s.Idx, int32(o))
						s.Val = append(s.Val, 1)
					}
					o++
				}
				if !missing {
					s.Idx = append(s.Idx, int32(o+bin(f.Cuts, v)))
					s.Val = append(s.Val, 1)
				}
			} else {
				s.Idx = append(s.Idx, int32(o+f.levelCode(cs[j].txt[r])))
				s.Val = append(s.Val, 1)
			}
		}
		s.Ptr = append(s.Ptr, len(s.Idx))
	}
	return s
}

func sigmoid(z float64) float64 {
	if z >= 0 {
		return 1 / (1 + math.Exp(-z))
	}
	e := math.Exp(z)
	return e / (1 + e)
}

// fitLogistic solves the penalised maximum likelihood by Newton's method
// with step halving. The design is sparse (a few non-zeros per row), so
// each Hessian costs rows × non-zeros², and the solve is a Cholesky of
// width × width.
func fitLogistic(ctx context.Context, feats []*feature, cs []cells, y []bool, progress func(done, total int)) (*logistic, error) {
	offsets, width := layout(feats)
	x := encode(feats, offsets, cs, seq(len(y)))
	p := width + 1 // the intercept is the last column
	w := make([]float64, p)
	var pos float64
	for _, v := range y {
		if v {
			pos++
		}
	}
	rate := pos / float64(len(y))
	w[width] = math.Log(rate / (1 - rate))

	margin := func(w []float64, i int) float64 {
		z := w[width]
		for k := x.Ptr[i]; k < x.Ptr[i+1]; k++ {
			z += w[x.Idx[k]] * x.Val[k]
		}
		return z
	}
	loss := func(w []float64) float64 {
		var l float64
		for i := range y {
			z := margin(w, i)
			// log(1+e^z) - y·z, written to stay finite.
			l += math.Max(z, 0) + math.Log1p(math.Exp(-math.Abs(z)))
			if y[i] {
				l -= z
			}
		}
		for _, v := range w[:width] {
			l += 0.5 * l2 * v * v
		}
		return l
	}

	const maxIter = 30
	cur := loss(w)
	h := mat.NewSymDense(p, nil)
	g := make([]float64, p)
	for it := range maxIter {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if progress != nil {
			progress(it, maxIter)
		}
		hd := h.RawSymmetric().Data
		clear(hd)
		clear(g)
		for i := range y {
			pr := sigmoid(margin(w, i))
			resid, wt := pr, pr*(1-pr)
			if y[i] {
				resid--
			}
			lo, hi := x.Ptr[i], x.Ptr[i+1]
			for a := lo; a < hi; a++ {
				ia, va := int(x.Idx[a]), x.Val[a]
				g[ia] += resid * va
				row := hd[ia*p:]
				for b := lo; b < hi; b++ {
					row[x.Idx[b]] += wt * va * x.Val[b]
				}
				row[width] += wt * va
			}
			g[width] += resid
			hd[width*p+width] += wt
			for a := lo; a < hi; a++ {
				hd[width*p+int(x.Idx[a])] += wt * x.Val[a]
			}
		}
		for j := range width {
			g[j] += l2 * w[j]
			hd[j*p+j] += l2
		}
		hd[width*p+width] += 1e-9
		var chol mat.Cholesky
		if ok := chol.Factorize(h); !ok {
			return nil, fmt.Errorf("the logistic fit could not be solved (the inputs are degenerate)")
		}
		step := mat.NewVecDense(p, nil)
		if err := chol.SolveVecTo(step, mat.NewVecDense(p, g)); err != nil {
			return nil, fmt.Errorf("solving the logistic step: %w", err)
		}
		next := make([]float64, p)
		var nl float64
		for t := 1.0; ; t /= 2 {
			for j := range next {
				next[j] = w[j] - t*step.AtVec(j)
			}
			nl = loss(next)
			if nl <= cur || t < 1e-4 {
				break
			}
		}
		maxStep := 0.0
		for j := range w {
			maxStep = math.Max(maxStep, math.Abs(next[j]-w[j]))
		}
		w, cur = next, math.Min(nl, cur)
		if maxStep < 1e-6 {
			break
		}
	}
	return &logistic{Offsets: offsets, Width: width, W: w[:width], B: w[width]}, nil
}

// score returns the probability of every row of the table.
func (m *logistic) score(feats []*feature, cs []cells, n int) []float64 {
	all := make([]int, n)
	for i := range all {
		all[i] = i
	}
	x := encode(feats, m.Offsets, cs, all)
	out := make([]float64, n)
	for r := range n {
		z := m.B
		for k := x.Ptr[r]; k < x.Ptr[r+1]; k++ {
			z += m.W[x.Idx[k]] * x.Val[k]
		}
		out[r] = sigmoid(z)
	}
	return out
}
