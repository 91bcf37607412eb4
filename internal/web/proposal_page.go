package web

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/towerops/tower/internal/auth"
	"github.com/towerops/tower/internal/governance"
	"github.com/towerops/tower/internal/proposal"
	"github.com/towerops/tower/internal/store"
)

// proposalData is what proposal.html shows: everything a person needs to
// judge a proposal, and the forms to decide on it.
type proposalData struct {
	P        *proposal.Proposal
	Actions  []actionView
	Preview  []previewView
	Merges   []mergeView
	Evidence evidenceView
	Value    valueView

	Request   *store.ApprovalRequest
	Progress  string // "1 of 2 approval(s) so far; …"
	WhoMay    string
	Approvals []proposal.Approval

	Revisions  []proposal.Proposal // earlier revisions, newest first
	ReplacedBy string              // the revision that superseded this one
	Executions []store.Execution
	Audit      []auditView
	// AuditPartial: the log was searched only from the proposal's
	// creation up to auditScanLimit entries.
	AuditPartial bool

	// CanDecide: the person may approve or reject now; NoDecideWhy says
	// why not, for a pending proposal they cannot decide.
	CanDecide   bool
	NoDecideWhy string
	CanEdit     bool
	CanUndo     bool
	Form        formState
}

// formState is what a failed form sent, shown again with the error.
type formState struct {
	Error  string
	Reason string
}

func (s *Server) proposalPage(w http.ResponseWriter, r *http.Request) {
	s.showProposal(w, r, r.PathValue("id"), http.StatusOK, formState{})
}

// showProposal renders the proposal page with status and form state (a
// decision that failed comes back here with its error).
func (s *Server) showProposal(w http.ResponseWriter, r *http.Request, id string, status int, form formState) {
	d, err := s.proposalData(r.Context(), r, id)
	if errors.Is(err, store.ErrNotFound) {
		s.fail(w, r, http.StatusNotFound, "There is no proposal "+id+". It may have been typed wrong; the proposals list has every one.")
		return
	}
	if err != nil {
		s.Logger.ErrorContext(r.Context(), "reading a proposal failed", "proposal", id, "err", err)
		s.fail(w, r, http.StatusInternalServerError, "Tower could not read this proposal. Try again in a moment.")
		return
	}
	d.Form = form
	r = r.WithContext(context.WithValue(r.Context(), navKey{}, "proposals"))
	s.render(w, r, status, "proposal", d.P.Title, d)
}

func (s *Server) proposalData(ctx context.Context, r *http.Request, id string) (*proposalData, error) {
	p, err := s.Store.ProposalGet(ctx, &store.ProposalGetParams{ID: id})
	if err != nil {
		return nil, err
	}
	d := &proposalData{P: p, Actions: actionViews(p), Preview: previewViews(p), Evidence: evidenceOf(p.Evidence)}
	if p.Decision != nil {
		d.Approvals = p.Decision.Approvals
	}
	if d.Merges, err = s.mergeViews(ctx, p); err != nil {
		return nil, err
	}
	if err := s.approvalState(ctx, r, d); err != nil {
		return nil, err
	}
	chain := []string{p.ID}
	for prev := p.Revises; prev != "" && len(d.Revisions) < 20; {
		old, err := s.Store.ProposalGet(ctx, &store.ProposalGetParams{ID: prev})
		if errors.Is(err, store.ErrNotFound) {
			break
		}
		if err != nil {
			return nil, err
		}
		d.Revisions = append(d.Revisions, *old)
		chain = append(chain, old.ID)
		prev = old.Revises
	}
	if d.Value, err = s.valueOf(ctx, p); err != nil {
		return nil, err
	}
	if d.Executions, err = s.Store.ExecutionsList(ctx, &store.ExecutionsListParams{ProposalID: p.ID}); err != nil {
		return nil, err
	}
	since := p.CreatedAt
	if n := len(d.Revisions); n > 0 {
		since = d.Revisions[n-1].CreatedAt
	}
	if d.Audit, d.AuditPartial, err = s.auditOf(ctx, chain, since); err != nil {
		return nil, err
	}
	for _, e := range d.Audit {
		if e.Action == "proposal.edited" && e.Subject == "proposal:"+p.ID {
			if to, ok := e.Data["to"].(string); ok {
				d.ReplacedBy = to
			}
		}
	}
	rl := role(r)
	d.CanUndo = p.Status == proposal.StatusExecuted && auth.Allows(rl, store.RoleApprover) && s.Lifecycle != nil && undoable(p)
	d.CanEdit = d.CanDecide
	return d, nil
}

// approvalState fills who may approve, the progress and whether the
// signed-in person may decide now.
func (s *Server) approvalState(ctx context.Context, r *http.Request, d *proposalData) error {
	p := d.P
	req, err := s.Store.ApprovalRequestGet(ctx, &store.ApprovalRequestGetParams{ProposalID: p.ID})
	switch {
	case errors.Is(err, store.ErrNotFound):
		if p.Status != proposal.StatusPendingApproval {
			return nil
		}
		legacy := governance.LegacyRequest(p, s.now())
		req = &legacy
	case err != nil:
		return err
	}
	d.Request = req
	d.WhoMay = governance.WhoMayApprove(req)
	d.Progress = governance.TallyOf(req, d.Approvals).Progress(req)
	if p.Status != proposal.StatusPendingApproval {
		return nil
	}
	switch {
	case s.Lifecycle == nil:
		d.NoDecideWhy = "This server only shows proposals; decisions are made on the server that runs the agents."
	case !auth.Allows(role(r), store.RoleApprover):
		d.NoDecideWhy = "You are signed in as " + string(role(r)) + "; deciding on proposals needs the approver role. " + capital(d.WhoMay) + "."
	case governance.HasApproved(d.Approvals, user(r)):
		d.NoDecideWhy = "You have approved it already; it waits for someone else."
	default:
		if _, err := governance.Eligible(ctx, s.Store, req, user(r), s.now()); errors.Is(err, governance.ErrNotEligible) {
			d.NoDecideWhy = "You are not one of the people who may decide on it: " + d.WhoMay + "."
		} else if err != nil {
			return err
		} else {
			d.CanDecide = true
		}
	}
	return nil
}

// undoable reports whether every action of p can be undone.
func undoable(p *proposal.Proposal) bool {
	for _, a := range p.Actions {
		if sp, ok := proposal.SpecOf(a.Kind); !ok || !sp.Undoable {
			return false
		}
	}
	return true
}

// auditView is one audit entry about the proposal.
type auditView struct {
	Seq     int64
	At      time.Time
	Actor   string
	Action  string
	Subject string
	Data    map[string]any
}

// auditScanLimit bounds how much of the log one proposal page reads.
const auditScanLimit = 50000

// auditOf reads the audit entries about the proposals of ids (a proposal
// and its earlier revisions), from since on. The log has no index by
// subject, so it is read in pages from the proposal's creation, which
// keeps the read short for anything recent.
func (s *Server) auditOf(ctx context.Context, ids []string, since time.Time) ([]auditView, bool, error) {
	subjects := make([]string, len(ids))
	for i, id := range ids {
		subjects[i] = "proposal:" + id
	}
	var out []auditView
	after, read := int64(0), 0
	for read < auditScanLimit {
		page, err := s.Store.AuditList(ctx, &store.AuditListParams{AfterSeq: after, Since: since.Add(-time.Minute), Limit: 1000})
		if err != nil {
			return nil, false, err
		}
		for _, e := range page {
			if !slices.Contains(subjects, e.Subject) {
				continue
			}
			v := auditView{Seq: e.Seq, At: e.At, Actor: e.Actor, Action: e.Action, Subject: e.Subject}
			_ = json.Unmarshal(e.Data, &v.Data)
			out = append(out, v)
		}
		read += len(page)
		if len(page) < 1000 {
			return out, false, nil
		}
		after = page[len(page)-1].Seq
	}
	return out, true, nil
}

// capital upper-cases the first letter of a sentence.
func capital(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// personID parses a person target's id.
func personID(t proposal.Target) (int64, bool) {
	if t.Type != proposal.TargetPerson {
		return 0, false
	}
	n, err := strconv.ParseInt(t.ID, 10, 64)
	return n, err == nil
}
