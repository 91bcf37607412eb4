// Package briefing builds the digest a person gets each day: the
// decisions waiting for them, what agents flagged, what agents did on
// their own, agents stopped, resumed, promoted or demoted, the agents'
// scorecards over the week and those that need attention, and the value
// delivered — both what the agents expected of what ran in the window
// and what was measured in it.
//
// Build only reads. It is the same digest whether it is shown on the
// console's briefing page, printed by a terminal command or sent to a
// channel; Text renders it for a terminal or a plain e-mail.
package briefing

import (
	"context"
	"fmt"
	"time"

	"github.com/towerops/tower/internal/governance"
	"github.com/towerops/tower/internal/measure"
	"github.com/towerops/tower/internal/proposal"
	"github.com/towerops/tower/internal/store"
)

// Digest is one person's briefing over the window (Since, At].
type Digest struct {
	For   string     `json:"for"`
	Role  store.Role `json:"role"`
	At    time.Time  `json:"at"`
	Since time.Time  `json:"since"`

	// Decisions are the proposals waiting for this person's approval, the
	// most valuable first (at most MaxItems; Counts.Waiting has them all).
	Decisions []Item `json:"decisions"`
	// Flags are proposals made in the window that ask a person to do or
	// know something: alerts (notify), tasks (create_task), routing to an
	// owner (assign_owner), and anything at autonomy "suggest", which a
	// person carries out by hand. Those already among Decisions are left
	// out.
	Flags []Item `json:"flags"`
	// OnTheirOwn are proposals agents carried out without a person in the
	// window: allowed by policy at autonomy auto or auto-silent, then
	// executed (or executed and since undone).
	OnTheirOwn []Item `json:"on_their_own"`
	// AgentChanges are agents tripped, paused, resumed, reset, promoted
	// or demoted in the window, from the audit log, oldest first.
	AgentChanges []AgentChange `json:"agent_changes"`
	// Stopped are the agents paused or tripped now, whenever that began.
	Stopped []StoppedAgent `json:"stopped"`
	// Value is what the proposals executed in the window were expected
	// to be worth; Realised what the proposals measured in the window
	// (whenever they ran) turned out to be worth.
	Value    Value    `json:"value"`
	Realised Realised `json:"realised"`
	// Scorecards are the agents' scorecards over the week before At
	// (ScorecardWindow), the busiest first (at most MaxItems;
	// Counts.Scored has them all); Attention the agents among them that
	// need a person to look: people accept under half of what they
	// propose, or too much of what they did was undone or failed.
	Scorecards []measure.Card `json:"scorecards"`
	Attention  []Attention    `json:"attention"`
	Counts     Counts         `json:"counts"`
}

// MaxItems bounds each list of the digest; the counts are complete.
const MaxItems = 25

// Item is one proposal in the digest.
type Item struct {
	ID     string          `json:"id"`
	Title  string          `json:"title"`
	Agent  string          `json:"agent"`
	Skill  string          `json:"skill"`
	Status proposal.Status `json:"status"`
	Kinds  []proposal.Kind `json:"kinds"`
	// Link is the proposal's page in the console.
	Link string `json:"link"`
	// At is when it was proposed (decisions, flags) or executed (on
	// their own).
	At    time.Time      `json:"at"`
	Value proposal.Value `json:"value"`
	// Why says why it is in this list ("approval needed: 1 more
	// approver", "alert", "task", "suggested: do it by hand").
	Why string `json:"why,omitempty"`
	// DueAt is when an approval escalates or lapses (decisions only).
	DueAt time.Time `json:"due_at,omitzero"`
	// Mine is true when the person owns the agent.
	Mine bool `json:"mine,omitempty"`
}

// AgentChange is one change of an agent's state or autonomy.
type AgentChange struct {
	Agent string `json:"agent"`
	// Change is tripped, paused, resumed, reset, promoted or demoted.
	Change string `json:"change"`
	// Kind is the action kind of a promotion or demotion.
	Kind   string    `json:"kind,omitempty"`
	From   string    `json:"from,omitempty"`
	To     string    `json:"to,omitempty"`
	Reason string    `json:"reason,omitempty"`
	By     string    `json:"by"`
	At     time.Time `json:"at"`
	Link   string    `json:"link"`
}

// StoppedAgent is an agent that does not run now.
type StoppedAgent struct {
	Agent  string           `json:"agent"`
	State  store.AgentState `json:"state"`
	Reason string           `json:"reason,omitempty"`
	Since  time.Time        `json:"since"`
	Owner  string           `json:"owner,omitempty"`
	Link   string           `json:"link"`
}

// Value is the estimated worth of what was executed.
type Value struct {
	PipelineUSD float64 `json:"pipeline_usd"`
	SavingsUSD  float64 `json:"savings_usd"`
	HoursSaved  float64 `json:"hours_saved"`
	Conversions float64 `json:"conversions"`
	// Proposals counts the executed proposals summed.
	Proposals int `json:"proposals"`
	// Estimated is always true: these are the agents' expectations.
	Estimated bool `json:"estimated"`
}

// Counts summarise the window.
type Counts struct {
	// Waiting is how many decisions wait for this person now.
	Waiting int `json:"waiting"`
	// Proposed counts proposals made in the window.
	Proposed int `json:"proposed"`
	Flags    int `json:"flags"`
	// Executed counts proposals executed in the window, by people's
	// approval or on their own.
	Executed   int `json:"executed"`
	OnTheirOwn int `json:"on_their_own"`
	// Approved, Rejected, Expired, Undone and Failed count proposals that
	// reached that state in the window.
	Approved int `json:"approved"`
	Rejected int `json:"rejected"`
	Expired  int `json:"expired"`
	Undone   int `json:"undone"`
	Failed   int `json:"failed"`
	// Scored counts the agents with a scorecard for the week; Attention
	// those that need attention.
	Scored    int `json:"scored"`
	Attention int `json:"attention"`
}

// lookback is how far before the window Build looks for proposals that
// were decided, executed or undone in it: longer than any proposal
// waits (proposal.DefaultTTL), with room for custom expiries.
const lookback = 30 * 24 * time.Hour

// Build assembles user's briefing for the window (now-window, now].
func Build(ctx context.Context, q store.Queries, user string, now time.Time, window time.Duration) (*Digest, error) {
	u, err := q.UserGet(ctx, &store.UserGetParams{Name: user})
	if err != nil {
		return nil, fmt.Errorf("briefing for %s: %w", user, err)
	}
	now = now.UTC()
	if window <= 0 {
		window = 24 * time.Hour
	}
	d := &Digest{For: u.Name, Role: u.Role, At: now, Since: now.Add(-window),
		Decisions: []Item{}, Flags: []Item{}, OnTheirOwn: []Item{}, AgentChanges: []AgentChange{}, Stopped: []StoppedAgent{},
		Scorecards: []measure.Card{}, Attention: []Attention{}, Value: Value{Estimated: true}}
	owners, err := agentOwners(ctx, q)
	if err != nil {
		return nil, err
	}
	inbox, err := governance.Inbox(ctx, q, u.Name, now, 1000)
	if err != nil {
		return nil, fmt.Errorf("briefing for %s: the decisions waiting: %w", user, err)
	}
	d.Counts.Waiting = len(inbox)
	waiting := map[string]bool{}
	for _, it := range inbox {
		waiting[it.Proposal.ID] = true
		if len(d.Decisions) < MaxItems {
			i := itemOf(it.Proposal, it.Proposal.CreatedAt, "approval needed: "+it.Missing, owners, u.Name)
			i.DueAt = it.DueAt
			d.Decisions = append(d.Decisions, i)
		}
	}
	if err := d.addProposals(ctx, q, waiting, owners); err != nil {
		return nil, err
	}
	if err := d.addAgentChanges(ctx, q); err != nil {
		return nil, err
	}
	if err := d.addStopped(ctx, q); err != nil {
		return nil, err
	}
	if err := d.addMeasure(ctx, q); err != nil {
		return nil, err
	}
	return d, nil
}

// in reports whether t falls in the window.
func (d *Digest) in(t time.Time) bool { return t.After(d.Since) && !t.After(d.At) }

func itemOf(p proposal.Proposal, at time.Time, why string, owners map[string]string, user string) Item {
	kinds := []proposal.Kind{}
	for _, a := range p.Actions {
		if len(kinds) == 0 || kinds[len(kinds)-1] != a.Kind {
			kinds = append(kinds, a.Kind)
		}
	}
	return Item{ID: p.ID, Title: p.Title, Agent: p.Agent, Skill: p.Skill, Status: p.Status, Kinds: kinds,
		Link: "/proposals/" + p.ID, At: at.UTC(), Value: p.ExpectedValue, Why: why,
		Mine: user != "" && owners[p.Agent] == user}
}
