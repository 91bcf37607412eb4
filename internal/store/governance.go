package store

import (
	"context"
	"encoding/json"
	"time"

	"github.com/towerops/tower/internal/proposal"
)

// Governance stores what governance must remember between decisions and
// across restarts: approval requests with their escalation timers,
// delegations, the earned-autonomy track of each agent, and workspace
// settings such as the kill switch.
type Governance interface {
	// ApprovalRequestsInsert writes the approval requests of proposals that
	// went to pending_approval, in the same transaction as the proposals.
	// A second request for the same proposal fails with ErrConflict.
	ApprovalRequestsInsert(ctx context.Context, p *ApprovalRequestsInsertParams) error
	// ApprovalRequestGet returns ErrNotFound for a proposal without one.
	ApprovalRequestGet(ctx context.Context, p *ApprovalRequestGetParams) (*ApprovalRequest, error)
	// ApprovalRequestsList orders by proposal id and pages with After.
	ApprovalRequestsList(ctx context.Context, p *ApprovalRequestsListParams) ([]ApprovalRequest, error)
	// ApprovalRequestsDue lists open requests whose DueAt is at or before
	// Now, oldest due first (the escalation timers that have fired).
	ApprovalRequestsDue(ctx context.Context, p *ApprovalRequestsDueParams) ([]ApprovalRequest, error)
	// ApprovalRequestEscalate moves an open request from FromLevel to
	// ToLevel with a new DueAt, only if it is still open at FromLevel (else
	// ErrConflict wrapped): this compare-and-set is what makes every
	// escalation fire exactly once, however many sweepers run.
	ApprovalRequestEscalate(ctx context.Context, p *ApprovalRequestEscalateParams) error
	// ApprovalRequestClose closes an open request with State (else
	// ErrConflict wrapped when it is already closed, ErrNotFound when
	// there is none).
	ApprovalRequestClose(ctx context.Context, p *ApprovalRequestCloseParams) error

	// ProposalDecisionSet replaces the Decision of a proposal that is still
	// in Status (else ErrConflict wrapped; ErrNotFound when unknown),
	// without moving it: a partial approval of an N-of-M request.
	ProposalDecisionSet(ctx context.Context, p *ProposalDecisionSetParams) (*proposal.Proposal, error)

	// DelegationSet stores (or, with a zero Until, removes) that From's
	// approvals may be given by To until Until.
	DelegationSet(ctx context.Context, p *DelegationSetParams) error
	// DelegationsList lists delegations in force at At (all when zero),
	// by From.
	DelegationsList(ctx context.Context, p *DelegationsListParams) ([]Delegation, error)

	// AutonomyTracksList returns the tracks of the given agents (all kinds),
	// by agent then kind. Agents with no track are absent.
	AutonomyTracksList(ctx context.Context, p *AutonomyTracksListParams) ([]AutonomyTrack, error)
	// AutonomyTrackPut writes one track on its key (agent, kind).
	AutonomyTrackPut(ctx context.Context, p *AutonomyTrackPutParams) error

	// AgentChanges sums, per agent, the blast radius of its proposals
	// created at or after Since that were allowed to change something
	// (allowed, approved, executing, executed, failed). Agents with none
	// are absent.
	AgentChanges(ctx context.Context, p *AgentChangesParams) (map[string]int, error)
	// RecordsPerSystem counts records per system (for caps in percent of
	// a system).
	RecordsPerSystem(ctx context.Context) (map[string]int, error)

	// SettingGet returns ErrNotFound for a key never set.
	SettingGet(ctx context.Context, p *SettingGetParams) (*Setting, error)
	// SettingSet writes a setting on its key.
	SettingSet(ctx context.Context, p *SettingSetParams) error
}

// Approval request states.
const (
	ApprovalOpen       = "open"
	ApprovalApproved   = "approved"
	ApprovalRejected   = "rejected"
	ApprovalExpired    = "expired"
	ApprovalDenied     = "denied"
	ApprovalSuperseded = "superseded"
)

// ApprovalLevel is one step of an escalation chain: who may approve at
// this level and how long they have before it escalates to the next.
type ApprovalLevel struct {
	Roles []string      `json:"roles,omitempty"`
	Users []string      `json:"users,omitempty"`
	SLA   time.Duration `json:"sla"`
}

// ApprovalRequest is a pending proposal's approval state: who may approve
// now, how many must, and when it escalates.
type ApprovalRequest struct {
	ProposalID string
	Agent      string
	// Owner is the agent's owner and Requester who asked for the work
	// (for segregation of duties).
	Owner     string
	Requester string
	Chain     []ApprovalLevel
	Level     int // index into Chain
	Required  int // distinct approvers needed
	// SoD: the owner or the requester cannot be the only approvers.
	SoD bool
	// OnTimeout is what happens after the last level's SLA: "expire" or
	// "deny".
	OnTimeout string
	DueAt     time.Time
	State     string
	CreatedAt time.Time
	UpdatedAt time.Time
}

// ApprovalRequestsInsertParams carries new requests (State open).
type ApprovalRequestsInsertParams struct{ Requests []ApprovalRequest }

// ApprovalRequestGetParams finds a proposal's request.
type ApprovalRequestGetParams struct{ ProposalID string }

// ApprovalRequestsListParams filters requests; zero fields do not filter.
// Limit 0 means 100.
type ApprovalRequestsListParams struct {
	State string
	Agent string
	After string // proposal ids strictly after this one
	Limit int
}

// ApprovalRequestsDueParams finds fired timers. Limit 0 means 100.
type ApprovalRequestsDueParams struct {
	Now   time.Time
	Limit int
}

// ApprovalRequestEscalateParams moves a request one level on.
type ApprovalRequestEscalateParams struct {
	ProposalID string
	FromLevel  int
	ToLevel    int
	DueAt      time.Time
	At         time.Time
}

// ApprovalRequestCloseParams closes a request.
type ApprovalRequestCloseParams struct {
	ProposalID string
	State      string
	At         time.Time
}

// ProposalDecisionSetParams replaces a proposal's decision in place.
type ProposalDecisionSetParams struct {
	ID       string
	Status   proposal.Status
	Decision proposal.Decision
	At       time.Time
}

// Delegation lets To approve in From's place (out of office).
type Delegation struct {
	From      string
	To        string
	Until     time.Time
	CreatedAt time.Time
}

// DelegationSetParams writes or (zero Until) removes From's delegation.
type DelegationSetParams struct {
	From  string
	To    string
	Until time.Time
	At    time.Time
}

// DelegationsListParams filters delegations.
type DelegationsListParams struct{ At time.Time }

// AutonomyTrack is an agent's record for one action kind: the level it
// has earned (if any) and what earning or losing it depends on.
type AutonomyTrack struct {
	Agent string
	Kind  string
	// Level is the earned level; "" when the agent has not earned or lost
	// one (its configured level applies).
	Level string
	// Streak counts consecutive proposals approved without edit.
	Streak     int
	LastUndoAt time.Time // zero: never undone
	ChangedAt  time.Time // when Level last changed
	Reason     string    // why Level last changed
	UpdatedAt  time.Time
}

// AutonomyTracksListParams names agents; nil lists every track.
type AutonomyTracksListParams struct{ Agents []string }

// AutonomyTrackPutParams writes a track.
type AutonomyTrackPutParams struct{ Track AutonomyTrack }

// AgentChangesParams asks what agents changed since a time.
type AgentChangesParams struct {
	Agents []string
	Since  time.Time
}

// Setting is one workspace-wide switch, stored as JSON.
type Setting struct {
	Key       string
	Value     json.RawMessage
	UpdatedBy string
	UpdatedAt time.Time
}

// SettingGetParams finds a setting.
type SettingGetParams struct{ Key string }

// SettingSetParams writes a setting.
type SettingSetParams struct {
	Key   string
	Value json.RawMessage
	By    string
	At    time.Time
}
