package replay

import (
	"strings"
	"time"
)

// What names a logged step.
type What string

// The steps the replay logs.
const (
	// Proposed: an agent's run wrote the proposal (Status says what
	// governance made of it).
	Proposed What = "proposed"
	// Approved: a person approved the proposal (Revises is set when it is
	// the revision of an edit).
	Approved What = "approved"
	// Edited: a person edited Revises into the new revision Proposal.
	Edited What = "edited"
	// Rejected: a person rejected it, with Reason.
	Rejected What = "rejected"
	// Executed: the executors applied it; By is the approver ("user:NAME")
	// or the autonomy grant ("autonomy:LEVEL").
	Executed What = "executed"
	// Failed: an executor refused it; Reason says why.
	Failed What = "failed"
	// Undone: a person reversed it.
	Undone What = "undone"
	// Expired: nobody decided in time (the approval chain timed out, or
	// the proposal's own expiry passed).
	Expired What = "expired"
)

// Entry is one thing that happened in the simulated history.
type Entry struct {
	At       time.Time `json:"at"`
	What     What      `json:"what"`
	Proposal string    `json:"proposal"`
	// Revises is the proposal an edit replaced (for Edited, and for the
	// Approved and Executed entries of the revision).
	Revises string `json:"revises,omitempty"`
	Skill   string `json:"skill"`
	Agent   string `json:"agent"`
	// Key is what the proposal is about ("person:42", "template:t7"), the
	// same in every run of the same data (proposal ids are not).
	Key string `json:"key"`
	// Status is the proposal's status after the step.
	Status string `json:"status"`
	By     string `json:"by,omitempty"`
	Reason string `json:"reason,omitempty"`
}

// Log is the whole simulated history, in the order it happened.
type Log struct {
	Start   time.Time `json:"start"` // midnight of the first simulated day
	End     time.Time `json:"end"`   // midnight after the last one
	Entries []Entry   `json:"entries"`
	Days    []Day     `json:"days"`
}

// Day counts one simulated day's steps.
type Day struct {
	Date time.Time `json:"date"`
	Totals
}

// Totals counts steps of the history.
type Totals struct {
	Proposed int `json:"proposed"`
	// Approved counts approvals as proposed; Edited edits (each then
	// approved, or let through by governance); Rejected rejections.
	Approved int `json:"approved"`
	Edited   int `json:"edited"`
	Rejected int `json:"rejected"`
	Executed int `json:"executed"`
	// OnTheirOwn counts executions no person approved (autonomy).
	OnTheirOwn int `json:"on_their_own"`
	Failed     int `json:"failed"`
	Undone     int `json:"undone"`
	Expired    int `json:"expired"`
}

// Decisions is how many proposals people decided: approved as proposed,
// edited, or rejected.
func (t Totals) Decisions() int { return t.Approved + t.Edited + t.Rejected }

// Add adds o's counts to t (a week's, or a whole history's).
func (t *Totals) Add(o Totals) {
	t.Proposed += o.Proposed
	t.Approved += o.Approved
	t.Edited += o.Edited
	t.Rejected += o.Rejected
	t.Executed += o.Executed
	t.OnTheirOwn += o.OnTheirOwn
	t.Failed += o.Failed
	t.Undone += o.Undone
	t.Expired += o.Expired
}

func (t *Totals) add(e Entry) {
	switch e.What {
	case Proposed:
		t.Proposed++
	case Approved:
		if e.Revises == "" {
			t.Approved++
		}
	case Edited:
		t.Edited++
	case Rejected:
		t.Rejected++
	case Executed:
		t.Executed++
		if strings.HasPrefix(e.By, "autonomy:") {
			t.OnTheirOwn++
		}
	case Failed:
		t.Failed++
	case Undone:
		t.Undone++
	case Expired:
		t.Expired++
	}
}

// Totals counts the whole history.
func (l *Log) Totals() Totals {
	var t Totals
	for _, e := range l.Entries {
		t.add(e)
	}
	return t
}
