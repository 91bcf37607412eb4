// Package linkage finds records that describe the same person: within one
// table (Dedupe) or across two (Link).
//
// It follows Fellegi and Sunter (1969), the model behind most record-linkage
// tools. Each compared field (given name, surname, email, phone, address,
// postcode, date of birth, ...) is put at a comparison level for a pair of
// records — "exact", "Jaro–Winkler ≥ 0.92", "nickname", "different",
// "missing" — and every level has two probabilities:
//
//   - m: how often two records of the SAME person land at that level;
//   - u: how often two records of DIFFERENT people land at that level.
//
// The level adds log2(m/u) bits of evidence (positive when the level is
// typical of matches, negative when typical of non-matches; a missing value
// adds nothing). The pair weight is the prior log-odds plus the sum over
// fields, and the match probability is 2^w / (1 + 2^w).
//
// Nobody labels pairs: u is counted on random pairs (which are almost all
// different people), and m together with the share of matches among the
// candidate pairs (the prior λ) is estimated by expectation–maximisation on
// the distinct comparison patterns, weighted by how often each occurs.
//
// Comparing every pair grows quadratically, so only candidate pairs that
// share a blocking key under at least one rule are scored (same phonetic
// name, same postcode and street number, same date of birth, same email
// local part, same phone suffix, ...). Oversized blocks are skipped and
// counted in Stats, never silently.
//
// Everything is deterministic for a given Config.Seed: the random pairs,
// the order of the output and the clusters.
package linkage
