package api

import (
	"errors"
	"net/http"
	"strings"

	"github.com/towerops/tower/internal/fleet"
	"github.com/towerops/tower/internal/governance"
	"github.com/towerops/tower/internal/proposal"
	"github.com/towerops/tower/internal/skill"
	"github.com/towerops/tower/internal/store"
)

// fleetRoutes are the agent runtime's routes: skills, agents, proposals.
// Reading is for everyone; running agents is a marketer's job; deciding on
// proposals and undoing them is an approver's; pausing and resuming agents
// changes the fleet, an architect's job.
func (s *Server) fleetRoutes() []Route {
	if s.Fleet == nil {
		return nil
	}
	return []Route{
		{Method: "GET", Path: "/api/v1/skills", Role: store.RoleViewer, Summary: "List skills", Handler: s.skillsList},
		{Method: "GET", Path: "/api/v1/agents", Role: store.RoleViewer, Summary: "List agents", Handler: s.agentsList},
		{Method: "GET", Path: "/api/v1/agents/{name}", Role: store.RoleViewer, Summary: "Show an agent", Handler: s.agentGet},
		{Method: "POST", Path: "/api/v1/agents/{name}/pause", Role: store.RoleArchitect, Summary: "Pause an agent", Handler: s.agentState(store.AgentPaused)},
		{Method: "POST", Path: "/api/v1/agents/{name}/resume", Role: store.RoleArchitect, Summary: "Resume an agent", Handler: s.agentState(store.AgentActive)},
		{Method: "POST", Path: "/api/v1/agents/{name}/run", Role: store.RoleMarketer, Summary: "Run an agent now", Handler: s.agentRun},
		{Method: "GET", Path: "/api/v1/proposals", Role: store.RoleViewer, Summary: "List proposals", Handler: s.proposalsList},
		{Method: "GET", Path: "/api/v1/proposals/{id}", Role: store.RoleViewer, Summary: "Show a proposal", Handler: s.proposalGet},
		{Method: "POST", Path: "/api/v1/proposals/{id}/approve", Role: store.RoleApprover, Summary: "Approve a proposal", Handler: s.proposalDecide(true)},
		{Method: "POST", Path: "/api/v1/proposals/{id}/reject", Role: store.RoleApprover, Summary: "Reject a proposal", Handler: s.proposalDecide(false)},
		{Method: "POST", Path: "/api/v1/proposals/{id}/undo", Role: store.RoleApprover, Summary: "Undo an executed proposal", Handler: s.proposalUndo},
	}
}

func (s *Server) skillsList(w http.ResponseWriter, r *http.Request) {
	out := []skill.Description{}
	for _, sk := range skill.All() {
		out = append(out, skill.Describe(sk.Manifest()))
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) agentsList(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	p := &store.AgentsListParams{Skill: q.Get("skill"), State: store.AgentState(q.Get("state")), After: q.Get("after")}
	page, ok := pageOf(w, r)
	if !ok {
		return
	}
	p.Limit = page.Limit
	as, err := s.Store.AgentsList(r.Context(), p)
	if err != nil {
		s.internal(w, r, "listing agents", err)
		return
	}
	out := make([]fleet.AgentView, len(as))
	for i, a := range as {
		out[i] = fleet.ViewOf(a)
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) agentGet(w http.ResponseWriter, r *http.Request) {
	a, err := s.Store.AgentGet(r.Context(), &store.AgentGetParams{Name: r.PathValue("name")})
	if s.storeError(w, r, "reading the agent", err) {
		return
	}
	writeJSON(w, http.StatusOK, fleet.ViewOf(*a))
}

func (s *Server) agentState(state store.AgentState) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		var in struct{ Reason string }
		if r.ContentLength != 0 && !decode(w, r, &in) {
			return
		}
		a, err := s.Fleet.SetAgentState(r.Context(), r.PathValue("name"), state, in.Reason, PrincipalFrom(r.Context()).Actor())
		if s.storeError(w, r, "changing the agent", err) {
			return
		}
		writeJSON(w, http.StatusOK, fleet.ViewOf(*a))
	}
}

func (s *Server) agentRun(w http.ResponseWriter, r *http.Request) {
	var in struct {
		DryRun bool `json:"dry_run"`
	}
	if r.ContentLength != 0 && !decode(w, r, &in) {
		return
	}
	a, err := s.Store.AgentGet(r.Context(), &store.AgentGetParams{Name: r.PathValue("name")})
	if s.storeError(w, r, "reading the agent", err) {
		return
	}
	if a.State != store.AgentActive {
		writeError(w, http.StatusConflict, "conflict", "agent "+a.Name+" is "+string(a.State)+"; resume it first")
		return
	}
	res, err := s.Fleet.Runner.Run(r.Context(), fleet.RunRequest{Skill: a.Skill, Agents: []string{a.Name},
		Trigger: skill.Trigger{Kind: "manual"}, DryRun: in.DryRun})
	if err != nil {
		s.internal(w, r, "running the agent", err)
		return
	}
	if res.Proposals == nil {
		res.Proposals = []proposal.Proposal{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"agent": a.Name, "dry_run": in.DryRun, "proposals": res.Proposals,
		"skipped_duplicates": res.Skipped, "problems": res.Invalid, "by_status": res.ByStatus})
}

func (s *Server) proposalsList(w http.ResponseWriter, r *http.Request) {
	page, ok := pageOf(w, r)
	if !ok {
		return
	}
	q := r.URL.Query()
	p := &store.ProposalsListParams{Page: page, Skill: q.Get("skill"), Agent: q.Get("agent")}
	for _, v := range q["status"] {
		for _, one := range strings.Split(v, ",") {
			st, err := proposal.ParseStatus(strings.TrimSpace(one))
			if err != nil {
				writeError(w, http.StatusBadRequest, "bad_request", err.Error())
				return
			}
			p.Statuses = append(p.Statuses, st)
		}
	}
	ps, err := s.Store.ProposalsList(r.Context(), p)
	if err != nil {
		s.internal(w, r, "listing proposals", err)
		return
	}
	if ps == nil {
		ps = []proposal.Proposal{}
	}
	writeJSON(w, http.StatusOK, ps)
}

func (s *Server) proposalGet(w http.ResponseWriter, r *http.Request) {
	p, err := s.Store.ProposalGet(r.Context(), &store.ProposalGetParams{ID: r.PathValue("id")})
	if s.storeError(w, r, "reading the proposal", err) {
		return
	}
	writeJSON(w, http.StatusOK, p)
}

func (s *Server) proposalDecide(approve bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		var in struct{ Reason string }
		if r.ContentLength != 0 && !decode(w, r, &in) {
			return
		}
		p, err := s.Fleet.Lifecycle.Decide(r.Context(), r.PathValue("id"), PrincipalFrom(r.Context()).User.Name, approve, in.Reason)
		if s.storeError(w, r, "deciding on the proposal", err) {
			return
		}
		writeJSON(w, http.StatusOK, p)
	}
}

func (s *Server) proposalUndo(w http.ResponseWriter, r *http.Request) {
	p, err := s.Fleet.Lifecycle.Undo(r.Context(), r.PathValue("id"), PrincipalFrom(r.Context()).User.Name)
	if s.storeError(w, r, "undoing the proposal", err) {
		return
	}
	writeJSON(w, http.StatusOK, p)
}

// storeError maps the runtime's errors to the API's error shape and
// reports whether it wrote one.
func (s *Server) storeError(w http.ResponseWriter, r *http.Request, what string, err error) bool {
	switch {
	case err == nil:
		return false
	case errors.Is(err, store.ErrNotFound):
		writeError(w, http.StatusNotFound, "not_found", err.Error())
	case errors.Is(err, governance.ErrNotEligible):
		writeError(w, http.StatusForbidden, "forbidden", err.Error())
	case errors.Is(err, proposal.ErrIllegalTransition), errors.Is(err, store.ErrConflict), errors.Is(err, fleet.ErrNotRunnable),
		errors.Is(err, governance.ErrAlreadyApproved), errors.Is(err, governance.ErrExecutionPaused),
		errors.Is(err, governance.ErrAgentHeld), errors.Is(err, governance.ErrNotTripped):
		writeError(w, http.StatusConflict, "conflict", err.Error())
	case errors.Is(err, fleet.ErrReasonRequired), errors.Is(err, fleet.ErrEditEmpty), errors.Is(err, fleet.ErrBadEdit), errors.Is(err, governance.ErrBadDelegation),
		errors.Is(err, proposal.ErrInvalidDraft):
		writeError(w, http.StatusBadRequest, "bad_request", err.Error())
	default:
		s.internal(w, r, what, err)
	}
	return true
}
