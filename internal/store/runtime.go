package store

import (
	"context"
	"errors"
	"time"

	"github.com/towerops/tower/internal/proposal"
)

// ErrConflict is returned (wrapped) when a write lost a race: a proposal
// was no longer in the status the caller expected, or an execution key was
// already recorded. The caller re-reads and decides; it is never retried
// blindly.
var ErrConflict = errors.New("changed by someone else")

// Runtime stores the agent fleet's work: agents, their runs, proposals and
// the executions that carried them out.
type Runtime interface {
	// AgentsUpsert writes agents on their natural key, the name. CreatedAt
	// of an existing agent is kept; State is written as given.
	AgentsUpsert(ctx context.Context, p *AgentsUpsertParams) error
	// AgentGet returns ErrNotFound for an unknown name.
	AgentGet(ctx context.Context, p *AgentGetParams) (*Agent, error)
	// AgentsList orders by name and pages with After (names > After), so a
	// fleet of any size is read in batches without OFFSET scans.
	AgentsList(ctx context.Context, p *AgentsListParams) ([]Agent, error)
	// AgentsCount counts agents matching the same filters as AgentsList.
	AgentsCount(ctx context.Context, p *AgentsListParams) (int, error)
	// AgentStateSet changes one agent's state; ErrNotFound when unknown.
	AgentStateSet(ctx context.Context, p *AgentStateSetParams) (*Agent, error)
	// AgentsDelete removes agents by name (those deleted from the
	// workspace's agents/ folder). Their proposals stay.
	AgentsDelete(ctx context.Context, p *AgentsDeleteParams) (int, error)

	// ProposalsInsert writes new proposals. A proposal whose (agent, key)
	// already has an open proposal (see proposal.Status.Open) is skipped and
	// reported in Skipped, so re-running an agent never duplicates work.
	ProposalsInsert(ctx context.Context, p *ProposalsInsertParams) (*ProposalsInsertResult, error)
	// ProposalGet returns ErrNotFound for an unknown id.
	ProposalGet(ctx context.Context, p *ProposalGetParams) (*proposal.Proposal, error)
	// ProposalsList orders newest first: (created_at DESC, id DESC).
	ProposalsList(ctx context.Context, p *ProposalsListParams) ([]proposal.Proposal, error)
	// ProposalsCount counts proposals by status for the same filters.
	ProposalsCount(ctx context.Context, p *ProposalsListParams) (map[proposal.Status]int, error)
	// ProposalUpdate moves one proposal from From to To (a legal move, see
	// proposal.CheckTransition, else ErrIllegalTransition wrapped), only if
	// it is still in From (else ErrConflict wrapped). Non-nil Decision,
	// Preview and a non-empty Error replace the stored ones.
	ProposalUpdate(ctx context.Context, p *ProposalUpdateParams) (*proposal.Proposal, error)

	// ExecutionRecord stores that one action was applied. Call it in the
	// same InTx as the effect: the key is unique, so a second record of the
	// same key fails with ErrConflict and the effect is rolled back with it.
	ExecutionRecord(ctx context.Context, p *ExecutionRecordParams) error
	// ExecutionGet returns ErrNotFound for an unknown key.
	ExecutionGet(ctx context.Context, p *ExecutionGetParams) (*Execution, error)
	// ExecutionsList lists the executions of a proposal, by action index.
	ExecutionsList(ctx context.Context, p *ExecutionsListParams) ([]Execution, error)
	// ExecutionUndone marks an execution undone (once: ErrConflict when it
	// already is, ErrNotFound when unknown).
	ExecutionUndone(ctx context.Context, p *ExecutionUndoneParams) error

	// RunsInsert records that a skill ran over some agents.
	RunsInsert(ctx context.Context, p *RunsInsertParams) error
	// RunsList orders newest first.
	RunsList(ctx context.Context, p *RunsListParams) ([]Run, error)
}

// AgentState is whether an agent runs.
type AgentState string

// Agent states.
const (
	AgentActive  AgentState = "active"
	AgentPaused  AgentState = "paused"
	AgentTripped AgentState = "tripped" // paused by the circuit breaker
)

// Scope limits what an agent looks at. Kind "all" (or "") looks at
// everything; otherwise Values name the campaigns, segments, regions or
// account ids in scope.
type Scope struct {
	Kind   string   `json:"kind"` // all | campaign | segment | region | accounts
	Values []string `json:"values,omitempty"`
}

// Caps bound how much an agent may change. Zero means no cap.
type Caps struct {
	RecordsPerRun int     `json:"records_per_run,omitempty"`
	RecordsPerDay int     `json:"records_per_day,omitempty"`
	AudiencePct   float64 `json:"audience_pct,omitempty"`
}

// Agent is a configured instance of a skill.
type Agent struct {
	Name  string
	Skill string
	// Owner is the user answerable for the agent (its "agent boss").
	Owner       string
	Description string
	Scope       Scope
	// Params override the skill's parameter defaults.
	Params map[string]any
	// Autonomy overrides the autonomy level per action kind.
	Autonomy map[proposal.Kind]string
	Caps     Caps
	// Schedule overrides the skill's schedule (cron); "" keeps it.
	Schedule string
	State    AgentState
	// StateReason says why the agent is paused or tripped.
	StateReason string
	// Source is where the agent is declared: "workspace" (agents/*.toml,
	// kept in sync with the files) or "cli".
	Source    string
	CreatedAt time.Time
	UpdatedAt time.Time
}

// AgentsUpsertParams: natural key Name.
type AgentsUpsertParams struct{ Agents []Agent }

// AgentGetParams finds an agent by name.
type AgentGetParams struct{ Name string }

// AgentsListParams filters agents; zero fields do not filter. Limit 0
// means 100.
type AgentsListParams struct {
	Skill  string
	State  AgentState
	Source string
	After  string // names strictly after this one
	Limit  int
}

// AgentStateSetParams sets an agent's state.
type AgentStateSetParams struct {
	Name   string
	State  AgentState
	Reason string
	At     time.Time
}

// AgentsDeleteParams names agents to delete.
type AgentsDeleteParams struct{ Names []string }

// ProposalsInsertParams carries new proposals (status proposed, or already
// decided when governance ran before the write).
type ProposalsInsertParams struct{ Proposals []proposal.Proposal }

// ProposalsInsertResult says which proposals were written.
type ProposalsInsertResult struct {
	Inserted []string // ids written
	Skipped  []int    // indexes skipped: an open proposal with that agent and key exists
}

// ProposalGetParams finds a proposal by id.
type ProposalGetParams struct{ ID string }

// ProposalsListParams filters proposals; zero fields do not filter.
type ProposalsListParams struct {
	Page
	Statuses []proposal.Status
	Skill    string
	Agent    string
	Since    time.Time // created at or after
	Until    time.Time // created before
	// ExpiresBefore finds proposals whose expiry is before this time.
	ExpiresBefore time.Time
}

// ProposalUpdateParams moves a proposal along its lifecycle.
type ProposalUpdateParams struct {
	ID       string
	From, To proposal.Status
	Decision *proposal.Decision
	Preview  []proposal.Change
	Error    string
	At       time.Time
}

// Execution is one action of a proposal, applied.
type Execution struct {
	Key        string // proposal.ActionKey(ProposalID, Action)
	ProposalID string
	Action     int
	Kind       proposal.Kind
	// Actor is who cleared it: "user:NAME" for an approver or
	// "autonomy:LEVEL" for an autonomy grant.
	Actor string
	// Result says what was done, for people ("suppressed 3 records").
	Result string
	// Undo is what the executor needs to reverse the effect (JSON).
	Undo       []byte
	ExecutedAt time.Time
	UndoneAt   time.Time // zero until undone
	UndoneBy   string
}

// ExecutionRecordParams stores one execution.
type ExecutionRecordParams struct{ Execution Execution }

// ExecutionGetParams finds an execution by key.
type ExecutionGetParams struct{ Key string }

// ExecutionsListParams lists executions of a proposal.
type ExecutionsListParams struct{ ProposalID string }

// ExecutionUndoneParams marks an execution undone.
type ExecutionUndoneParams struct {
	Key string
	At  time.Time
	By  string
}

// Run is one skill run over a batch of agents.
type Run struct {
	ID         string
	Skill      string
	Trigger    string // "schedule", "event:KIND", "manual", "simulate"
	Agents     int
	Proposals  int // written
	Skipped    int // duplicates of open proposals
	Error      string
	StartedAt  time.Time
	FinishedAt time.Time
}

// RunsInsertParams records runs.
type RunsInsertParams struct{ Runs []Run }

// RunsListParams filters runs.
type RunsListParams struct {
	Page
	Skill string
}
