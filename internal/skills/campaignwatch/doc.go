// Package campaignwatch is the campaign-watch skill: it watches every
// campaign's daily figures and speaks up the day something goes wrong,
// instead of in next month's report.
//
// Three questions are asked of each campaign every day:
//
//   - Did a metric change? A two-sample change-point scan (scan.go)
//     compares the campaign's recent days with its own earlier days, on
//     the log scale and allowing for the day-to-day wobble every campaign
//     has beyond counting noise. It names the day the change started.
//   - How sure are we, and how bad is it? Beta-binomial (rates) and
//     gamma-Poisson (conversions per dollar) posteriors (bayes.go) give
//     the probability the campaign is now worse than its own baseline and
//     than its peers on the same channel, and by how much.
//   - Is it hurting the brand? Complaint, unsubscribe and hard-bounce
//     rates are held to hard limits from mailbox providers' rules
//     (limits.go); crossing one halts the campaign on its own under the
//     default policy, because every further send costs sender reputation.
//
// The skill proposes: an alert to the campaign's owner, a pause, a budget
// shift to the best peer on the same channel, or a resume when a paused
// campaign's figures are back to normal — each with the series, the
// baseline band, the change day and the peer comparison as evidence.
package campaignwatch
