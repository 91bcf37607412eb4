package fleet

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/towerops/tower/internal/audit"
	"github.com/towerops/tower/internal/governance"
	"github.com/towerops/tower/internal/proposal"
	"github.com/towerops/tower/internal/store"
)

// ErrEditEmpty is returned (wrapped) when an edit leaves nothing to do.
var ErrEditEmpty = errors.New("the edit leaves no action with a target; reject the proposal instead")

// Edit makes a person's revision of a pending proposal: change may drop
// targets or actions or change parameters of a copy. The revision gets a
// new id, Revision+1, Revises = the old id and EditedBy = user; it is
// validated and governed again (l.Runner; without one, by autonomy
// defaults), because a smaller change may need fewer approvers and a
// different one may need more. In one transaction the old proposal is
// superseded (its approval request closed as superseded), the revision
// written with its own approval request when it waits for people (or its
// execution enqueued when it may run on its own), and "proposal.edited"
// audited with both ids. An edit breaks the agent's streak of proposals
// approved as proposed.
func (l *Lifecycle) Edit(ctx context.Context, id, user string, change func(*proposal.Proposal) error, reason string) (*proposal.Proposal, error) {
	if user == "" {
		return nil, errors.New("who edits? a user name is required")
	}
	now := l.now()
	var out *proposal.Proposal
	err := l.Store.InTx(ctx, func(ctx context.Context, q store.Queries) error {
		old, err := q.ProposalGet(ctx, &store.ProposalGetParams{ID: id})
		if err != nil {
			return err
		}
		if old.Status != proposal.StatusPendingApproval {
			return fmt.Errorf("%w: proposal %s is %s; only a proposal pending approval can be edited",
				proposal.ErrIllegalTransition, id, old.Status)
		}
		next, err := revisionOf(old, user, now)
		if err != nil {
			return err
		}
		if err := change(next); err != nil {
			return err
		}
		if err := validateRevision(next); err != nil {
			return err
		}
		next.BlastRadius = proposal.BlastRadius(next.Actions)
		agent, err := q.AgentGet(ctx, &store.AgentGetParams{Name: next.Agent})
		if err != nil {
			return fmt.Errorf("agent %s of proposal %s: %w", next.Agent, id, err)
		}
		if err := l.govern(ctx, q, next, *agent, user); err != nil {
			return fmt.Errorf("govern the edited proposal: %w", err)
		}
		if _, err := q.ProposalUpdate(ctx, &store.ProposalUpdateParams{ID: id, From: proposal.StatusPendingApproval,
			To: proposal.StatusSuperseded, At: now}); err != nil {
			return err
		}
		if _, err := q.ApprovalRequestGet(ctx, &store.ApprovalRequestGetParams{ProposalID: id}); err == nil {
			if err := q.ApprovalRequestClose(ctx, &store.ApprovalRequestCloseParams{ProposalID: id, State: store.ApprovalSuperseded, At: now}); err != nil {
				return err
			}
		} else if !errors.Is(err, store.ErrNotFound) {
			return err
		}
		res, err := q.ProposalsInsert(ctx, &store.ProposalsInsertParams{Proposals: []proposal.Proposal{*next}})
		if err != nil {
			return err
		}
		if len(res.Inserted) != 1 {
			return fmt.Errorf("proposal %s: agent %s has another open proposal on %s: %w", id, next.Agent, next.Key, store.ErrConflict)
		}
		switch next.Status {
		case proposal.StatusPendingApproval:
			req := governance.RequestFor(next, *agent, l.pack().PlanFor(next.Decision), "user:"+user, now)
			if err := q.ApprovalRequestsInsert(ctx, &store.ApprovalRequestsInsertParams{Requests: []store.ApprovalRequest{req}}); err != nil {
				return err
			}
		case proposal.StatusAllowed:
			if l.Enqueuer != nil {
				if err := l.Enqueuer.EnqueueExecute(ctx, q, []string{next.ID}); err != nil {
					return err
				}
			}
		}
		if err := audit.Append(ctx, q, audit.Entry{Actor: "user:" + user, Action: "proposal.edited", Subject: "proposal:" + id, At: now,
			Data: map[string]any{"from": id, "to": next.ID, "revision": next.Revision, "reason": reason, "status": next.Status}}); err != nil {
			return err
		}
		if err := (governance.Earner{Pack: l.Pack}).Reset(ctx, q, old, "edited", now); err != nil {
			return err
		}
		out = next
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// revisionOf is a deep copy of old as a new revision by user, not yet
// governed.
func revisionOf(old *proposal.Proposal, user string, now time.Time) (*proposal.Proposal, error) {
	b, err := json.Marshal(old)
	if err != nil {
		return nil, err
	}
	var next proposal.Proposal
	if err := json.Unmarshal(b, &next); err != nil {
		return nil, err
	}
	ttl := old.ExpiresAt.Sub(old.CreatedAt)
	if ttl <= 0 {
		ttl = proposal.DefaultTTL
	}
	next.ID, next.Status = proposal.NewID(now), proposal.StatusProposed
	next.CreatedAt, next.UpdatedAt, next.ExpiresAt = now, now, now.Add(ttl)
	next.Revision, next.Revises, next.EditedBy = max(old.Revision, 1)+1, old.ID, user
	next.Decision, next.Preview, next.Error = nil, []proposal.Change{}, ""
	return &next, nil
}

// validateRevision checks an edited proposal like a skill's draft: at
// least one action, each valid for its kind.
func validateRevision(p *proposal.Proposal) error {
	if len(p.Actions) == 0 {
		return ErrEditEmpty
	}
	var problems []string
	for i, a := range p.Actions {
		if err := proposal.Validate(a); err != nil {
			problems = append(problems, fmt.Sprintf("action %d (%s): %v", i+1, a.Kind, err))
		}
	}
	if len(problems) > 0 {
		return fmt.Errorf("%w: %s", proposal.ErrInvalidDraft, strings.Join(problems, "; "))
	}
	return nil
}

// govern decides an edited revision like any proposal: policies, caps and
// earned autonomy, through the runner (one on the lifecycle's pack when the
// lifecycle has none).
func (l *Lifecycle) govern(ctx context.Context, q store.Queries, p *proposal.Proposal, _ store.Agent, user string) error {
	r := l.Runner
	if r == nil {
		r = &Runner{Store: l.Store, Pack: l.Pack}
	}
	return r.Govern(ctx, q, p, "user:"+user)
}

// pack is the governance that shapes approvals: the lifecycle's, else the
// runner's (nil: built-in defaults).
func (l *Lifecycle) pack() *governance.Pack {
	if l.Pack == nil && l.Runner != nil {
		return l.Runner.Pack
	}
	return l.Pack
}
