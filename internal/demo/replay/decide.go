package replay

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"github.com/towerops/tower/internal/action"
	"github.com/towerops/tower/internal/fleet"
	"github.com/towerops/tower/internal/governance"
	"github.com/towerops/tower/internal/proposal"
)

// verdict is what a team member will do with a waiting proposal.
type verdict int

const (
	approve verdict = iota
	edit
	reject
)

// randFor is the random source of one choice, derived from the seed and
// what the choice is about (never from proposal ids, which differ from
// run to run), so a history does not depend on the order choices are made.
func (s *sim) randFor(parts ...string) *rand.Rand {
	h := fnv.New64a()
	for _, p := range parts {
		h.Write([]byte(p))
		h.Write([]byte{0})
	}
	return rand.New(rand.NewPCG(uint64(s.cfg.Seed), h.Sum64()))
}

// plan chooses whether, when, by whom and how a waiting proposal is
// decided, and queues that decision.
func (s *sim) plan(p *proposal.Proposal) {
	s.open[p.ID] = p
	h := habitOf(p.Skill)
	r := s.randFor("decide", p.Agent, p.Key, p.CreatedAt.Format(time.RFC3339))
	if r.Float64() < h.Never {
		return // left to the approval chain's deadline
	}
	v, x := approve, r.Float64()*(h.Approve+h.Edit+h.Reject)
	switch {
	case x >= h.Approve+h.Edit:
		v = reject
	case x >= h.Approve:
		v = edit
	}
	// Most decisions come within hours of the proposal; late ones the
	// next day or the one after, before the approval chain's last
	// deadline (24 hours for approvers, 24 more for admins).
	delay := 15*time.Minute + time.Duration(min(r.ExpFloat64(), 5)*float64(2*time.Hour))
	if r.Float64() < h.Late {
		delay = 20*time.Hour + time.Duration(r.Float64()*float64(24*time.Hour))
	}
	reasons := reasonsOf(p.Skill)
	s.push(event{at: p.CreatedAt.Add(delay), kind: evDecide, id: p.ID, agent: p.Agent, verdict: v,
		user: h.Deciders[r.IntN(len(h.Deciders))], reason: reasons[r.IntN(len(reasons))]})
}

// decide carries out a planned decision through the lifecycle.
func (s *sim) decide(ctx context.Context, ev event) error {
	p, ok := s.open[ev.id]
	if !ok {
		return nil // it lapsed first
	}
	delete(s.open, ev.id)
	switch ev.verdict {
	case reject:
		out, err := s.lc.Decide(ctx, p.ID, ev.user, false, ev.reason)
		if skippable(err) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("%s rejecting %s: %w", ev.user, p.ID, err)
		}
		e := entryOf(Rejected, out)
		e.By, e.Reason = ev.user, ev.reason
		s.record(e)
		return nil
	case edit:
		change, reason, ok := editOf(p, ev.user)
		if !ok {
			break // nothing to change: approved as proposed
		}
		rev, err := s.lc.Edit(ctx, p.ID, ev.user, change, reason)
		if skippable(err) {
			return nil
		}
		if errors.Is(err, fleet.ErrEditEmpty) || errors.Is(err, proposal.ErrInvalidDraft) {
			break
		}
		if err != nil {
			return fmt.Errorf("%s editing %s: %w", ev.user, p.ID, err)
		}
		e := entryOf(Edited, rev)
		e.By, e.Reason = ev.user, reason
		s.record(e)
		switch rev.Status {
		case proposal.StatusPendingApproval:
			return s.approve(ctx, rev, ev.user)
		case proposal.StatusAllowed:
			return s.execute(ctx, rev.ID)
		}
		return nil
	}
	return s.approve(ctx, p, ev.user)
}

// approve approves p as user and, when its approval asks for more people
// than one, as many other team members as it takes (never the agent's
// owner, who is not on the team); then it executes.
func (s *sim) approve(ctx context.Context, p *proposal.Proposal, user string) error {
	others := []string{user}
	for _, m := range Team {
		if m.Name != user {
			others = append(others, m.Name)
		}
	}
	var by []string
	out := p
	for _, who := range others {
		q, err := s.lc.Decide(ctx, p.ID, who, true, "")
		if skippable(err) && len(by) == 0 {
			return nil
		}
		if errors.Is(err, governance.ErrNotEligible) {
			continue
		}
		if err != nil {
			return fmt.Errorf("%s approving %s: %w", who, p.ID, err)
		}
		out, by = q, append(by, who)
		if out.Status != proposal.StatusPendingApproval {
			break
		}
	}
	if out.Status != proposal.StatusApproved {
		return fmt.Errorf("proposal %s is still %s after the whole team approved it", p.ID, out.Status)
	}
	e := entryOf(Approved, out)
	e.By = by[len(by)-1]
	if len(by) > 1 {
		e.By = fmt.Sprint(by)
	}
	s.record(e)
	return s.execute(ctx, out.ID)
}

// planUndo decides whether a person undoes an executed proposal a day or
// two later, and queues it.
func (s *sim) planUndo(p *proposal.Proposal) {
	h := habitOf(p.Skill)
	if h.Undo <= 0 {
		return
	}
	for _, a := range p.Actions {
		if spec, ok := proposal.SpecOf(a.Kind); !ok || !spec.Undoable {
			return
		}
	}
	r := s.randFor("undo", p.Agent, p.Key, s.clock.Format(time.RFC3339))
	if r.Float64() >= h.Undo {
		return
	}
	delay := 18*time.Hour + time.Duration(r.Float64()*float64(30*time.Hour))
	s.push(event{at: s.clock.Add(delay), kind: evUndo, id: p.ID, agent: p.Agent, user: h.Deciders[r.IntN(len(h.Deciders))]})
}

// undo reverses an executed proposal, at most one per agent a day.
func (s *sim) undo(ctx context.Context, ev event) error {
	day := midnight(s.clock)
	if last, ok := s.undoDay[ev.agent]; ok && last.Equal(day) {
		return nil
	}
	out, err := s.lc.Undo(ctx, ev.id, ev.user)
	if skippable(err) || errors.Is(err, action.ErrNotUndoable) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("%s undoing %s: %w", ev.user, ev.id, err)
	}
	s.undoDay[ev.agent] = day
	e := entryOf(Undone, out)
	e.By = ev.user
	s.record(e)
	return nil
}

// openInOrder lists the waiting proposals by agent, subject and time
// (not by id: ids differ from run to run, and the log's order must not).
func (s *sim) openInOrder() []*proposal.Proposal {
	out := make([]*proposal.Proposal, 0, len(s.open))
	for _, p := range s.open {
		out = append(out, p)
	}
	slices.SortFunc(out, func(a, b *proposal.Proposal) int {
		return cmp.Or(strings.Compare(a.Agent, b.Agent), strings.Compare(a.Key, b.Key), a.CreatedAt.Compare(b.CreatedAt))
	})
	return out
}
