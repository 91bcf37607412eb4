package proposal

import (
	"crypto/rand"
	"encoding/base32"
	"errors"
	"fmt"
	"math"
	"strings"
	"time"
)

// Proposal is what an agent wants done, with everything a person needs to
// judge it. Its JSON form is documented in docs/proposals.md and kept
// stable.
type Proposal struct {
	ID        string    `json:"id"`
	Skill     string    `json:"skill"`
	Agent     string    `json:"agent"`
	Status    Status    `json:"status"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
	// ExpiresAt is when an undecided or unexecuted proposal lapses.
	ExpiresAt time.Time `json:"expires_at"`

	Title     string   `json:"title"`
	Rationale string   `json:"rationale"`
	Actions   []Action `json:"actions"`
	Evidence  Evidence `json:"evidence"`
	// ExpectedValue is what the agent expects the actions to be worth.
	ExpectedValue Value `json:"expected_value"`
	// Confidence is the agent's probability, in [0,1], that the proposal is
	// right.
	Confidence float64 `json:"confidence"`
	// BlastRadius counts the distinct targets the actions touch.
	BlastRadius int `json:"blast_radius"`
	// Preview is the change the actions would make, field by field.
	Preview []Change `json:"preview"`
	// Key identifies what the proposal is about for its agent (for example
	// "person:42"), so an agent never has two open proposals on one thing.
	Key string `json:"key"`
	// Trigger says what started the run that made the proposal.
	Trigger string `json:"trigger,omitempty"`

	Decision *Decision `json:"decision,omitempty"`
	// Revision counts edits: 1 for what the agent proposed, n+1 for a
	// person's edit of revision n.
	Revision int `json:"revision,omitempty"`
	// Revises is the id of the revision this one replaces (edited by
	// EditedBy), "" for the agent's own.
	Revises  string `json:"revises,omitempty"`
	EditedBy string `json:"edited_by,omitempty"`
	// Error is why execution failed, for a failed proposal.
	Error string `json:"error,omitempty"`
}

// Evidence is what a person can check: named figures and chart series.
type Evidence struct {
	Facts  []Fact   `json:"facts"`
	Series []Series `json:"series,omitempty"`
}

// Fact is one figure with where it comes from.
type Fact struct {
	Name   string `json:"name"`
	Value  any    `json:"value"`
	Unit   string `json:"unit,omitempty"`
	Source string `json:"source,omitempty"` // e.g. "crm consent, 2024-03-02"
}

// Series is chart data: points in time order.
type Series struct {
	Name   string  `json:"name"`
	Unit   string  `json:"unit,omitempty"`
	Points []Point `json:"points"`
}

// Point is one value of a series at a time (or a category label).
type Point struct {
	X string  `json:"x"`
	Y float64 `json:"y"`
}

// Value is what a proposal is expected (or, later, realised) to be worth.
type Value struct {
	Conversions float64 `json:"conversions,omitempty"`
	PipelineUSD float64 `json:"pipeline_usd,omitempty"`
	SavingsUSD  float64 `json:"savings_usd,omitempty"`
	HoursSaved  float64 `json:"hours_saved,omitempty"`
	// Assumptions says how the figures were estimated.
	Assumptions []string `json:"assumptions,omitempty"`
}

// Change is one line of a preview: a field of a target before and after.
type Change struct {
	Action int    `json:"action"` // index into Actions
	Target Target `json:"target"`
	Field  string `json:"field"`
	Before string `json:"before"`
	After  string `json:"after"`
}

// Effect is what governance decided.
type Effect string

// Effects, from least to most strict.
const (
	EffectAllow           Effect = "allow"
	EffectRequireApproval Effect = "require_approval"
	EffectDeny            Effect = "deny"
)

// Decision records governance's verdict on a proposal and why.
type Decision struct {
	Effect Effect `json:"effect"`
	// Autonomy is the autonomy level that applied (off, suggest, approve,
	// auto, auto-silent).
	Autonomy string `json:"autonomy"`
	// Rules are the ids of every policy rule that matched.
	Rules  []string `json:"rules"`
	Reason string   `json:"reason"`
	// Approvers says who may approve, for require_approval: "role:NAME"
	// (that role or a higher one) and "user:NAME".
	Approvers []string `json:"approvers,omitempty"`
	// Required is how many distinct people must approve (default 1).
	Required int `json:"required,omitempty"`
	// SegregationOfDuties: the agent's owner or the person who asked
	// cannot be the only approvers.
	SegregationOfDuties bool `json:"segregation_of_duties,omitempty"`
	// Matched explains every rule that matched (policy rules, autonomy,
	// caps), for "tower policy explain".
	Matched []Match `json:"matched,omitempty"`
	// Inputs are the figures the rules saw, per action (for explain).
	Inputs    []Inputs  `json:"inputs,omitempty"`
	DecidedAt time.Time `json:"decided_at"`
	// Approvals are the people's verdicts, in order.
	Approvals []Approval `json:"approvals,omitempty"`
}

// Inputs are the figures governance saw for one action, kept on the
// decision so "tower policy explain" can show why rules matched. A struct,
// not a map: it is filled for every decision, and a map costs more than the
// rules themselves.
type Inputs struct {
	Kind           string   `json:"kind"`
	Records        int      `json:"records"`
	People         int      `json:"people"`
	Autonomy       string   `json:"autonomy"`
	AudienceSize   int      `json:"audience_size,omitempty"`
	Channel        string   `json:"channel,omitempty"`
	EmailsPeople   bool     `json:"emails_people,omitempty"`
	WithoutConsent int      `json:"without_consent,omitempty"`
	Amount         float64  `json:"amount,omitempty"`
	Systems        []string `json:"systems,omitempty"`
	Freeze         string   `json:"freeze,omitempty"`
}

// String lists the figures for people, leaving out the empty ones.
func (in Inputs) String() string {
	parts := []string{"kind=" + in.Kind, fmt.Sprintf("records=%d", in.Records), fmt.Sprintf("people=%d", in.People), "autonomy=" + in.Autonomy}
	if in.AudienceSize != 0 {
		parts = append(parts, fmt.Sprintf("audience_size=%d", in.AudienceSize))
	}
	if in.Channel != "" {
		parts = append(parts, "channel="+in.Channel)
	}
	if in.EmailsPeople {
		parts = append(parts, "emails_people=true", fmt.Sprintf("without_consent=%d", in.WithoutConsent))
	}
	if in.Amount != 0 {
		parts = append(parts, fmt.Sprintf("amount=%g", in.Amount))
	}
	if len(in.Systems) > 0 {
		parts = append(parts, "systems="+strings.Join(in.Systems, "|"))
	}
	if in.Freeze != "" {
		parts = append(parts, "freeze="+in.Freeze)
	}
	return strings.Join(parts, ", ")
}

// Match is one rule that matched a proposal, and why.
type Match struct {
	Rule   string `json:"rule"`
	Effect Effect `json:"effect"`
	Reason string `json:"reason,omitempty"`
	// Source is where the rule is written ("policies/default.yaml:12"),
	// or "autonomy" / "caps" for the built-in checks.
	Source string `json:"source,omitempty"`
	Action int    `json:"action"` // index into Actions
}

// Approval is one person's verdict on a proposal.
type Approval struct {
	By      string    `json:"by"`      // user name
	Verdict string    `json:"verdict"` // "approved" or "rejected"
	Reason  string    `json:"reason,omitempty"`
	At      time.Time `json:"at"`
	// OnBehalfOf names the person a delegate approved for (out of office).
	OnBehalfOf string `json:"on_behalf_of,omitempty"`
}

// Draft is what a skill returns: a proposal before the runtime gives it an
// id, a status, a preview and a decision.
type Draft struct {
	Agent         string
	Title         string
	Rationale     string
	Actions       []Action
	Evidence      Evidence
	ExpectedValue Value
	Confidence    float64
	Key           string
	// TTL is how long the proposal stays open; 0 means DefaultTTL.
	TTL time.Duration
}

// DefaultTTL is how long a proposal waits for a decision by default.
const DefaultTTL = 7 * 24 * time.Hour

// ErrInvalidDraft is returned (wrapped) by Draft.Validate.
var ErrInvalidDraft = errors.New("invalid proposal")

// Validate checks a draft: an agent, a title, a key, at least one action,
// each valid for its kind, and a confidence in [0,1].
func (d Draft) Validate() error {
	var problems []string
	if d.Agent == "" {
		problems = append(problems, "agent: required")
	}
	if strings.TrimSpace(d.Title) == "" {
		problems = append(problems, "title: required")
	}
	if d.Key == "" {
		problems = append(problems, "key: required")
	}
	if len(d.Actions) == 0 {
		problems = append(problems, "actions: at least one")
	}
	for i, a := range d.Actions {
		if err := Validate(a); err != nil {
			problems = append(problems, fmt.Sprintf("actions[%d]: %v", i, err))
		}
	}
	if math.IsNaN(d.Confidence) || d.Confidence < 0 || d.Confidence > 1 {
		problems = append(problems, fmt.Sprintf("confidence: %v is not in [0,1]", d.Confidence))
	}
	if len(problems) > 0 {
		return fmt.Errorf("%w: %s", ErrInvalidDraft, strings.Join(problems, "; "))
	}
	return nil
}

// New turns a valid draft into a proposal in status proposed.
func New(d Draft, skill string, now time.Time) Proposal {
	ttl := d.TTL
	if ttl <= 0 {
		ttl = DefaultTTL
	}
	now = now.UTC()
	return Proposal{
		ID: NewID(now), Skill: skill, Agent: d.Agent, Status: StatusProposed,
		CreatedAt: now, UpdatedAt: now, ExpiresAt: now.Add(ttl),
		Title: d.Title, Rationale: d.Rationale, Actions: d.Actions, Evidence: d.Evidence,
		ExpectedValue: d.ExpectedValue, Confidence: d.Confidence, Key: d.Key,
		BlastRadius: BlastRadius(d.Actions), Preview: []Change{},
	}
}

// BlastRadius counts the distinct targets of the actions.
func BlastRadius(actions []Action) int {
	seen := map[Target]struct{}{}
	for _, a := range actions {
		for _, t := range a.Targets {
			seen[Target{Type: t.Type, ID: t.ID}] = struct{}{}
		}
	}
	return len(seen)
}

var idEncoding = base32.NewEncoding("0123456789abcdefghjkmnpqrstvwxyz").WithPadding(base32.NoPadding)

// NewID returns a proposal id "p_" + 26 characters that sort by creation
// time (48-bit milliseconds, then 80 random bits, Crockford base32).
func NewID(now time.Time) string {
	var b [16]byte
	ms := uint64(now.UnixMilli())
	for i := 5; i >= 0; i-- {
		b[i] = byte(ms)
		ms >>= 8
	}
	_, _ = rand.Read(b[6:])
	return "p_" + idEncoding.EncodeToString(b[:])
}

// ActionKey is the idempotency key of one action of a proposal: executing
// the same key twice has the effect of executing it once.
func ActionKey(proposalID string, index int) string {
	return fmt.Sprintf("%s/%d", proposalID, index)
}
