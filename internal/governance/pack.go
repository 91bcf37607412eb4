package governance

import (
	"time"

	"github.com/towerops/tower/internal/proposal"
)

// Pack is a workspace's governance, read from policies/*.yaml and
// policies/*.toml: the rules, freeze windows, autonomy levels and how they
// are earned, caps, the circuit breaker and approval defaults. Every file
// may hold any of the sections; LoadPack merges them (rules are
// concatenated, ids must be unique across files; a section other than
// rules may appear in one file only).
type Pack struct {
	Rules     []Rule         `json:"rules,omitempty"`
	Freeze    []FreezeWindow `json:"freeze,omitempty"`
	Autonomy  AutonomyConfig `json:"autonomy"`
	Caps      CapsConfig     `json:"caps"`
	Breaker   BreakerConfig  `json:"breaker"`
	Approvals ApprovalPlan   `json:"approvals"` // defaults for approvals no rule shapes
	// Files are the files read, for messages.
	Files []string `json:"files,omitempty"`

	compiled *compiledRules // set by Compile
}

// Rule is one policy: when its CEL condition holds for an action, its
// effect applies to the proposal.
type Rule struct {
	ID          string          `json:"id"`
	Description string          `json:"description,omitempty"`
	When        string          `json:"when"`
	Effect      proposal.Effect `json:"effect"`
	// Reason is shown to people when the rule matches.
	Reason string `json:"reason,omitempty"`
	// Approval shapes the approval when Effect is require_approval; zero
	// fields fall back to the pack's Approvals defaults.
	Approval ApprovalPlan `json:"approval"`
	// Source is "FILE:LINE" of the rule's id, for messages.
	Source string `json:"source,omitempty"`
}

// ApprovalPlan says who approves, how many must, and what happens when
// nobody does.
type ApprovalPlan struct {
	Roles []string `json:"roles,omitempty"` // e.g. approver (that role or higher)
	Users []string `json:"users,omitempty"` // named people
	Count int      `json:"count,omitempty"` // distinct approvers needed; 0: 1
	// SegregationOfDuties: the agent's owner or the requester cannot be
	// the only approvers.
	SegregationOfDuties bool `json:"segregation_of_duties,omitempty"`
	// SLA is how long the first level has; 0: the default (24h).
	SLA time.Duration `json:"sla,omitempty"`
	// Escalate is the chain after the first level, in order.
	Escalate []EscalationLevel `json:"escalate,omitempty"`
	// OnTimeout after the last level: "expire" (default) or "deny".
	OnTimeout string `json:"on_timeout,omitempty"`
}

// EscalationLevel is one step up the chain.
type EscalationLevel struct {
	Roles []string      `json:"roles,omitempty"`
	Users []string      `json:"users,omitempty"`
	SLA   time.Duration `json:"sla,omitempty"` // 0: the plan's SLA
}

// FreezeWindow is a period when sends and pauses are not allowed (for
// example a product launch or the holiday peak). Rules see
// calendar.in_freeze and calendar.freeze (its name).
type FreezeWindow struct {
	Name string    `json:"name"`
	From time.Time `json:"from"`
	To   time.Time `json:"to"`
}

// AutonomyConfig sets autonomy levels per skill and action kind, and how
// agents earn and lose them.
type AutonomyConfig struct {
	// Defaults per action kind, for every skill; DefaultLevels fills the
	// kinds not named.
	Defaults map[proposal.Kind]Level `json:"defaults,omitempty"`
	// Skills override Defaults per skill and kind.
	Skills  map[string]map[proposal.Kind]Level `json:"skills,omitempty"`
	Promote PromotionRule                      `json:"promote"`
	// DemoteOn lists what takes an earned level away: "undo",
	// "incident", "breaker". Empty: all three.
	DemoteOn []string `json:"demote_on,omitempty"`
}

// PromotionRule is how an agent earns autonomy for an action kind.
type PromotionRule struct {
	// After consecutive proposals approved without edit (0: never promote).
	After int `json:"after,omitempty"`
	// NoUndoFor: no undo of this kind within this period.
	NoUndoFor time.Duration `json:"no_undo_for,omitempty"`
	From      Level         `json:"from,omitempty"` // default approve
	To        Level         `json:"to,omitempty"`   // default auto
	// Except lists kinds never promoted (for example merge_people).
	Except []proposal.Kind `json:"except,omitempty"`
	// The streak alone is not enough: the agent's scorecard for the kind
	// over Window (default 30 days) must also show at least MinAcceptRate
	// of people's decisions approving, at most MaxUndoRate of executions
	// undone and, once outcomes are measured, at least MinRealisedRatio
	// of the promised value realised. Zero: not checked.
	MinAcceptRate    float64       `json:"min_accept_rate,omitempty"`
	MaxUndoRate      float64       `json:"max_undo_rate,omitempty"`
	MinRealisedRatio float64       `json:"min_realised_ratio,omitempty"`
	Window           time.Duration `json:"window,omitempty"`
}

// CapsConfig bounds how much agents may change. Agent caps (agents/*.toml)
// apply on top: the lower of the two wins.
type CapsConfig struct {
	Default Caps            `json:"default"`
	Skills  map[string]Caps `json:"skills,omitempty"`
}

// Caps are limits on records changed; zero means no limit.
type Caps struct {
	RecordsPerRun int `json:"records_per_run,omitempty"`
	RecordsPerDay int `json:"records_per_day,omitempty"`
	// SystemPct: at most this percent of a system's records in one
	// proposal.
	SystemPct float64 `json:"system_pct,omitempty"`
}

// BreakerConfig says when an agent's record is bad enough to stop it.
type BreakerConfig struct {
	Window time.Duration `json:"window,omitempty"` // default 24h
	// MinDecided proposals decided in the window before RejectRate counts.
	MinDecided int     `json:"min_decided,omitempty"`
	RejectRate float64 `json:"reject_rate,omitempty"` // 0: not checked
	Undos      int     `json:"undos,omitempty"`       // trips at this many undos; 0: not checked
	Errors     int     `json:"errors,omitempty"`      // trips at this many failed executions; 0: not checked
}
