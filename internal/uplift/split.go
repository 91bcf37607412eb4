package uplift

import (
	"fmt"
	"math"
	"math/rand/v2"
)

// Split divides rows into training and test rows, stratified on arm and
// outcome together: each of the four groups (treated responders, treated
// non-responders, control responders, control non-responders) is shuffled
// and the test share taken from each, so both halves keep the experiment's
// proportions. Rows are indices into treated and y; the same seed gives
// the same split.
func Split(treated, y []bool, testShare float64, seed uint64) (train, test []int, err error) {
	if len(treated) != len(y) {
		return nil, nil, fmt.Errorf("%w: %d arms and %d outcomes", ErrInput, len(treated), len(y))
	}
	if !(testShare > 0 && testShare < 1) {
		return nil, nil, fmt.Errorf("%w: the test share must be between 0 and 1 (exclusive), not %g", ErrInput, testShare)
	}
	var groups [4][]int
	for i := range y {
		g := 0
		if treated[i] {
			g += 2
		}
		if y[i] {
			g++
		}
		groups[g] = append(groups[g], i)
	}
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	inTest := make([]bool, len(y))
	for _, g := range groups {
		rng.Shuffle(len(g), func(i, j int) { g[i], g[j] = g[j], g[i] })
		n := int(math.Round(float64(len(g)) * testShare))
		for _, i := range g[:n] {
			inTest[i] = true
		}
	}
	// Rows go out in file order, so --out lists them as the file does.
	for i, t := range inTest {
		if t {
			test = append(test, i)
		} else {
			train = append(train, i)
		}
	}
	return train, test, nil
}
