package subgroup

import "math/rand/v2"

// split divides rows into a discovery and a holdout part, stratified by
// outcome (each part gets the same share of conversions) and reproducible
// from the seed. Both parts come back in row order.
func split(outcome []bool, share float64, seed uint64) (disc, hold []int) {
	r := rand.New(rand.NewPCG(seed, 0x5e9))
	inDisc := make([]bool, len(outcome))
	for _, want := range []bool{true, false} {
		var rows []int
		for i, o := range outcome {
			if o == want {
				rows = append(rows, i)
			}
		}
		r.Shuffle(len(rows), func(i, j int) { rows[i], rows[j] = rows[j], rows[i] })
		k := int(float64(len(rows))*share + 0.5)
		for _, i := range rows[:k] {
			inDisc[i] = true
		}
	}
	for i, d := range inDisc {
		if d {
			disc = append(disc, i)
		} else {
			hold = append(hold, i)
		}
	}
	return disc, hold
}
