package measure

import (
	"encoding/json"
	"time"

	"github.com/towerops/tower/internal/proposal"
)

// Model is how one action kind's value is estimated when an agent
// proposes it, and how Tower later measures what it was worth.
type Model struct {
	Kind proposal.Kind `json:"kind"`
	// Estimate says in words how agents estimate the value.
	Estimate string `json:"estimate"`
	// Realise says in words how the realised value is measured.
	Realise string `json:"realise"`
	// After is how long after execution the outcome is measured; in JSON,
	// after_hours.
	After time.Duration `json:"-"`
}

// MarshalJSON writes After in hours, not nanoseconds.
func (m Model) MarshalJSON() ([]byte, error) {
	type plain Model
	return json.Marshal(struct {
		plain
		AfterHours float64 `json:"after_hours"`
	}{plain(m), m.After.Hours()})
}

const day24 = 24 * time.Hour

// How long after execution each kind of effect is measured. Long enough
// for the usual ways an effect is lost to show — a nightly sync from the
// CRM writing an old value back, a person re-adding seats at the vendor,
// a campaign manager resuming what an agent paused — and short enough
// that a scorecard of the month still sees most of its outcomes.
const (
	// afterFields: record, consent and template changes meet the next
	// syncs and the next send within a week.
	afterFields = 7 * day24
	// afterCampaign: a pause or resume that a person disagrees with is
	// usually reversed within days; three leaves time for that.
	afterCampaign = 3 * day24
	// afterSeats: seats come back when people who lost them ask; two
	// weeks lets that happen before the saving is counted.
	afterSeats = 14 * day24
	// afterMessage: a notification or task leaves nothing to check, so
	// only an undo can change the outcome; one day is enough for that.
	afterMessage = day24
)

// The estimates the built-in skills use, so a person reading a model
// knows where an expected value comes from.
const (
	estimateNone      = "No built-in agent proposes it yet; an agent that does states its estimate and assumptions on the proposal."
	estimateFieldsFix = "Hours of manual work avoided, at the minutes stated on the proposal: 15 minutes to spot a mistagged landing link in analytics and fix it in the campaign by hand (link audit)."
)

// realisedFields is how every kind whose effect is a lasting change of
// fields is measured.
const realisedFields = "Tower reads the targets again and counts the changes it made that still hold the value it set; " +
	"the expected value is scaled by that share (0 if the proposal was undone)."

var models = map[proposal.Kind]Model{
	proposal.Suppress: {
		Estimate: estimateNone,
		Realise: "Tower reads each record's latest consent on the channel and counts those still holding the status the suppression wrote, " +
			"so a sync that made a record sendable again counts against it; the expected value is scaled by that share (0 if undone).",
		After: afterFields,
	},
	proposal.Unsuppress: {
		Estimate: estimateNone,
		Realise: "Tower reads each record's latest consent on the channel and counts those still subscribed; " +
			"the expected value is scaled by that share (0 if undone).",
		After: afterFields,
	},
	proposal.MergePeople: {
		Estimate: estimateNone,
		Realise:  "Tower checks the people are still merged and no record went back to a duplicate; " + realisedFields,
		After:    afterFields,
	},
	proposal.UnmergePeople: {
		Estimate: estimateNone,
		Realise:  "Tower checks the people are still apart and each record is back with its own person; " + realisedFields,
		After:    afterFields,
	},
	proposal.UpdateField: {
		Estimate: estimateFieldsFix,
		Realise:  realisedFields,
		After:    afterFields,
	},
	proposal.Tag: {
		Estimate: "Hours of list work avoided: 2 minutes a person when done by hand — export, check engagement, tag (stale consent).",
		Realise:  "Tower counts the targets that still carry the tag; the expected value is scaled by that share (0 if undone).",
		After:    afterFields,
	},
	proposal.CreateSegment: {
		Estimate: estimateNone,
		Realise:  "Tower does not store segments yet; when one is created it counts in full unless undone.",
		After:    afterFields,
	},
	proposal.PauseCampaign: {
		Estimate: estimateNone,
		Realise:  "Tower counts the campaigns still paused; the expected value is scaled by that share (0 if undone).",
		After:    afterCampaign,
	},
	proposal.ResumeCampaign: {
		Estimate: estimateNone,
		Realise:  "Tower counts the campaigns still running; the expected value is scaled by that share (0 if undone).",
		After:    afterCampaign,
	},
	proposal.ShiftBudget: {
		Estimate: estimateNone,
		Realise: "Tower compares both campaigns' budgets now with their budgets before the move (from the proposal's preview): " +
			"the part of the amount still taken from the first and still added to the second, averaged; " +
			"the expected value is scaled by it (0 if undone).",
		After: afterFields,
	},
	proposal.AssignOwner: {
		Estimate: estimateNone,
		Realise:  "Tower counts the accounts still with the owner it assigned; the expected value is scaled by that share (0 if undone).",
		After:    afterFields,
	},
	proposal.CreateTask: {
		Estimate: "Hours of manual work avoided, at the minutes stated on the proposal (for example 15 minutes to find and report a broken landing link).",
		Realise: "Nothing lasting to check: its hours count once created, unless undone; dollars it names are realised by the " +
			"change it asks for, not by the task.",
		After: afterMessage,
	},
	proposal.CutLicenseSeats: {
		Estimate: "Savings a year: seats nobody uses (unassigned, or held by people idle for the agent's idle period) × the price of a seat a month × 12, at the current list price (licence auditor).",
		Realise: "Tower reads the licence's seats again: the part of the cut still in place, (seats before the cut − seats now) ÷ (seats before − seats cut to), " +
			"between 0 and 1; savings are scaled by it, so seats bought back reduce them (0 if undone).",
		After: afterSeats,
	},
	proposal.FixTemplate: {
		Estimate: "Hours of QA avoided: 15 minutes for each problem found, the time to spot it in a test send, find it in the source and fix it (template review).",
		Realise:  "Tower checks the template still has the corrected subject or body; the hours count in full if it does and not at all if someone put the old version back (0 if undone).",
		After:    afterFields,
	},
	proposal.Notify: {
		Estimate: "What the message is about: a consolidation candidate carries the yearly saving if the tools were consolidated, with its assumption (licence auditor); a plain notice is worth nothing by itself.",
		Realise: "Nothing lasting to check: its hours count once sent, unless undone; dollars it names (a possible saving) are not " +
			"counted for the message — they are realised by the change it asks for, when that is made.",
		After: afterMessage,
	},
}

// ModelFor returns the model of kind k; an unknown kind gets a model
// that says so and is measured a week after it runs.
func ModelFor(k proposal.Kind) Model {
	m, ok := models[k]
	if !ok {
		return Model{Kind: k, Estimate: estimateNone,
			Realise: "Tower does not know this kind of action; it counts in full unless undone.", After: afterFields}
	}
	m.Kind = k
	return m
}

// Models lists every action kind's model, by kind.
func Models() []Model {
	ks := proposal.Kinds()
	out := make([]Model, len(ks))
	for i, k := range ks {
		out[i] = ModelFor(k)
	}
	return out
}

// afterOf is the longest After of the kinds of p's actions: a proposal is
// measured once, when every one of its effects is due.
func afterOf(p *proposal.Proposal) time.Duration {
	var d time.Duration
	for _, a := range p.Actions {
		d = max(d, ModelFor(a.Kind).After)
	}
	if len(p.Actions) == 0 {
		d = afterMessage
	}
	return d
}
