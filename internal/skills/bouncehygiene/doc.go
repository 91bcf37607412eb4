// Package bouncehygiene is the built-in skill "bounce-hygiene": keep the
// lists free of addresses that cannot receive mail, without punishing
// recipients for the sender's own faults (DOMAIN §2).
//
// It reads the RFC 3463 enhanced code in each bounce's reason (Classify):
//
//   - 5.1.1, 5.1.3, 5.1.6 (and 5.1.0, 5.1.10): permanent. The person's
//     other records that can still be mailed get one suppress with status
//     hard_bounce.
//   - 5.1.2 (domain invalid): permanent for one address, but when
//     dns_suspect or more addresses on one domain bounce so on one day it
//     looks like a DNS outage: a create_task asks a person to check, and
//     nobody is suppressed.
//   - x.7.x, 5.1.7, 5.1.8: the receiving server refused the sender
//     (authentication, reputation, policy). The recipient is never
//     suppressed; one notify per run, grouped by code, tells the owner.
//   - 4.x.x, x.2.1, x.2.2, routing and system codes: soft. soft_count
//     bounces on distinct days, the first and last soft_span apart, with
//     no event from the person since (engagement resets the count), get a
//     suppress with status soft_bounce. Defaults 3 over 15 days follow
//     Salesforce Marketing Cloud's documented Held rule (DOMAIN §2.2).
//   - x.2.3, x.3.4, x.6.x: the message, not the address: ignored.
//
// Addresses are checked too. A malformed address (AddressProblem, stricter
// than the import) is tagged invalid-address on its record rather than
// suppressed: nobody expressed a consent choice, the address cannot
// receive mail anyway, and the fix is correcting a typo, which a
// suppression would outlive. A role address (the Mailchimp list plus RFC
// 2142's business mailboxes) is tagged role-address on the person so
// campaigns can exclude it, never suppressed: people do sign up with them.
//
// A person with a live opt-out (complaint, unsubscribe, do-not-contact) is
// left to suppression-sync, which propagates the stronger state to every
// record; so the two skills never propose the same change.
package bouncehygiene
