package fleet

import (
	"context"
	"errors"
	"fmt"
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

// actorOf says who cleared a proposal: the last approver, or the autonomy
// grant that let it run on its own.
func actorOf(p *proposal.Proposal) string {
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
	x := action.Context{ProposalID: p.ID, Skill: p.Skill, Agent: p.Agent, Actor: actorOf(p), Now: l.now()}
	if a, err := l.Store.AgentGet(ctx, &store.AgentGetParams{Name: p.Agent}); err == nil {
		x.Owner = a.Owner
	}
	if _, err := action.Apply(ctx, l.Store, p, x); err != nil {
		return nil, fmt.Errorf("execute %s: %w", id, err)
	}
	return l.move(ctx, p, proposal.StatusExecuted, "", "proposal.executed")
}

// Fail marks an executing proposal failed with the reason.
func (l *Lifecycle) Fail(ctx context.Context, id, reason string) (*proposal.Proposal, error) {
	p, err := l.Store.ProposalGet(ctx, &store.ProposalGetParams{ID: id})
	if err != nil {
		return nil, err
	}
	if p.Status != proposal.StatusExecuting {
		return p, nil
	}
	return l.move(ctx, p, proposal.StatusFailed, reason, "proposal.failed")
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
	x := action.Context{ProposalID: p.ID, Skill: p.Skill, Agent: p.Agent, Actor: "user:" + user, Now: l.now()}
	if err := action.UndoAll(ctx, l.Store, p, x); err != nil {
		return nil, err
	}
	return l.moveBy(ctx, p, proposal.StatusUndone, "", "proposal.undone", "user:"+user)
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
		return audit.Append(ctx, q, audit.Entry{Actor: actor, Action: what, Subject: "proposal:" + p.ID, At: now, Data: data})
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// ExecuteReady executes every proposal that is allowed, approved or left
// executing by a crash, oldest first, and returns how many it finished.
// A failure is recorded on its proposal (failed, with the reason) and the
// sweep goes on.
func (l *Lifecycle) ExecuteReady(ctx context.Context) (done int, failed int, err error) {
	for {
		ps, err := l.Store.ProposalsList(ctx, &store.ProposalsListParams{Page: store.Page{Limit: 500},
			Statuses: []proposal.Status{proposal.StatusAllowed, proposal.StatusApproved, proposal.StatusExecuting}})
		if err != nil {
			return done, failed, err
		}
		if len(ps) == 0 {
			return done, failed, nil
		}
		for i := len(ps) - 1; i >= 0; i-- {
			if ctx.Err() != nil {
				return done, failed, ctx.Err()
			}
			if _, err := l.Execute(ctx, ps[i].ID); err != nil {
				if _, ferr := l.Fail(ctx, ps[i].ID, err.Error()); ferr != nil {
					return done, failed, ferr
				}
				failed++
				continue
			}
			done++
			if l.AfterExecute != nil {
				l.AfterExecute(ps[i].ID)
			}
		}
	}
}
