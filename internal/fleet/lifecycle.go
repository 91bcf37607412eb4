package fleet

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/towerops/tower/internal/action"
	"github.com/towerops/tower/internal/audit"
	"github.com/towerops/tower/internal/governance"
	"github.com/towerops/tower/internal/proposal"
	"github.com/towerops/tower/internal/store"
)

// Lifecycle carries proposals from a decision to their end.
type Lifecycle struct {
	Store store.Store
	// AfterExecute, when set, is called by ExecuteReady after each
	// proposal it executed (for progress reporting).
	AfterExecute func(id string)
	// Enqueuer, when set, enqueues the execution of approved proposals in
	// the approval's transaction.
	Enqueuer Enqueuer
	// Pack is the workspace's governance (approvals, earned autonomy, the
	// breaker); nil: the built-in defaults.
	Pack *governance.Pack
	// Runner governs edited revisions again; nil: autonomy defaults only.
	Runner *Runner
	// Outbox, when set, says which connected systems receive the record
	// changes executions make (see action.Outbox); nil: none.
	Outbox action.Outbox
	Now    func() time.Time
}

func (l *Lifecycle) now() time.Time {
	if l.Now != nil {
		return l.Now().UTC()
	}
	return time.Now().UTC()
}

// ErrNotRunnable is returned (wrapped) by Execute for a proposal that is
// not allowed or approved.
var ErrNotRunnable = errors.New("proposal cannot run")

// ActorOf says who cleared a proposal: "user:NAME" for its last
// approver, or "autonomy:LEVEL" for the grant that let it run on its own.
func ActorOf(p *proposal.Proposal) string {
	if p.Decision == nil {
		return "system"
	}
	for i := len(p.Decision.Approvals) - 1; i >= 0; i-- {
		if p.Decision.Approvals[i].Verdict == "approved" {
			return "user:" + p.Decision.Approvals[i].By
		}
	}
	return "autonomy:" + p.Decision.Autonomy
}

// Execute applies an allowed or approved proposal, each action exactly
// once. Calling it again after a crash resumes: actions already recorded
// are skipped. It returns the executor's error so a job can retry; the
// caller marks the proposal failed on its last attempt (Fail).
func (l *Lifecycle) Execute(ctx context.Context, id string) (*proposal.Proposal, error) {
	p, err := l.Store.ProposalGet(ctx, &store.ProposalGetParams{ID: id})
	if err != nil {
		return nil, err
	}
	switch p.Status {
	case proposal.StatusExecuted, proposal.StatusUndone:
		return p, nil // done before: a duplicate job
	case proposal.StatusAllowed, proposal.StatusApproved, proposal.StatusFailed:
		// The kill switch and a stopped agent hold a proposal where it is
		// (allowed or approved), so nothing about it changes while it waits.
		if err := l.gate(p)(ctx, l.Store); err != nil {
			return nil, err
		}
		moved, err := l.move(ctx, p, proposal.StatusExecuting, "", "proposal.executing")
		if errors.Is(err, store.ErrConflict) {
			// Another worker (or a person) got there first: carry on only
			// if it is now executing; Apply skips what is already done.
			if moved, err = l.Store.ProposalGet(ctx, &store.ProposalGetParams{ID: id}); err == nil && moved.Status != proposal.StatusExecuting {
				return moved, nil
			}
		}
		if err != nil {
			return nil, err
		}
		p = moved
	case proposal.StatusExecuting:
		// resume after a crash or a retry
	default:
		return nil, fmt.Errorf("%w: proposal %s is %s", ErrNotRunnable, id, p.Status)
	}
	x := action.Context{ProposalID: p.ID, Skill: p.Skill, Agent: p.Agent, Actor: ActorOf(p), Now: l.now(), Outbox: l.Outbox}
	if a, err := l.Store.AgentGet(ctx, &store.AgentGetParams{Name: p.Agent}); err == nil {
		x.Owner = a.Owner
	}
	if _, err := action.ApplyGated(ctx, l.Store, p, x, l.gate(p)); err != nil {
		return nil, fmt.Errorf("execute %s: %w", id, err)
	}
	return l.move(ctx, p, proposal.StatusExecuted, "", "proposal.executed")
}

// gate says whether p may run now: not while the kill switch is on
// (governance.ErrExecutionPaused), and not on its own autonomy while its
// agent is paused or tripped (governance.ErrAgentHeld). A proposal a
// person approved still runs when its agent is stopped: the person
// cleared it, not the agent's autonomy. Execute asks before moving p to
// executing and Apply before each action, so a running proposal stops
// between two actions.
func (l *Lifecycle) gate(p *proposal.Proposal) action.Gate {
	byPerson := clearedByPerson(p)
	return func(ctx context.Context, q store.Queries) error {
		paused, err := governance.ExecutionPaused(ctx, q)
		if err != nil {
			return err
		}
		if paused {
			return fmt.Errorf("proposal %s waits: %w", p.ID, governance.ErrExecutionPaused)
		}
		if byPerson {
			return nil
		}
		a, err := q.AgentGet(ctx, &store.AgentGetParams{Name: p.Agent})
		if errors.Is(err, store.ErrNotFound) {
			return nil // the agent was removed; what it was allowed to do stands
		}
		if err != nil {
			return err
		}
		if a.State != store.AgentActive {
			return fmt.Errorf("proposal %s waits for agent %s (%s): %w", p.ID, a.Name, a.State, governance.ErrAgentHeld)
		}
		return nil
	}
}

// clearedByPerson reports whether a person approved p (rather than the
// agent's autonomy letting it run).
func clearedByPerson(p *proposal.Proposal) bool {
	if p.Status == proposal.StatusApproved {
		return true
	}
	if p.Decision == nil {
		return false
	}
	for _, a := range p.Decision.Approvals {
		if a.Verdict == "approved" {
			return true
		}
	}
	return false
}

// ExecuteOnce executes a proposal now, for a person or a command that
// will not retry: an executor error marks the proposal failed with the
// reason (and the breaker looks at the agent), and the error is returned.
// A proposal that must wait — the kill switch (governance.ErrExecutionPaused)
// or its agent stopped (governance.ErrAgentHeld) — is left as it is and
// that error returned, since it runs later. The workers retry instead
// and fail a proposal only after their last attempt.
func (l *Lifecycle) ExecuteOnce(ctx context.Context, id string) (*proposal.Proposal, error) {
	p, err := l.Execute(ctx, id)
	if err == nil || Waiting(err) {
		return p, err
	}
	if _, ferr := l.Fail(ctx, id, err.Error()); ferr != nil {
		return nil, fmt.Errorf("%w (and recording the failure failed: %w)", err, ferr)
	}
	return nil, err
}

// Waiting says whether an execution error only means "not now": the
// kill switch is on, or the proposal's agent is paused or tripped.
func Waiting(err error) bool {
	return errors.Is(err, governance.ErrExecutionPaused) || errors.Is(err, governance.ErrAgentHeld)
}

// Fail marks an executing proposal failed with the reason, and lets the
// circuit breaker look at the agent's record in the same transaction.
func (l *Lifecycle) Fail(ctx context.Context, id, reason string) (*proposal.Proposal, error) {
	p, err := l.Store.ProposalGet(ctx, &store.ProposalGetParams{ID: id})
	if err != nil {
		return nil, err
	}
	if p.Status != proposal.StatusExecuting {
		return p, nil
	}
	return l.moveThen(ctx, p, proposal.StatusFailed, reason, "proposal.failed", "system",
		func(ctx context.Context, q store.Queries, now time.Time) error {
			_, err := governance.Breaker{Pack: l.Pack}.Check(ctx, q, p.Agent, now)
			return err
		})
}

// Undo reverses an executed proposal, action by action in reverse order.
func (l *Lifecycle) Undo(ctx context.Context, id, user string) (*proposal.Proposal, error) {
	p, err := l.Store.ProposalGet(ctx, &store.ProposalGetParams{ID: id})
	if err != nil {
		return nil, err
	}
	if err := proposal.CheckTransition(p.Status, proposal.StatusUndone); err != nil {
		return nil, fmt.Errorf("proposal %s is %s; only an executed proposal can be undone: %w", id, p.Status, err)
	}
	x := action.Context{ProposalID: p.ID, Skill: p.Skill, Agent: p.Agent, Actor: "user:" + user, Now: l.now(), Outbox: l.Outbox}
	if err := action.UndoAll(ctx, l.Store, p, x); err != nil {
		return nil, err
	}
	// An undo is a mark against the agent: the kinds it undid lose any
	// autonomy they earned, and the breaker counts it. Both happen with
	// the status change, so none of it is lost to a crash.
	return l.moveThen(ctx, p, proposal.StatusUndone, "", "proposal.undone", "user:"+user,
		func(ctx context.Context, q store.Queries, now time.Time) error {
			a, err := q.AgentGet(ctx, &store.AgentGetParams{Name: p.Agent})
			if errors.Is(err, store.ErrNotFound) {
				return nil
			}
			if err != nil {
				return err
			}
			reason := fmt.Sprintf("proposal %s was undone by %s", p.ID, user)
			if err := (governance.Earner{Pack: l.Pack}).Demote(ctx, q, *a, kindsOf(p), governance.CauseUndo, reason, now); err != nil {
				return err
			}
			_, err = governance.Breaker{Pack: l.Pack}.Check(ctx, q, p.Agent, now)
			return err
		})
}

// kindsOf lists p's distinct action kinds.
func kindsOf(p *proposal.Proposal) []proposal.Kind {
	out := []proposal.Kind{}
	for _, a := range p.Actions {
		if !slices.Contains(out, a.Kind) {
			out = append(out, a.Kind)
		}
	}
	return out
}

// Expire moves every open proposal whose expiry has passed to expired and
// returns how many it moved.
func (l *Lifecycle) Expire(ctx context.Context) (int, error) {
	now := l.now()
	n := 0
	for {
		ps, err := l.Store.ProposalsList(ctx, &store.ProposalsListParams{Page: store.Page{Limit: 500},
			Statuses:      []proposal.Status{proposal.StatusPendingApproval, proposal.StatusAllowed, proposal.StatusApproved},
			ExpiresBefore: now})
		if err != nil {
			return n, err
		}
		moved := 0
		for i := range ps {
			if _, err := l.move(ctx, &ps[i], proposal.StatusExpired, "", "proposal.expired"); err != nil {
				if errors.Is(err, store.ErrConflict) {
					continue // someone decided or ran it meanwhile
				}
				return n, err
			}
			moved++
		}
		n += moved
		if len(ps) < 500 || moved == 0 {
			return n, nil
		}
	}
}

func (l *Lifecycle) move(ctx context.Context, p *proposal.Proposal, to proposal.Status, reason, what string) (*proposal.Proposal, error) {
	return l.moveBy(ctx, p, to, reason, what, "system")
}

// moveBy changes status with a compare-and-set and writes the audit entry
// in the same transaction.
func (l *Lifecycle) moveBy(ctx context.Context, p *proposal.Proposal, to proposal.Status, reason, what, actor string) (*proposal.Proposal, error) {
	return l.moveThen(ctx, p, to, reason, what, actor, nil)
}

// moveThen is moveBy that also runs then, when set, in the same
// transaction after the status changed.
func (l *Lifecycle) moveThen(ctx context.Context, p *proposal.Proposal, to proposal.Status, reason, what, actor string,
	then func(ctx context.Context, q store.Queries, now time.Time) error) (*proposal.Proposal, error) {
	now := l.now()
	var out *proposal.Proposal
	err := l.Store.InTx(ctx, func(ctx context.Context, q store.Queries) error {
		var err error
		out, err = q.ProposalUpdate(ctx, &store.ProposalUpdateParams{ID: p.ID, From: p.Status, To: to, Error: reason, At: now})
		if err != nil {
			return err
		}
		data := map[string]any{"from": p.Status, "to": to}
		if reason != "" {
			data["reason"] = reason
		}
		if err := audit.Append(ctx, q, audit.Entry{Actor: actor, Action: what, Subject: "proposal:" + p.ID, At: now, Data: data}); err != nil {
			return err
		}
		if then != nil {
			return then(ctx, q, now)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// ExecuteReady executes every proposal that is allowed, approved or left
// executing by a crash, oldest first, and returns how many it finished.
// A failure is recorded on its proposal (failed, with the reason) and the
// sweep goes on. Proposals held for a stopped agent are left waiting.
// When the kill switch is turned on it stops at once and returns
// governance.ErrExecutionPaused (wrapped); what it did not reach keeps its
// status for the next sweep.
func (l *Lifecycle) ExecuteReady(ctx context.Context) (done int, failed int, err error) {
	held := map[string]bool{}
	for {
		progress := false
		for offset := 0; ; {
			ps, err := l.Store.ProposalsList(ctx, &store.ProposalsListParams{Page: store.Page{Limit: 500, Offset: offset},
				Statuses: []proposal.Status{proposal.StatusAllowed, proposal.StatusApproved, proposal.StatusExecuting}})
			if err != nil {
				return done, failed, err
			}
			for i := len(ps) - 1; i >= 0; i-- {
				if held[ps[i].ID] {
					continue
				}
				if ctx.Err() != nil {
					return done, failed, ctx.Err()
				}
				_, err := l.Execute(ctx, ps[i].ID)
				switch {
				case errors.Is(err, governance.ErrExecutionPaused):
					return done, failed, err
				case errors.Is(err, governance.ErrAgentHeld):
					held[ps[i].ID] = true
					continue
				case err != nil:
					// A failure that cannot be recorded stops the sweep:
					// the proposal would stay executing and be tried again
					// forever.
					if _, ferr := l.Fail(ctx, ps[i].ID, err.Error()); ferr != nil {
						return done, failed, ferr
					}
					failed++
				default:
					done++
					if l.AfterExecute != nil {
						l.AfterExecute(ps[i].ID)
					}
				}
				progress = true
			}
			if len(ps) < 500 {
				break
			}
			// Held proposals stay in the list; page past them. Proposals
			// finished meanwhile shift the pages, and the next round
			// picks up whatever that skipped.
			offset += len(ps)
		}
		if !progress {
			return done, failed, nil
		}
	}
}
