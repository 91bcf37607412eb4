package governance

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/towerops/tower/internal/audit"
	"github.com/towerops/tower/internal/proposal"
	"github.com/towerops/tower/internal/store"
)

// Escalator fires approval timers: a request nobody approved within its
// level's SLA moves up the chain, and after the last level the proposal
// expires or is denied, as its policy says.
//
// Timers are rows, not goroutines or in-memory schedules: every open
// approval request carries its due_at, and Tick sweeps the rows that are
// due. Each firing is a compare-and-set on (request, level) in the same
// transaction as its audit entry and notifications, so a timer fires once
// however many sweepers run (several `tower serve` nodes) and however
// often the process restarts: a restart loses nothing (the rows are still
// there, due) and repeats nothing (the level already moved). Time comes
// from Now, so tests drive it with a controllable clock.
type Escalator struct {
	Store store.Store
	// Pack is the workspace's governance; not needed to fire timers (the
	// request carries its chain) but kept for the notifications' wording.
	Pack *Pack
	// Now is the clock; nil: time.Now.
	Now func() time.Time
	// Logger reports requests that could not be fired; nil: slog.Default.
	Logger *slog.Logger
	// Batch is how many due requests one read takes; 0: 500.
	Batch int
}

func (e *Escalator) now() time.Time {
	if e.Now != nil {
		return e.Now().UTC()
	}
	return time.Now().UTC()
}

func (e *Escalator) log() *slog.Logger {
	if e.Logger != nil {
		return e.Logger
	}
	return slog.Default()
}

// Tick fires every timer due now and returns how many it fired
// (escalations and timeouts). A request another sweeper fired first is
// skipped; one that fails is logged and left for the next tick, and the
// first such error is returned after the rest were tried.
func (e *Escalator) Tick(ctx context.Context) (fired int, err error) {
	now := e.now()
	batch := e.Batch
	if batch <= 0 {
		batch = 500
	}
	var firstErr error
	failed := map[string]bool{}
	for {
		due, err := e.Store.ApprovalRequestsDue(ctx, &store.ApprovalRequestsDueParams{Now: now, Limit: batch})
		if err != nil {
			return fired, fmt.Errorf("escalations: %w", err)
		}
		progressed := 0
		for i := range due {
			if failed[due[i].ProposalID] {
				continue
			}
			ok, err := e.fire(ctx, &due[i], now)
			if err != nil {
				if ctx.Err() != nil {
					return fired, ctx.Err()
				}
				e.log().ErrorContext(ctx, "approval timer not fired", "proposal", due[i].ProposalID, "level", due[i].Level, "err", err)
				failed[due[i].ProposalID] = true
				if firstErr == nil {
					firstErr = err
				}
				continue
			}
			progressed++
			if ok {
				fired++
			}
		}
		// Fired requests leave the due set (their next due time is later
		// than now, or they are closed), so the next read finds the rest.
		if len(due) < batch || progressed == 0 {
			return fired, firstErr
		}
	}
}

// fire handles one due request in its own transaction; it reports
// whether it escalated or timed out (false: closed as the proposal had
// already been decided, or another sweeper was first).
func (e *Escalator) fire(ctx context.Context, r *store.ApprovalRequest, now time.Time) (bool, error) {
	fired := false
	err := e.Store.InTx(ctx, func(ctx context.Context, q store.Queries) error {
		fired = false
		p, err := q.ProposalGet(ctx, &store.ProposalGetParams{ID: r.ProposalID})
		if errors.Is(err, store.ErrNotFound) {
			return q.ApprovalRequestClose(ctx, &store.ApprovalRequestCloseParams{ProposalID: r.ProposalID, State: store.ApprovalExpired, At: now})
		}
		if err != nil {
			return err
		}
		if p.Status != proposal.StatusPendingApproval {
			// Decided without the request being closed (older data):
			// close it as what happened, escalate nothing.
			return q.ApprovalRequestClose(ctx, &store.ApprovalRequestCloseParams{ProposalID: r.ProposalID, State: RequestStateFor(p.Status), At: now})
		}
		if next := r.Level + 1; next < len(r.Chain) {
			fired = true
			return escalate(ctx, q, r, p, next, now)
		}
		fired = true
		return timeout(ctx, q, r, p, now)
	})
	if errors.Is(err, store.ErrConflict) {
		return false, nil // another sweeper, or a person, was first
	}
	return fired, err
}

// escalate moves r to level next, records it and tells the new level.
func escalate(ctx context.Context, q store.Queries, r *store.ApprovalRequest, p *proposal.Proposal, next int, now time.Time) error {
	lvl := r.Chain[next]
	sla := lvl.SLA
	if sla <= 0 {
		sla = DefaultApprovalSLA
	}
	// The new level gets its whole SLA from the moment it is asked.
	due := now.Add(sla)
	if err := q.ApprovalRequestEscalate(ctx, &store.ApprovalRequestEscalateParams{ProposalID: r.ProposalID,
		FromLevel: r.Level, ToLevel: next, DueAt: due, At: now}); err != nil {
		return err
	}
	asked := addresses(lvl)
	if err := audit.Append(ctx, q, audit.Entry{Actor: "system", Action: "approval.escalated", Subject: "proposal:" + r.ProposalID, At: now,
		Data: map[string]any{"from_level": r.Level, "to_level": next, "asked": asked, "due_at": due, "was_due_at": r.DueAt}}); err != nil {
		return err
	}
	var ns []store.Notification
	msg := fmt.Sprintf("Approval needed: %q (agent %s) waited past its deadline and now comes to you; please decide by %s.",
		p.Title, p.Agent, due.Format("2006-01-02 15:04 MST"))
	for _, to := range asked {
		ns = append(ns, store.Notification{ID: fmt.Sprintf("escalation:%s:%d:%s", r.ProposalID, next, to), To: to,
			Message: msg, Targets: []string{"proposal:" + r.ProposalID}, ProposalID: r.ProposalID, CreatedAt: now})
	}
	if len(ns) == 0 {
		return nil
	}
	return q.NotificationsInsert(ctx, &store.NotificationsInsertParams{Notifications: ns})
}

// timeout ends a request whose last level's SLA passed: the proposal
// expires, or is denied when its policy says so.
func timeout(ctx context.Context, q store.Queries, r *store.ApprovalRequest, p *proposal.Proposal, now time.Time) error {
	state, to := store.ApprovalExpired, proposal.StatusExpired
	if r.OnTimeout == OnTimeoutDeny {
		state, to = store.ApprovalDenied, proposal.StatusDenied
	}
	if err := q.ApprovalRequestClose(ctx, &store.ApprovalRequestCloseParams{ProposalID: r.ProposalID, State: state, At: now}); err != nil {
		return err
	}
	if _, err := q.ProposalUpdate(ctx, &store.ProposalUpdateParams{ID: p.ID, From: proposal.StatusPendingApproval, To: to, At: now}); err != nil {
		return err
	}
	reason := fmt.Sprintf("nobody approved it before the last deadline (level %d of %d)", r.Level+1, len(r.Chain))
	return audit.Append(ctx, q, audit.Entry{Actor: "system", Action: "proposal." + string(to), Subject: "proposal:" + p.ID, At: now,
		Data: map[string]any{"reason": reason, "level": r.Level, "on_timeout": r.OnTimeout}})
}

// addresses are the notification addresses of a level: "user:NAME" for
// named people, "role:NAME" for everyone with that role.
func addresses(l store.ApprovalLevel) []string {
	var out []string
	for _, u := range l.Users {
		out = append(out, "user:"+u)
	}
	for _, r := range l.Roles {
		out = append(out, "role:"+r)
	}
	return out
}

// RequestStateFor is the request state that matches a proposal's status
// once it left pending_approval.
func RequestStateFor(s proposal.Status) string {
	switch s {
	case proposal.StatusRejected:
		return store.ApprovalRejected
	case proposal.StatusExpired:
		return store.ApprovalExpired
	case proposal.StatusDenied:
		return store.ApprovalDenied
	case proposal.StatusSuperseded:
		return store.ApprovalSuperseded
	}
	return store.ApprovalApproved
}
