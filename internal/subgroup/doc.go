// Package subgroup finds groups of rows that convert far above the rest —
// "retired people contacted by mobile", "Logistics operations staff who
// viewed pricing twice" — and keeps only the ones that would survive a
// second look.
//
// A subgroup is a conjunction of up to three conditions on the columns of
// a dataset.Table: a category level (job = retired), a numeric bin
// (30 <= age < 40) or a one-sided threshold (campaign >= 3). Bins and
// thresholds come from quantiles of the data, or from the values
// themselves when a column holds only a few (counts, 0/1 flags).
//
// Searching thousands of conjunctions finds many that look good by chance,
// so Discover guards against false discoveries three ways:
//
//  1. The rows are split at random, stratified by outcome and with a fixed
//     seed: the search runs on the discovery part (60% by default) only.
//  2. Every conjunction evaluated on the discovery part is a hypothesis
//     (a one-sided test that its rate is above the rate of everyone
//     else); the Benjamini–Hochberg procedure controls the false
//     discovery rate across all of them, and the report says how many
//     were tested.
//  3. The survivors, after redundant ones are removed, are tested again
//     on the held-out part, which played no part in choosing them, with
//     Benjamini–Hochberg across the survivors. Only subgroups that hold
//     there are reported as confirmed.
//
// Redundancy: a refinement that adds a condition without raising the rate
// meaningfully above the rows the condition removes is dropped; so is a
// subgroup whose members mostly (by Jaccard overlap) belong to a better
// one, and a broader rule whose lift comes entirely from a narrower rule
// already kept.
//
// Columns that describe protected characteristics (age, sex, race,
// religion, marital status, health and the like; see Protected) are left
// out unless the caller opts in, because segments defined by them can
// amount to discriminatory targeting even when nobody intends it.
package subgroup
