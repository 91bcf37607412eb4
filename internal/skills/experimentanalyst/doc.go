// Package experimentanalyst is the built-in skill "experiment-analyst": it
// judges campaigns that run A/B(/C) tests once a day and proposes what to
// do with the traffic.
//
// Every test is judged on click rate (clicks / delivered) and conversion
// rate (conversions / clicks), each with an always-valid mixture
// sequential test (package sequential) at half of alpha, every pair of
// variants at its Bonferroni share. However often the test is looked at,
// the chance that a test with no real difference ever gets a winner is at
// most alpha (default 5%); docs/experiments.md has the simulations.
//
// What it proposes:
//   - a winner (one variant beats every other on a metric and loses on
//     neither): set traits.traffic_split to "B=100" on the campaign, which
//     the connected e-mail platform reads, and tell the campaign's owner;
//   - losers (three or more variants, some beaten, no overall winner yet):
//     split the traffic evenly over the variants still in the running;
//   - a trade-off (a winner on one metric that loses on the other): only a
//     note to the owner, who must choose;
//   - no difference or inconclusive after max_days: set traits.ab_test to
//     "ended" and tell the owner;
//   - nothing while the test is still undecided, so there is no noise.
//
// Each proposal's key is "experiment:<campaign id>:<decision>", so one
// decision is proposed once.
package experimentanalyst
