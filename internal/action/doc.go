// Package action holds the executors: the only code in Tower that changes
// data, one per action kind. Each executor can Preview an action (what it
// would change, field by field, read from the store), Execute it inside a
// transaction the caller owns, and Undo it from what Execute recorded.
//
// Apply and UndoAll drive executors for a whole proposal with exactly-once
// effects: each action runs in its own transaction together with its
// execution record (keyed by proposal.ActionKey) and its audit entry, so a
// crash leaves every action either fully applied and recorded or not
// applied at all, and running Apply again finishes only what is missing.
//
// Executors register themselves by kind in init (see Register); package
// action does no HTTP and no governance — callers decide whether a
// proposal may run and move its status.
package action
