package governance

import "time"

// Vars are what a policy rule sees, for one action of a proposal. The
// names in the cel tags are the names rules use (action.records,
// agent.track.streak, ...); docs/governance.md lists them all.
type Vars struct {
	Action   ActionVars   `cel:"action"`
	Proposal ProposalVars `cel:"proposal"`
	Agent    AgentVars    `cel:"agent"`
	// Actor is who asked: "agent:NAME" for a skill run, "user:NAME" for a
	// person's edit.
	Actor    string       `cel:"actor"`
	Now      time.Time    `cel:"now"`
	Calendar CalendarVars `cel:"calendar"` // filled from the pack's freeze windows
}

// ActionVars describe one action.
type ActionVars struct {
	Kind string `cel:"kind"`
	// Records counts the distinct targets the action changes (records,
	// people, accounts, campaigns, ...).
	Records int `cel:"records"`
	// People counts the distinct people the action touches (through
	// their records).
	People int `cel:"people"`
	// AudienceSize counts the people the action reaches or affects,
	// including a campaign's audience.
	AudienceSize int      `cel:"audience_size"`
	Channel      string   `cel:"channel"` // email, sms, ... or ""
	Fields       []string `cel:"fields"`  // fields it writes
	Systems      []string `cel:"systems"` // systems whose records it touches
	// EmailsPeople: the action leads to e-mail reaching people (a notify
	// to people, an unsuppress of e-mail, resuming an e-mail campaign).
	EmailsPeople bool `cel:"emails_people"`
	// WithoutConsent counts targeted people with no e-mail consent in any
	// system (their latest e-mail fact is nowhere "subscribed").
	WithoutConsent int `cel:"without_consent"`
	// Amount is the money moved by shift_budget (0 otherwise).
	Amount float64 `cel:"amount"`
	// HardLimit names the brand-harm limit a pause_campaign halts for
	// (complaint_rate, unsubscribe_rate, hard_bounce_rate); "" for any
	// other pause. The default policy lets such halts run on their own.
	HardLimit string `cel:"hard_limit"`
}

// ProposalVars describe the proposal the action belongs to.
type ProposalVars struct {
	Skill         string    `cel:"skill"`
	Confidence    float64   `cel:"confidence"`
	ExpectedValue ValueVars `cel:"expected_value"`
	BlastRadius   int       `cel:"blast_radius"`
	Actions       int       `cel:"actions"`
}

// ValueVars is the proposal's expected value.
type ValueVars struct {
	Conversions float64 `cel:"conversions"`
	PipelineUSD float64 `cel:"pipeline_usd"`
	SavingsUSD  float64 `cel:"savings_usd"`
	HoursSaved  float64 `cel:"hours_saved"`
}

// AgentVars describe the agent that proposed.
type AgentVars struct {
	Name  string `cel:"name"`
	Owner string `cel:"owner"`
	// Autonomy is the level that applies to this action's kind.
	Autonomy string    `cel:"autonomy"`
	Track    TrackVars `cel:"track"`
}

// TrackVars is the agent's track record for this action kind, and its
// recent history over the breaker window.
type TrackVars struct {
	Streak   int  `cel:"streak"`   // consecutive approvals without edit
	Earned   bool `cel:"earned"`   // the level was earned, not configured
	Approved int  `cel:"approved"` // in the breaker window
	Rejected int  `cel:"rejected"`
	Undone   int  `cel:"undone"`
	Failed   int  `cel:"failed"`
}

// CalendarVars say whether now is inside a freeze window.
type CalendarVars struct {
	InFreeze bool   `cel:"in_freeze"`
	Freeze   string `cel:"freeze"`
}
