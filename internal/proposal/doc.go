// Package proposal holds what an agent wants done: proposals, their typed
// actions, evidence and expected value, and the lifecycle every proposal
// walks through. It does no I/O, so skills can import it to describe
// actions without ever being able to carry them out (only executors, in
// internal/action, change data).
//
// A proposal moves through these states; any other move is refused by
// Transition:
//
//	proposed ──► allowed ─────────────┐
//	    │                             ▼
//	    ├──► pending_approval ──► approved ──► executing ──► executed ──► undone
//	    │          │                              │
//	    │          ├──► rejected                  └──► failed ──► executing (retry)
//	    │          └──► expired
//	    └──► denied
//
// allowed and approved proposals may also expire before execution starts.
// The JSON form of Proposal is a stable, documented interface
// (docs/proposals.md): other tools consume `tower proposals list --json`.
package proposal
