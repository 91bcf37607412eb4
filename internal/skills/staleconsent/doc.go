// Package staleconsent is the built-in skill "stale-consent": people whose
// e-mail consent was given long ago and who have not engaged since are the
// first to complain and the first to bounce. Re-permission them before they
// hurt the sender's reputation.
//
// A person qualifies when, on the e-mail channel, every system's latest
// fact is "subscribed" (anyone unsubscribed, bounced or complaining
// anywhere is suppression-sync's business, not this skill's), the newest
// of those opt-ins is older than older_than, and Tower has seen no event
// from them within quiet_for. The skill proposes a tag (by default
// "re-permission") that the re-permission campaign targets; it never
// suppresses anyone on its own.
package staleconsent
