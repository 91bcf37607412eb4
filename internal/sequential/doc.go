// Package sequential judges A/B(/C) tests that are looked at every day
// without inflating false winners: a mixture sequential probability ratio
// test (mSPRT) on the difference of two proportions, with always-valid
// p-values and confidence sequences.
//
// # Why
//
// A fixed-horizon z-test at 5% is valid once, at the sample size chosen in
// advance. Looking at it every day and stopping the first time it says
// "significant" calls a false winner in roughly a quarter to a third of
// A/A tests over a month (the package's simulation prints the figure). An
// always-valid test keeps its error rate whatever the schedule of looks
// and whenever the test is stopped.
//
// # The test (Johari, Koomen, Pekelis and Walsh 2017)
//
// For two arms A and B with n_A, n_B trials and x_A, x_B successes, the
// observed difference is θ̂ = x_B/n_B − x_A/n_A with (plug-in) variance
//
//	V = p̂_A(1−p̂_A)/n_A + p̂_B(1−p̂_B)/n_B.
//
// Mixing the likelihood ratio of θ̂ ~ N(θ, V) against θ0 over a normal
// prior θ ~ N(θ0, τ²) gives the mixture likelihood ratio
//
//	Λ(θ0) = √(V/(V+τ²)) · exp( τ²(θ̂−θ0)² / (2V(V+τ²)) ).
//
// Under θ = θ0 it is (asymptotically) a non-negative martingale with mean
// 1, so by Ville's inequality P(Λ ever ≥ 1/α) ≤ α: the test rejects θ0
// the first time Λ(θ0) ≥ 1/α, at any look, and is still valid. The
// always-valid p-value is the running minimum
//
//	p_t = min(p_{t−1}, 1/Λ_t(0)),  p_0 = 1,
//
// and the confidence sequence (the θ0 not rejected) is
//
//	θ̂ ± √( V(V+τ²)/τ² · ln((V+τ²)/(V α²)) ),
//
// intersected with every earlier interval, so it only ever narrows. The
// sequence covers the true difference at every look at once with
// probability at least 1−α.
//
// Looks are daily: Λ is evaluated on the cumulative counts at the end of
// each day. Ville's inequality holds for every time, so it holds for the
// subsequence of daily looks too.
//
// τ, the spread of the mixing prior, sets which effects the test finds
// fastest. Tower writes it as a relative lift of the pooled rate p̄
// (τ = MixingLift·p̄; default 0.2, i.e. "lifts of about 20% are the ones we
// care about"), which makes the test the same whatever the base rate. The
// plug-in variance and the pooled rate in τ are the usual large-sample
// approximations of Johari et al.; the simulation in this package checks
// that they keep the A/A error under α at realistic e-mail volumes.
//
// # More than two arms
//
// With k arms every pair is compared (k(k−1)/2 tests) at α/(k(k−1)/2)
// each (Bonferroni), so the chance of any false call in the whole test is
// at most α. An arm wins when it beats every other arm; an arm loses when
// some other arm beats it. Pairwise, not against a control only, because
// "C beats A" alone does not make C better than B.
//
// # Decisions
//
//   - winner: one arm beats every other at its share of α.
//   - loser: some arms are beaten but no single arm beats all the others
//     (only with three or more arms; with two, a loser means a winner).
//   - continue ("no difference yet"): nothing decided and the maximum
//     duration not reached.
//   - no difference: the maximum duration is reached and, for every pair,
//     the confidence sequence excludes any lift larger than MinLift of the
//     control's rate (so the test has shown that no difference worth having
//     exists).
//   - inconclusive: the maximum is reached and the sequence is still too
//     wide to rule out a lift of MinLift.
//
// References: R. Johari, P. Koomen, L. Pekelis, D. Walsh, "Peeking at A/B
// tests: why it matters, and what to do about it", KDD 2017; R. Johari,
// L. Pekelis, D. Walsh, "Always valid inference: continuous monitoring of
// A/B tests", Operations Research 70(3), 2022; H. Robbins, "Statistical
// methods related to the law of the iterated logarithm", 1970 (the normal
// mixture).
package sequential
