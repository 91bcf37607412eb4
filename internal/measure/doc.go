// Package measure says whether each agent is worth its autonomy: the
// scorecards (how often people accept what an agent proposes, how much
// it does on its own, how often people step in, how fast they decide,
// how often its work is undone or fails) and the value it delivers —
// estimated when it proposes, realised when Tower measures afterwards
// whether the effect is still in place.
//
// Everything here is computed from the history the runtime already
// keeps — proposals with their decisions, executions, the audit log and
// the outcomes Realise stores — so a scorecard can always be recomputed
// and checked by hand. Earned autonomy and the circuit breaker read the
// same figures (Compute), so what a leader sees on a scorecard is what
// governance acts on.
package measure
