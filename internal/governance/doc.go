// Package governance decides, for every proposal, whether it may run on
// its own, needs a person's approval, or must not happen.
//
// This first part decides from autonomy levels alone: each action kind has
// a default level, an agent may override it, and a proposal gets the
// strictest verdict of its actions. Policy rules (CEL), earned autonomy,
// caps, the circuit breaker and the kill switch build on the same Decide.
package governance
