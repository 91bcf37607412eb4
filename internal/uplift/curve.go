package uplift

import (
	"errors"
	"fmt"
)

// ErrInput reports scores, outcomes and arms that cannot be measured
// (different lengths, no rows, one arm missing).
var ErrInput = errors.New("cannot measure uplift")

// Curve is a cumulative curve over rows ranked by predicted uplift. X[i]
// is the number of rows targeted, Y[i] the curve's value there. It starts
// at (0, 0) and has a point at each change of score (tied rows enter
// together) and at the last row.
type Curve struct {
	X []float64 `json:"x"`
	Y []float64 `json:"y"`
}

// QiniCurve is, after targeting the top X rows, the responses the
// treatment added among them: treated responders − control responders ×
// (treated rows ÷ control rows). It is scikit-uplift's qini_curve.
func QiniCurve(score []float64, y, treated []bool) (Curve, error) {
	return cumulative(score, y, treated, prefix.gain)
}

// UpliftCurve is, after targeting the top X rows, (treated response rate
// − control response rate among them) × X. It is scikit-uplift's
// uplift_curve.
func UpliftCurve(score []float64, y, treated []bool) (Curve, error) {
	return cumulative(score, y, treated, prefix.lift)
}

func cumulative(score []float64, y, treated []bool, value func(prefix) float64) (Curve, error) {
	if err := check(score, y, treated); err != nil {
		return Curve{}, err
	}
	order := rank(score)
	c := Curve{X: []float64{0}, Y: []float64{0}}
	var p prefix
	for j, i := range order {
		p.add(y[i], treated[i])
		if j+1 < len(order) && score[order[j+1]] == score[i] {
			continue
		}
		c.X = append(c.X, p.all())
		c.Y = append(c.Y, value(p))
	}
	return c, nil
}

// Area is the area under the curve by the trapezoidal rule.
func (c Curve) Area() float64 {
	var a float64
	for i := 1; i < len(c.X); i++ {
		a += (c.X[i] - c.X[i-1]) * (c.Y[i] + c.Y[i-1]) / 2
	}
	return a
}

// AboveRandom is the area between the curve and the straight line from
// (0, 0) to its last point, which is what targeting at random would give.
func (c Curve) AboveRandom() float64 {
	if len(c.X) == 0 {
		return 0
	}
	n, end := c.X[len(c.X)-1], c.Y[len(c.Y)-1]
	return c.Area() - n*end/2
}

// QiniCoefficient is the area between the model's Qini curve and random
// targeting, divided by the same area for a perfect ranking (treated
// responders first, control responders last): 1 is perfect, 0 no better
// than random, negative worse. It is scikit-uplift's qini_auc_score with
// negative_effect=True.
func QiniCoefficient(score []float64, y, treated []bool) (float64, error) {
	return normalised(QiniCurve, score, y, treated, perfectQini(y, treated))
}

// AUUC is the area between the model's uplift curve and random
// targeting, divided by the same area for a perfect ranking; scikit-uplift's
// uplift_auc_score.
func AUUC(score []float64, y, treated []bool) (float64, error) {
	return normalised(UpliftCurve, score, y, treated, perfectUplift(y, treated))
}

func normalised(curve func([]float64, []bool, []bool) (Curve, error), score []float64, y, treated []bool, perfect []float64) (float64, error) {
	got, err := curve(score, y, treated)
	if err != nil {
		return 0, err
	}
	best, err := curve(perfect, y, treated)
	if err != nil {
		return 0, err
	}
	den := best.AboveRandom()
	if den == 0 {
		return 0, fmt.Errorf("%w: every ranking scores the same (no responses in one arm?)", ErrInput)
	}
	return got.AboveRandom() / den, nil
}

// perfectQini scores treated responders 1, control responders −1 and
// everyone else 0.
func perfectQini(y, treated []bool) []float64 {
	out := make([]float64, len(y))
	for i := range y {
		switch {
		case y[i] && treated[i]:
			out[i] = 1
		case y[i]:
			out[i] = -1
		}
	}
	return out
}

// perfectUplift is scikit-uplift's perfect_uplift_curve ranking: treated
// responders and control non-responders first, ordered so the bigger of
// the two "bad" groups (control responders, treated non-responders) goes
// last.
func perfectUplift(y, treated []bool) []float64 {
	var cr, tn int
	for i := range y {
		if y[i] && !treated[i] {
			cr++
		}
		if !y[i] && treated[i] {
			tn++
		}
	}
	out := make([]float64, len(y))
	for i := range y {
		v := 0.0
		if y[i] == treated[i] {
			v = 2
		}
		if (cr > tn && y[i]) || (cr <= tn && treated[i]) {
			v++
		}
		out[i] = v
	}
	return out
}

func check(score []float64, y, treated []bool) error {
	if len(score) != len(y) || len(y) != len(treated) {
		return fmt.Errorf("%w: %d scores, %d outcomes and %d arms", ErrInput, len(score), len(y), len(treated))
	}
	if len(score) == 0 {
		return fmt.Errorf("%w: no rows", ErrInput)
	}
	var nt int
	for _, t := range treated {
		if t {
			nt++
		}
	}
	if nt == 0 || nt == len(treated) {
		return fmt.Errorf("%w: the rows need both treated and control people", ErrInput)
	}
	return nil
}
