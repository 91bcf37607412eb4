package web

import (
	"testing"
	"time"

	"github.com/towerops/tower/internal/proposal"
)

// TestScorecard scores a hand-built record whose figures are counted by
// hand below.
func TestScorecard(t *testing.T) {
	now := time.Date(2026, 3, 30, 15, 0, 0, 0, time.UTC)
	day := func(d, h int) time.Time { return time.Date(2026, 3, d, h, 0, 0, 0, time.UTC) }
	approved := func(at time.Time) *proposal.Decision {
		return &proposal.Decision{Effect: proposal.EffectRequireApproval, Approvals: []proposal.Approval{{By: "maria", Verdict: "approved", At: at}}}
	}
	ps := []proposal.Proposal{
		// Approved 2 h after it was made, executed.
		{ID: "a", Status: proposal.StatusExecuted, CreatedAt: day(30, 8), Decision: approved(day(30, 10))},
		// Approved after 6 h, executed, later undone.
		{ID: "b", Status: proposal.StatusUndone, CreatedAt: day(29, 8), Decision: approved(day(29, 14))},
		// Rejected after 4 h.
		{ID: "c", Status: proposal.StatusRejected, CreatedAt: day(29, 9), UpdatedAt: day(29, 13),
			Decision: &proposal.Decision{Effect: proposal.EffectRequireApproval, Approvals: []proposal.Approval{{By: "rob", Verdict: "rejected", At: day(29, 13)}}}},
		// Ran on its own.
		{ID: "d", Status: proposal.StatusExecuted, CreatedAt: day(28, 9), Decision: &proposal.Decision{Effect: proposal.EffectAllow, Autonomy: "auto"}},
		// Ran on its own, undone.
		{ID: "e", Status: proposal.StatusUndone, CreatedAt: day(1, 0), Decision: &proposal.Decision{Effect: proposal.EffectAllow, Autonomy: "auto"}},
		// Nobody decided in time.
		{ID: "f", Status: proposal.StatusExpired, CreatedAt: day(10, 0), Decision: &proposal.Decision{Effect: proposal.EffectRequireApproval}},
		// Still waiting, with one of two approvals: neither accepted nor decided.
		{ID: "g", Status: proposal.StatusPendingApproval, CreatedAt: day(30, 9), Decision: approved(day(30, 11))},
		// Edited by a person: the old revision is not counted.
		{ID: "h", Status: proposal.StatusSuperseded, CreatedAt: day(30, 1)},
		// Before the 30 days (1 March is day one of the period; February is out).
		{ID: "i", Status: proposal.StatusRejected, CreatedAt: time.Date(2026, 2, 28, 23, 0, 0, 0, time.UTC)},
	}
	s := scorecardOf(ps, now, 30)
	check := func(name string, got, want int) {
		t.Helper()
		if got != want {
			t.Errorf("%s = %d, want %d", name, got, want)
		}
	}
	check("proposals", s.Proposals, 7) // a b c d e f g
	check("accepted", s.Accepted, 2)   // a b
	check("rejected", s.Rejected, 1)   // c
	check("expired", s.Expired, 1)     // f
	check("undone", s.Undone, 2)       // b e
	check("on its own", s.OnItsOwn, 2) // d e
	check("decided", s.Decided, 3)     // a (2h) b (6h) c (4h)
	if s.MedianDecision != 4*time.Hour {
		t.Errorf("median time to decision %v, want 4h", s.MedianDecision)
	}
	if r := s.AcceptRate(); r != 2.0/3 {
		t.Errorf("accept rate %v, want 2/3", r)
	}
	if len(s.PerDay) != 30 {
		t.Fatalf("%d days", len(s.PerDay))
	}
	want := map[int]float64{29: 2, 28: 2, 27: 1, 0: 1, 9: 1} // 30 Mar: a g; 29: b c; 28: d; 1: e; 10: f
	for i, v := range s.PerDay {
		if v != want[i] {
			t.Errorf("day %d: %v proposals, want %v", i+1, v, want[i])
		}
	}
}
