package demo

import "math/rand/v2"

// streamRouting is the random stream of the routing plants.
const streamRouting uint64 = 0x5254

// RoutingFact describes one planted routing case.
type RoutingFact struct{}

// plantRouting plants the buying signals and who should act on them.
func plantRouting(r *rand.Rand, w *world) {}
