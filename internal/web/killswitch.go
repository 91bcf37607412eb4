package web

import (
	"context"
	"fmt"
	"net/http"
	"strings"

	"github.com/towerops/tower/internal/governance"
	"github.com/towerops/tower/internal/proposal"
	"github.com/towerops/tower/internal/store"
)

// The kill switch stops every execution at once. Any approver may pull
// it (stopping is always safe and should never wait for a senior
// person); only an architect may let execution carry on, because that
// is the decision that the danger has passed. Both are audited by
// governance with who and why.

func (s *Server) pauseExecution(w http.ResponseWriter, r *http.Request) {
	reason := strings.TrimSpace(r.PostFormValue("reason"))
	if reason == "" {
		s.renderInbox(w, r, http.StatusUnprocessableEntity, parseInboxFilter(r.URL.Query()), func(d *inboxData) {
			d.PauseError = "Say why you stop execution: everyone sees the reason in the banner and the audit log."
		})
		return
	}
	err := s.Store.InTx(r.Context(), func(ctx context.Context, q store.Queries) error {
		return governance.PauseAll(ctx, q, "user:"+user(r), reason, s.now())
	})
	if err != nil {
		s.Logger.ErrorContext(r.Context(), "pausing execution failed", "err", err)
		s.fail(w, r, http.StatusInternalServerError, "Tower could not pause execution. Try again at once, or run `tower pause --all` on the server.")
		return
	}
	s.done(w, r, "/", "All execution is paused. Agents still propose; nothing is applied until execution is resumed.")
}

// resumeBatch is how many approved proposals a resume runs in the
// request when no workers run them.
const resumeBatch = 200

func (s *Server) resumeExecution(w http.ResponseWriter, r *http.Request) {
	err := s.Store.InTx(r.Context(), func(ctx context.Context, q store.Queries) error {
		return governance.ResumeAll(ctx, q, "user:"+user(r), s.now())
	})
	if err != nil {
		s.Logger.ErrorContext(r.Context(), "resuming execution failed", "err", err)
		s.fail(w, r, http.StatusInternalServerError, "Tower could not resume execution. Try again in a moment.")
		return
	}
	msg := "Execution resumed: waiting proposals carry on where they stopped."
	if n := s.runApproved(r.Context()); n > 0 {
		msg = fmt.Sprintf("Execution resumed: %d approved proposal(s) that waited have been applied.", n)
	}
	s.done(w, r, "/", msg)
}

// runApproved executes what people approved while execution was paused,
// when this server has no workers to do it (with workers, their jobs
// carry on by themselves). It returns how many it applied.
func (s *Server) runApproved(ctx context.Context) int {
	if s.Lifecycle == nil || s.Lifecycle.Enqueuer != nil {
		return 0
	}
	ps, err := s.Store.ProposalsList(ctx, &store.ProposalsListParams{Page: store.Page{Limit: resumeBatch},
		Statuses: []proposal.Status{proposal.StatusApproved}})
	if err != nil {
		s.Logger.ErrorContext(ctx, "listing approved proposals to run", "err", err)
		return 0
	}
	n := 0
	for i := len(ps) - 1; i >= 0; i-- { // oldest first
		if applied, _ := s.execute(ctx, &ps[i]); applied {
			n++
		}
	}
	return n
}
