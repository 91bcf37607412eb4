package fleet

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/towerops/tower/internal/governance"
	"github.com/towerops/tower/internal/proposal"
	"github.com/towerops/tower/internal/skill"
	"github.com/towerops/tower/internal/store"
)

// Enqueuer enqueues the execution of allowed proposals inside the
// transaction that writes them. internal/jobs provides it; nil means
// allowed proposals wait for `tower proposals execute` or a worker sweep.
type Enqueuer interface {
	EnqueueExecute(ctx context.Context, q store.Queries, proposalIDs []string) error
}

// Runner runs skills over their agents.
type Runner struct {
	Store store.Store
	// Pack is the workspace's governance; nil: the default pack.
	Pack *governance.Pack
	// Governor decides on proposals; nil: a governance.Engine on Pack.
	Governor governance.Governor
	Enqueuer Enqueuer // nil: no jobs enqueued
	Logger   *slog.Logger
	// BatchSize is how many agents one skill call sees; default 1000.
	BatchSize int
	// Knowledge loads knowledge layers for skills that declare them.
	Knowledge skill.KnowledgeFunc
}

// RunRequest says which agents to run and how.
type RunRequest struct {
	Skill   string
	Agents  []string // only these agents (of Skill when set); nil: every active agent
	Trigger skill.Trigger
	// Now is the time the run happens at; zero: the current time.
	Now time.Time
	// DryRun runs skills and governance but writes nothing.
	DryRun bool
	// DefaultScheduleOnly leaves out agents that have a schedule of their
	// own (a skill's scheduled run).
	DefaultScheduleOnly bool
}

// RunResult says what a run did.
type RunResult struct {
	Skill     string
	Agents    int
	Proposals []proposal.Proposal // written (or, in a dry run, that would be)
	Skipped   int                 // drafts that duplicate an open proposal
	Invalid   []AgentError        // drafts refused and agents that could not run
	ByStatus  map[proposal.Status]int
	Duration  time.Duration

	// usage sums, per agent, the records of this run's allowed proposals
	// so far (for caps per run).
	usage map[string]int
	// systemTotals is read once per run, when a cap needs it.
	systemTotals map[string]int
}

// AgentError is a problem with one agent or one draft, kept with the run
// instead of failing the whole fleet.
type AgentError struct {
	Agent string `json:"agent"`
	Err   string `json:"error"`
}

func (r *Runner) logger() *slog.Logger {
	if r.Logger != nil {
		return r.Logger
	}
	return slog.Default()
}

func (r *Runner) governor() (governance.Governor, error) {
	if r.Governor != nil {
		return r.Governor, nil
	}
	p, err := r.pack()
	if err != nil {
		return nil, err
	}
	return &governance.Engine{Pack: p, Reader: r.Store}, nil
}

func (r *Runner) pack() (*governance.Pack, error) {
	if r.Pack != nil {
		return r.Pack, nil
	}
	return governance.DefaultPack()
}

// Run runs one skill over its agents in batches.
func (r *Runner) Run(ctx context.Context, req RunRequest) (*RunResult, error) {
	start := time.Now()
	sk, err := skill.Lookup(req.Skill)
	if err != nil {
		return nil, err
	}
	now := req.Now
	if now.IsZero() {
		now = time.Now()
	}
	now = now.UTC()
	res := &RunResult{Skill: req.Skill, ByStatus: map[proposal.Status]int{}, usage: map[string]int{}}
	batchSize := r.BatchSize
	if batchSize <= 0 {
		batchSize = 1000
	}
	next := r.agentSource(req, batchSize)
	for {
		agents, err := next(ctx)
		if err != nil {
			return nil, err
		}
		if len(agents) == 0 {
			break
		}
		if err := r.runBatch(ctx, sk, agents, req, now, res); err != nil {
			return nil, err
		}
	}
	res.Duration = time.Since(start)
	r.logger().InfoContext(ctx, "skill run", "skill", req.Skill, "agents", res.Agents,
		"proposals", len(res.Proposals), "skipped", res.Skipped, "invalid", len(res.Invalid),
		"dry_run", req.DryRun, "took", res.Duration)
	return res, nil
}

// agentSource returns a function that yields the next batch of agents.
func (r *Runner) agentSource(req RunRequest, size int) func(context.Context) ([]store.Agent, error) {
	if req.Agents != nil {
		names := req.Agents
		return func(ctx context.Context) ([]store.Agent, error) {
			var out []store.Agent
			for len(names) > 0 && len(out) < size {
				a, err := r.Store.AgentGet(ctx, &store.AgentGetParams{Name: names[0]})
				if err != nil {
					return nil, fmt.Errorf("agent %s: %w", names[0], err)
				}
				names = names[1:]
				if a.Skill != req.Skill {
					return nil, fmt.Errorf("agent %s runs skill %s, not %s", a.Name, a.Skill, req.Skill)
				}
				out = append(out, *a)
			}
			return out, nil
		}
	}
	after, done := "", false
	return func(ctx context.Context) ([]store.Agent, error) {
		if done {
			return nil, nil
		}
		agents, err := r.Store.AgentsList(ctx, &store.AgentsListParams{Skill: req.Skill, State: store.AgentActive, After: after, Limit: size})
		if err != nil {
			return nil, fmt.Errorf("list agents of %s: %w", req.Skill, err)
		}
		if len(agents) < size {
			done = true
		}
		if len(agents) > 0 {
			after = agents[len(agents)-1].Name
		}
		return agents, nil
	}
}

// runBatch runs the skill once for a batch of agents and writes the result.
func (r *Runner) runBatch(ctx context.Context, sk skill.Skill, agents []store.Agent, req RunRequest, now time.Time, res *RunResult) error {
	m := sk.Manifest()
	byName := make(map[string]store.Agent, len(agents))
	batch := make([]skill.Agent, 0, len(agents))
	for _, a := range agents {
		if req.DefaultScheduleOnly && a.Schedule != "" {
			continue
		}
		params, err := m.Resolve(a.Params)
		if err != nil {
			res.Invalid = append(res.Invalid, AgentError{Agent: a.Name, Err: err.Error()})
			continue
		}
		byName[a.Name] = a
		batch = append(batch, skill.Agent{Name: a.Name, Owner: a.Owner, Scope: a.Scope, Params: params})
	}
	res.Agents += len(batch)
	if len(batch) == 0 {
		return nil
	}
	view := skill.NewView(r.Store, now, m.Knowledge, r.Knowledge)
	drafts, err := sk.Run(ctx, view, batch)
	if err != nil {
		return fmt.Errorf("skill %s: %w", m.Name, err)
	}
	gc, err := r.governContext(ctx, drafts, byName, now, res)
	if err != nil {
		return err
	}
	props := make([]proposal.Proposal, 0, len(drafts))
	for _, d := range drafts {
		p, err := r.build(ctx, m, d, byName, gc, req, now)
		if err != nil {
			res.Invalid = append(res.Invalid, AgentError{Agent: d.Agent, Err: err.Error()})
			continue
		}
		if p.Status == proposal.StatusAllowed {
			res.usage[p.Agent] += p.BlastRadius
		}
		props = append(props, p)
	}
	if req.DryRun {
		for _, p := range props {
			res.ByStatus[p.Status]++
		}
		res.Proposals = append(res.Proposals, props...)
		return nil
	}
	written, skipped, err := r.write(ctx, props, byName, m.Name, req.Trigger, len(batch), now)
	if err != nil {
		return err
	}
	for _, p := range written {
		res.ByStatus[p.Status]++
	}
	res.Proposals = append(res.Proposals, written...)
	res.Skipped += skipped
	return nil
}

// ErrUndeclaredAction is returned (wrapped) for a draft whose action kind
// the skill's manifest does not declare.
var ErrUndeclaredAction = errors.New("action kind not declared by the skill")

// build validates a draft, turns it into a proposal and has governance
// decide on it.
func (r *Runner) build(ctx context.Context, m skill.Manifest, d proposal.Draft, agents map[string]store.Agent, gc *governContext, req RunRequest, now time.Time) (proposal.Proposal, error) {
	a, ok := agents[d.Agent]
	if !ok {
		return proposal.Proposal{}, fmt.Errorf("draft names agent %q, which is not in the batch", d.Agent)
	}
	if err := d.Validate(); err != nil {
		return proposal.Proposal{}, err
	}
	for _, act := range d.Actions {
		if !m.Proposes(act.Kind) {
			return proposal.Proposal{}, fmt.Errorf("%w: %s proposes %s", ErrUndeclaredAction, m.Name, act.Kind)
		}
	}
	p := proposal.New(d, m.Name, now)
	p.Trigger = req.Trigger.String()
	preview, err := previewOf(ctx, r.Store, &p)
	if err != nil {
		return proposal.Proposal{}, fmt.Errorf("preview: %w", err)
	}
	p.Preview = preview
	gov, err := r.governor()
	if err != nil {
		return proposal.Proposal{}, err
	}
	dec, err := gov.Decide(ctx, gc.input(&p, a, now))
	if err != nil {
		return proposal.Proposal{}, fmt.Errorf("governance: %w", err)
	}
	dec.DecidedAt = now
	p.Decision = &dec
	p.Status = governance.StatusFor(dec)
	return p, nil
}
