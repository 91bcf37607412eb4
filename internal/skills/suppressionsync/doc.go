// Package suppressionsync is the built-in skill "suppression-sync": when a
// person opts out in one system, every other system that can still e-mail
// them must hear of it, within the legal deadline (DOMAIN §1.3: CAN-SPAM
// 10 business days; Gmail and Yahoo bulk-sender rules 48 hours / 2 days;
// GDPR no grace at all).
//
// For each person and channel the skill folds every consent fact from
// every system (see package consentstate): the live restrictive consent
// fact that governs (complaint > unsubscribed > do_not_contact), and the
// older opt-outs that a newer explicit opt-in overrode. Then:
//
//   - a person with a governing opt-out and records that do not carry a
//     consent stop yet (latest fact subscribed, a bounce, or none) gets ONE
//     suppress proposal naming those lagging records, with the governing
//     status (a complaint stays a complaint) and the deadline clock;
//   - a person whose older opt-out was overridden by a newer opt-in, and
//     whose older system still blocks them, gets an unsuppress proposal at
//     lower confidence: a person decides, and policy keeps unsuppress
//     behind approval.
//
// Bounces are never propagated here; bounce-hygiene owns them, and it
// leaves alone anyone with a governing opt-out, so the two skills never
// propose the same change. A record whose latest state is a bounce still
// receives the opt-out: a soft-bounce suppression clears by itself and a
// hard bounce can be reset by hand, and neither must make the record
// sendable to someone who opted out.
//
// Open proposals are not repeated: each proposal's key is the person and
// channel, and the store keeps one open proposal per agent and key; once a
// suppress is executed, the records' latest facts carry the stop and they
// are no longer lagging.
package suppressionsync
