package web

import (
	"net/http"
	"slices"
	"strings"
)

// bulkLimit caps one bulk decision: each approval may execute in the
// request, and a page of the inbox is the most anyone ticks.
const bulkLimit = 100

// bulkResult says how a bulk decision went, proposal by proposal.
type bulkResult struct {
	Approve bool
	Done    []bulkLine
	Failed  []bulkLine
}

// bulkLine is one proposal's outcome in plain words.
type bulkLine struct {
	ID      string
	Message string
}

// bulkDecide approves or rejects (with one reason) every selected
// proposal. Each is decided on its own, so one that someone else decided
// meanwhile, or that the person may not approve, fails alone with its
// reason and the rest go through. The result is shown on the inbox
// itself (no redirect): deciding again is harmless, since a person
// cannot approve twice and a decided proposal cannot be decided again.
func (s *Server) bulkDecide(w http.ResponseWriter, r *http.Request) {
	if !s.canDecide(w, r) {
		return
	}
	_ = r.ParseForm()
	f := parseInboxFilter(r.PostForm)
	ids := slices.Compact(slices.Sorted(slices.Values(r.PostForm["id"])))
	approve := r.PostFormValue("decision") != "reject"
	reason := strings.TrimSpace(r.PostFormValue("reason"))
	var problem string
	switch {
	case len(ids) == 0:
		problem = "Tick at least one proposal first."
	case len(ids) > bulkLimit:
		problem = "Decide on at most 100 proposals at a time."
	case !approve && reason == "":
		problem = "Say why you reject them: one reason is kept for each proposal."
	}
	if problem != "" {
		s.renderInbox(w, r, http.StatusUnprocessableEntity, f, func(d *inboxData) { d.BulkError = problem })
		return
	}
	res := &bulkResult{Approve: approve}
	for _, id := range ids {
		msg, err := s.decideOne(r.Context(), id, user(r), approve, reason)
		if err != nil {
			status, m := s.decisionError(r.Context(), id, err)
			if status == http.StatusInternalServerError {
				s.Logger.ErrorContext(r.Context(), "a bulk decision failed", "proposal", id, "err", err)
				m = "Tower could not record it; nothing was changed."
			}
			res.Failed = append(res.Failed, bulkLine{ID: id, Message: m})
			continue
		}
		res.Done = append(res.Done, bulkLine{ID: id, Message: msg})
	}
	s.renderInbox(w, r, http.StatusOK, f, func(d *inboxData) { d.Bulk = res })
}

// renderInbox shows the inbox with something added to it (a form error,
// a bulk result).
func (s *Server) renderInbox(w http.ResponseWriter, r *http.Request, status int, f inboxFilter, add func(*inboxData)) {
	d, err := s.inboxData(r, f)
	if err != nil {
		s.Logger.ErrorContext(r.Context(), "reading the inbox failed", "err", err)
		s.fail(w, r, http.StatusInternalServerError, "Tower could not read your inbox. Try again in a moment.")
		return
	}
	add(d)
	s.render(w, r, status, "inbox", "Inbox", d)
}
