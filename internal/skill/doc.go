// Package skill defines what a skill is — one role-based behaviour such as
// "stale-consent" or "campaign-watch" — and the registry of built-in
// skills.
//
// A skill declares a Manifest (owner team, triggers, the action kinds it may
// propose, its parameters, the knowledge layers it reads) and a Run method
// that reads the foundation through a read-only View and returns proposal
// drafts. A skill cannot write: View has no write methods, and the only
// thing a skill returns is data. That is what makes dry runs, simulation
// and replay free (see DESIGN.md, invariant 1).
//
// Agents are configured instances of a skill. Run receives a batch of
// agents (up to a few thousand) at once, so a fleet of tens of thousands of
// agents is a few calls, not tens of thousands of goroutines.
package skill
