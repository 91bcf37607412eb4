// Package fleet runs agents: it reads the active agents of a skill in
// batches, runs the skill over each batch against a read-only view,
// validates what comes back, has governance decide on every proposal and
// writes the proposals, their audit entries and the jobs that execute the
// allowed ones in one transaction per batch (nothing acknowledged is lost,
// nothing is enqueued for a proposal that did not commit).
//
// It also carries proposals through the rest of their lifecycle: approve,
// reject, execute (exactly once per action, resumable after a crash), undo
// and expiry. Every step is a compare-and-set on the proposal's status, so
// two nodes or two people acting at once cannot both win.
package fleet
