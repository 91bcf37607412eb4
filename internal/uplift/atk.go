package uplift

import (
	"fmt"
	"math"
)

// AtK is uplift among the top share of rows by predicted uplift.
type AtK struct {
	K           float64 `json:"k"` // share of rows, in (0, 1]
	Rows        int     `json:"rows"`
	Treated     int     `json:"treated"`
	Control     int     `json:"control"`
	TreatedRate float64 `json:"treated_rate"`
	ControlRate float64 `json:"control_rate"`
	// Uplift is TreatedRate − ControlRate.
	Uplift float64 `json:"uplift"`
}

// UpliftAtK ranks every row by score, takes the top ⌊n·k⌋ and returns the
// treated response rate minus the control response rate among them: the
// "overall" strategy of scikit-uplift's uplift_at_k. It fails when the top
// rows hold no treated or no control row, since the rate is then unknown.
func UpliftAtK(score []float64, y, treated []bool, k float64) (AtK, error) {
	if err := check(score, y, treated); err != nil {
		return AtK{}, err
	}
	if !(k > 0 && k <= 1) {
		return AtK{}, fmt.Errorf("%w: k must be a share between 0 and 1, not %g", ErrInput, k)
	}
	// The small epsilon keeps 0.3 × 10 at 3 although it is 2.999… in
	// floating point; scikit-uplift's int(n*k) floors the same way only
	// when the product is exact.
	n := int(math.Floor(float64(len(score))*k + 1e-9))
	if n == 0 {
		return AtK{}, fmt.Errorf("%w: %g of %d rows is no row", ErrInput, k, len(score))
	}
	var p prefix
	for _, i := range rank(score)[:n] {
		p.add(y[i], treated[i])
	}
	if p.nt == 0 || p.nc == 0 {
		return AtK{}, fmt.Errorf("%w: the top %d rows hold %d treated and %d control rows; both are needed", ErrInput, n, int(p.nt), int(p.nc))
	}
	r := AtK{K: k, Rows: n, Treated: int(p.nt), Control: int(p.nc), TreatedRate: p.rt / p.nt, ControlRate: p.rc / p.nc}
	r.Uplift = r.TreatedRate - r.ControlRate
	return r, nil
}

// Decile is one row of a Qini table: the top Share of rows by predicted
// uplift.
type Decile struct {
	Share   float64 `json:"share"`
	Rows    int     `json:"rows"`
	Treated int     `json:"treated"`
	Control int     `json:"control"`
	// TreatedRate and ControlRate are response rates among those rows
	// (0 when an arm has none there).
	TreatedRate float64 `json:"treated_rate"`
	ControlRate float64 `json:"control_rate"`
	// Gain is the Qini curve's value: responses the treatment added among
	// those rows.
	Gain float64 `json:"qini_gain"`
	// Random is what the same number of rows picked at random would add.
	Random float64 `json:"random_gain"`
}

// Deciles cuts the ranked rows at 10%, 20%, … 100% and gives the Qini
// curve's value at each cut, beside random targeting.
func Deciles(score []float64, y, treated []bool) ([]Decile, error) {
	if err := check(score, y, treated); err != nil {
		return nil, err
	}
	order := rank(score)
	var all prefix
	for i := range y {
		all.add(y[i], treated[i])
	}
	total := all.gain()
	out := make([]Decile, 0, 10)
	var p prefix
	j := 0
	for d := 1; d <= 10; d++ {
		share := float64(d) / 10
		n := int(math.Floor(float64(len(order))*share + 1e-9))
		for ; j < n; j++ {
			i := order[j]
			p.add(y[i], treated[i])
		}
		dec := Decile{Share: share, Rows: n, Treated: int(p.nt), Control: int(p.nc), Gain: p.gain(), Random: total * float64(n) / float64(len(order))}
		if p.nt > 0 {
			dec.TreatedRate = p.rt / p.nt
		}
		if p.nc > 0 {
			dec.ControlRate = p.rc / p.nc
		}
		out = append(out, dec)
	}
	return out, nil
}
