package demo

import "math/rand/v2"

// streamCrossSell is the random stream of the cross-sell plant.
const streamCrossSell uint64 = 0x4353

// CrossSellFact describes the planted cross-sell pattern.
type CrossSellFact struct{}

// plantCrossSell plants the cross-sell pattern in the holdings.
func plantCrossSell(r *rand.Rand, w *world) {}
