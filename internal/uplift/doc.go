// Package uplift finds the people a treatment (an e-mail, a call, an
// offer) actually changes, rather than the people who would respond
// anyway. A propensity model answers "who will buy?"; an uplift model
// answers "who will buy because we contacted them?", which is the question
// a budget or a sales team's time should follow.
//
// Uplift is learnt from a randomised experiment: some people were treated,
// a comparable control group was not. Two ways of learning it are built on
// the propensity models of internal/learn (no learner of its own):
//
//   - two-model (the "T-learner"): one model of the response among the
//     treated, one among the control; uplift = P(y | treated) − P(y | control).
//   - class-transform: one model of Z = T·Y + (1−T)(1−Y) ("treated and
//     responded, or control and did not"); with half the rows treated,
//     uplift = 2·P(Z) − 1. When the arms are unequal the training rows are
//     balanced by drawing the larger arm down to the size of the smaller,
//     so the identity still holds (at the cost of unused rows).
//
// The metrics follow scikit-uplift, so figures can be set beside published
// ones: uplift@k ("overall" strategy), the Qini curve and its normalised
// area (the Qini coefficient), and the normalised area under the uplift
// curve (AUUC). Definitions are on each function and in
// docs/next-best-action.md.
package uplift
