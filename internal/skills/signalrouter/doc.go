// Package signalrouter is the built-in skill "signal-router": it sends
// each buying signal to the person who should act on it, with a deadline,
// and escalates a follow-up that is still open past that deadline.
//
// Signals are track events of four kinds, each named by parameters: a
// demo request and a trial start (each event is a signal), repeated
// pricing-page visits and a usage surge (a signal when enough events fall
// within a window, then quiet for one window). A signal is identified by
// (kind, person, time) and written on the task that routes it ("Signal
// ref: …" lines at the end of the note), so it is routed once however
// often the skill runs. A person who already has an open follow-up from
// the skill gets no second task: the open one covers the new signal.
//
// Who acts, most specific first (speed-to-lead practice, DOMAIN §7):
//
//  1. the account's owner, when they have room;
//  2. the least-loaded owner of the account's (or, with no account, the
//     person's) region in the right team — customer success for a
//     customer, sales otherwise;
//  3. round robin over the team: whoever has had the fewest assignments
//     recently;
//  4. nobody has room: the escalation contact is told.
//
// An owner's load is their open tasks created within load_window, plus
// what the run has already given them; Capacity 0 means no limit was
// recorded. An unowned account also gets an assign_owner proposal, so
// its next signal goes straight to its new owner.
//
// Each task is due at the signal's time plus its kind's SLA. When a
// routing task is still open after that, the skill proposes once to tell
// escalate_to and to give the follow-up to the next owner in line.
package signalrouter
