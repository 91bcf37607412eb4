package proposal

import (
	"errors"
	"fmt"
)

// Status is where a proposal is in its lifecycle.
type Status string

// The lifecycle states, in order of first appearance.
const (
	StatusProposed        Status = "proposed"         // written by a skill run, not yet governed
	StatusAllowed         Status = "allowed"          // governance lets it run without a person
	StatusPendingApproval Status = "pending_approval" // waiting for the approvers policy names
	StatusDenied          Status = "denied"           // a policy forbids it; final
	StatusApproved        Status = "approved"         // the required people approved it
	StatusRejected        Status = "rejected"         // a person said no; final
	StatusExpired         Status = "expired"          // nobody acted before its expiry; final
	StatusExecuting       Status = "executing"        // an executor is applying it
	StatusExecuted        Status = "executed"         // every action was applied
	StatusFailed          Status = "failed"           // an executor gave up; the reason is kept
	StatusUndone          Status = "undone"           // its effects were reversed; final
	StatusSuperseded      Status = "superseded"       // a person edited it into a new revision; final
)

// Statuses lists every status in lifecycle order.
func Statuses() []Status {
	return []Status{StatusProposed, StatusAllowed, StatusPendingApproval, StatusDenied,
		StatusApproved, StatusRejected, StatusExpired, StatusExecuting, StatusExecuted,
		StatusFailed, StatusUndone, StatusSuperseded}
}

// transitions is the whole state machine: from → the states it may move to.
var transitions = map[Status][]Status{
	StatusProposed: {StatusAllowed, StatusPendingApproval, StatusDenied},
	StatusAllowed:  {StatusExecuting, StatusExpired},
	// pending_approval → denied: the last escalation level timed out and
	// the policy says to deny rather than let it lapse.
	StatusPendingApproval: {StatusApproved, StatusRejected, StatusExpired, StatusDenied, StatusSuperseded},
	StatusApproved:        {StatusExecuting, StatusExpired},
	StatusExecuting:       {StatusExecuted, StatusFailed},
	StatusFailed:          {StatusExecuting},
	StatusExecuted:        {StatusUndone},
}

// ErrIllegalTransition is returned (wrapped) for a move the lifecycle does
// not allow.
var ErrIllegalTransition = errors.New("illegal proposal status change")

// Valid reports whether s is a known status.
func (s Status) Valid() bool {
	_, ok := transitions[s]
	return ok || s == StatusDenied || s == StatusRejected || s == StatusExpired || s == StatusUndone || s == StatusSuperseded
}

// Final reports whether nothing can follow s.
func (s Status) Final() bool { return s.Valid() && len(transitions[s]) == 0 }

// Open reports whether the proposal still waits for something to happen
// (a decision, an approval or its execution). An open proposal with the
// same agent and key is not proposed twice.
func (s Status) Open() bool {
	switch s {
	case StatusProposed, StatusAllowed, StatusPendingApproval, StatusApproved, StatusExecuting:
		return true
	}
	return false
}

// Next lists the states s may move to.
func (s Status) Next() []Status { return append([]Status(nil), transitions[s]...) }

// CanTransition reports whether from → to is a legal move.
func CanTransition(from, to Status) bool {
	for _, n := range transitions[from] {
		if n == to {
			return true
		}
	}
	return false
}

// CheckTransition returns nil for a legal move and ErrIllegalTransition
// (wrapped, naming both states) otherwise.
func CheckTransition(from, to Status) error {
	if CanTransition(from, to) {
		return nil
	}
	return fmt.Errorf("%w: %s → %s", ErrIllegalTransition, from, to)
}

// ParseStatus parses a status name as typed by a person.
func ParseStatus(s string) (Status, error) {
	st := Status(s)
	if st.Valid() {
		return st, nil
	}
	return "", fmt.Errorf("unknown status %q: use one of %v", s, Statuses())
}
