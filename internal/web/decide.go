package web

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/towerops/tower/internal/action"
	"github.com/towerops/tower/internal/fleet"
	"github.com/towerops/tower/internal/governance"
	"github.com/towerops/tower/internal/proposal"
	"github.com/towerops/tower/internal/store"
)

// executeTimeout bounds the execution that follows an approval inside
// the request. Execution is resumable, so one cut short carries on with
// the next sweep, each action still exactly once.
const executeTimeout = 2 * time.Minute

// decide handles approve and reject. An approval that completes the
// request is executed at once (unless the kill switch is on or the
// agent is held), as `tower proposals approve` does, so the person sees
// "executed" and the audit entry right after.
func (s *Server) decide(approve bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if !s.canDecide(w, r) {
			return
		}
		id := r.PathValue("id")
		reason := strings.TrimSpace(r.PostFormValue("reason"))
		msg, err := s.decideOne(r.Context(), id, user(r), approve, reason)
		if err != nil {
			s.decisionFailed(w, r, id, err)
			return
		}
		s.done(w, r, "/proposals/"+id, msg)
	}
}

// canDecide answers 503 when this server was started without the
// lifecycle (a read-only console).
func (s *Server) canDecide(w http.ResponseWriter, r *http.Request) bool {
	if s.Lifecycle == nil {
		s.fail(w, r, http.StatusServiceUnavailable, "This Tower server only shows proposals; decisions are made on a server that runs the agents.")
		return false
	}
	return true
}

// decideOne records one verdict and, for a completed approval, runs the
// proposal. It returns the sentence the person reads next.
func (s *Server) decideOne(ctx context.Context, id, who string, approve bool, reason string) (string, error) {
	p, err := s.Lifecycle.Decide(ctx, id, who, approve, reason)
	if err != nil {
		return "", err
	}
	if !approve {
		return fmt.Sprintf("Rejected “%s”.", p.Title), nil
	}
	if p.Status == proposal.StatusPendingApproval {
		progress, err := s.Lifecycle.ApprovalProgress(ctx, p)
		if err != nil {
			return "", err
		}
		return fmt.Sprintf("Your approval of “%s” is recorded: %s.", p.Title, progress), nil
	}
	_, how := s.execute(ctx, p)
	return fmt.Sprintf("Approved “%s”: %s.", p.Title, how), nil
}

// execute runs an approved (or allowed) proposal now and says how it
// went, as the end of a sentence. A failure of the executor is not a
// failure of the decision: the proposal is marked failed with the reason
// and the person is told.
func (s *Server) execute(ctx context.Context, p *proposal.Proposal) (applied bool, how string) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), executeTimeout)
	defer cancel()
	out, err := s.Lifecycle.ExecuteOnce(ctx, p.ID)
	switch {
	case errors.Is(err, governance.ErrExecutionPaused):
		return false, "all execution is paused, so it runs when execution is resumed"
	case errors.Is(err, governance.ErrAgentHeld):
		return false, "its agent is paused, so it runs when the agent is resumed"
	case err != nil:
		s.Logger.WarnContext(ctx, "executing a proposal failed", "proposal", p.ID, "err", err)
		return false, fmt.Sprintf("but applying it failed (%v); the proposal page has the details", err)
	case out.Status == proposal.StatusExecuted:
		return true, "it has been applied"
	default:
		return false, "it is " + statusWords(out.Status)
	}
}

// done redirects (303) to back — the page the form came from when it
// says so, else fallback — with the flash message.
func (s *Server) done(w http.ResponseWriter, r *http.Request, fallback, msg string) {
	to := fallback
	if b := r.PostFormValue("back"); b != "" {
		to = safeNext(b)
	}
	u, _ := url.Parse(to)
	q := u.Query()
	q.Set("done", msg)
	u.RawQuery = q.Encode()
	http.Redirect(w, r, u.String(), http.StatusSeeOther)
}

// decisionError turns a lifecycle error into a status and a sentence for
// the person. ok is false for an unexpected error (logged, 500).
func (s *Server) decisionError(ctx context.Context, id string, err error) (int, string) {
	switch {
	case errors.Is(err, store.ErrNotFound):
		return http.StatusNotFound, "There is no proposal " + id + "."
	case errors.Is(err, fleet.ErrReasonRequired):
		return http.StatusUnprocessableEntity, "Say why you reject it: the agent's owner reads the reason, and the agent learns from it."
	case errors.Is(err, governance.ErrNotEligible):
		msg := "You are not one of the people who may decide on this proposal"
		if req, rerr := s.Store.ApprovalRequestGet(ctx, &store.ApprovalRequestGetParams{ProposalID: id}); rerr == nil {
			msg += ": " + governance.WhoMayApprove(req)
		}
		return http.StatusForbidden, msg + "."
	case errors.Is(err, governance.ErrAlreadyApproved):
		return http.StatusConflict, "You have already approved this proposal; it waits for someone else."
	case errors.Is(err, proposal.ErrIllegalTransition):
		if p, gerr := s.Store.ProposalGet(ctx, &store.ProposalGetParams{ID: id}); gerr == nil {
			return http.StatusConflict, fmt.Sprintf("This proposal is already %s, so that is no longer possible.", statusWords(p.Status))
		}
		return http.StatusConflict, "This proposal has moved on, so that is no longer possible."
	case errors.Is(err, store.ErrConflict):
		return http.StatusConflict, "Someone changed this proposal at the same moment. Reload to see where it stands."
	case errors.Is(err, fleet.ErrEditEmpty):
		return http.StatusUnprocessableEntity, "That edit leaves nothing to do. Reject the proposal instead."
	case errors.Is(err, fleet.ErrBadEdit), errors.Is(err, proposal.ErrInvalidDraft):
		return http.StatusUnprocessableEntity, "That edit does not fit the proposal: " + err.Error() + "."
	case errors.Is(err, governance.ErrExecutionPaused):
		return http.StatusConflict, "All execution is paused; try again after execution is resumed."
	case errors.Is(err, action.ErrNotUndoable):
		return http.StatusConflict, "This proposal cannot be undone by Tower: one of its actions has no undo. Nothing was changed."
	}
	return http.StatusInternalServerError, ""
}

// decisionFailed shows the proposal page again with the error in plain
// words (never a stack trace), keeping what the person typed.
func (s *Server) decisionFailed(w http.ResponseWriter, r *http.Request, id string, err error) {
	status, msg := s.decisionError(r.Context(), id, err)
	if status == http.StatusInternalServerError {
		s.Logger.ErrorContext(r.Context(), "a console decision failed", "proposal", id, "err", err)
		msg = "Tower could not record that. Nothing was changed; try again in a moment."
	}
	if status == http.StatusNotFound {
		s.fail(w, r, status, msg)
		return
	}
	s.showProposal(w, r, id, status, formState{Error: msg, Reason: r.PostFormValue("reason")})
}

// undo reverses an executed proposal.
func (s *Server) undo(w http.ResponseWriter, r *http.Request) {
	if !s.canDecide(w, r) {
		return
	}
	id := r.PathValue("id")
	ctx, cancel := context.WithTimeout(context.WithoutCancel(r.Context()), executeTimeout)
	defer cancel()
	p, err := s.Lifecycle.Undo(ctx, id, user(r))
	if err != nil {
		s.decisionFailed(w, r, id, err)
		return
	}
	s.done(w, r, "/proposals/"+id, fmt.Sprintf("Undid “%s”: every change it made is reversed.", p.Title))
}
