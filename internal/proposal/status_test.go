package proposal

import (
	"errors"
	"math/rand/v2"
	"testing"
)

// documented is the lifecycle as drawn in docs/proposals.md, written out
// independently of the transitions table so the two are checked against
// each other.
var documented = map[[2]Status]bool{
	{StatusProposed, StatusAllowed}:           true,
	{StatusProposed, StatusPendingApproval}:   true,
	{StatusProposed, StatusDenied}:            true,
	{StatusAllowed, StatusExecuting}:          true,
	{StatusAllowed, StatusExpired}:            true,
	{StatusPendingApproval, StatusApproved}:   true,
	{StatusPendingApproval, StatusRejected}:   true,
	{StatusPendingApproval, StatusExpired}:    true,
	{StatusPendingApproval, StatusDenied}:     true,
	{StatusPendingApproval, StatusSuperseded}: true,
	{StatusApproved, StatusExecuting}:         true,
	{StatusApproved, StatusExpired}:           true,
	{StatusExecuting, StatusExecuted}:         true,
	{StatusExecuting, StatusFailed}:           true,
	{StatusFailed, StatusExecuting}:           true,
	{StatusExecuted, StatusUndone}:            true,
}

func TestEveryPairMatchesTheDocumentedLifecycle(t *testing.T) {
	all := append(Statuses(), Status(""), Status("bogus"))
	for _, from := range all {
		for _, to := range all {
			want := documented[[2]Status{from, to}]
			if got := CanTransition(from, to); got != want {
				t.Errorf("CanTransition(%q, %q) = %v, documented %v", from, to, got, want)
			}
			err := CheckTransition(from, to)
			if want != (err == nil) {
				t.Errorf("CheckTransition(%q, %q) = %v", from, to, err)
			}
			if err != nil && !errors.Is(err, ErrIllegalTransition) {
				t.Errorf("CheckTransition(%q, %q) error %v is not ErrIllegalTransition", from, to, err)
			}
		}
	}
}

// TestRandomWalksNeverLeaveTheLifecycle throws random moves, legal or not,
// at a proposal 10,000 times and checks that only legal moves change its
// state, that final states stay final, and that executed is only reached
// through executing after a decision that allowed or approved it.
func TestRandomWalksNeverLeaveTheLifecycle(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	all := Statuses()
	for walk := 0; walk < 10000; walk++ {
		cur := StatusProposed
		path := []Status{cur}
		for step := 0; step < 12; step++ {
			to := all[rng.IntN(len(all))]
			if err := CheckTransition(cur, to); err != nil {
				if documented[[2]Status{cur, to}] {
					t.Fatalf("legal move %s → %s refused", cur, to)
				}
				continue
			}
			if cur.Final() {
				t.Fatalf("final %s moved to %s", cur, to)
			}
			cur = to
			path = append(path, cur)
		}
		for i, s := range path {
			if s == StatusExecuted {
				if path[i-1] != StatusExecuting {
					t.Fatalf("executed without executing: %v", path)
				}
				cleared := false
				for _, p := range path[:i] {
					cleared = cleared || p == StatusAllowed || p == StatusApproved
				}
				if !cleared {
					t.Fatalf("executed without being allowed or approved: %v", path)
				}
			}
			if s == StatusExecuting && i > 0 && path[i-1] == StatusPendingApproval {
				t.Fatalf("ran before approval: %v", path)
			}
		}
	}
}

func TestOpenAndFinal(t *testing.T) {
	for _, s := range Statuses() {
		if s.Open() && s.Final() {
			t.Errorf("%s is both open and final", s)
		}
	}
	for _, s := range []Status{StatusDenied, StatusRejected, StatusExpired, StatusUndone} {
		if !s.Final() {
			t.Errorf("%s should be final", s)
		}
	}
	if _, err := ParseStatus("pending"); err == nil {
		t.Error("ParseStatus accepted an unknown status")
	}
}
