package api

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/towerops/tower/internal/fleet"
	"github.com/towerops/tower/internal/governance"
	"github.com/towerops/tower/internal/proposal"
	"github.com/towerops/tower/internal/store"
)

// governanceRoutes: the approval inbox, edits, explanations, policies,
// delegations, breaker resets and the kill switch. Anyone who may approve
// may also pull the kill switch (stopping is always safe); starting
// execution again, resetting a breaker and reading the rules' sources
// change how the fleet runs, an architect's job.
func (s *Server) governanceRoutes() []Route {
	if s.Fleet == nil {
		return nil
	}
	return []Route{
		{Method: "GET", Path: "/api/v1/inbox", Role: store.RoleApprover, Summary: "Proposals waiting for my decision", Handler: s.inbox},
		{Method: "POST", Path: "/api/v1/proposals/{id}/edit", Role: store.RoleApprover, Summary: "Edit a pending proposal into a new revision", Handler: s.proposalEdit},
		{Method: "GET", Path: "/api/v1/proposals/{id}/explain", Role: store.RoleViewer, Summary: "Which rules decided a proposal, and why", Handler: s.proposalExplain},
		{Method: "GET", Path: "/api/v1/policies", Role: store.RoleViewer, Summary: "List policy rules", Handler: s.policiesList},
		{Method: "GET", Path: "/api/v1/delegations", Role: store.RoleViewer, Summary: "List delegations in force", Handler: s.delegationsList},
		{Method: "POST", Path: "/api/v1/delegations", Role: store.RoleApprover, Summary: "Delegate my approvals while I am away", Handler: s.delegationSet},
		{Method: "POST", Path: "/api/v1/agents/{name}/reset", Role: store.RoleArchitect, Summary: "Reset a tripped agent", Handler: s.agentReset},
		{Method: "GET", Path: "/api/v1/execution", Role: store.RoleViewer, Summary: "Is execution paused?", Handler: s.executionStatus},
		{Method: "POST", Path: "/api/v1/execution/pause", Role: store.RoleApprover, Summary: "Kill switch: pause all execution", Handler: s.executionPause},
		{Method: "POST", Path: "/api/v1/execution/resume", Role: store.RoleArchitect, Summary: "Resume all execution", Handler: s.executionResume},
	}
}

func (s *Server) inbox(w http.ResponseWriter, r *http.Request) {
	page, ok := pageOf(w, r)
	if !ok {
		return
	}
	items, err := governance.Inbox(r.Context(), s.Store, PrincipalFrom(r.Context()).User.Name, time.Now().UTC(), page.Limit)
	if s.storeError(w, r, "reading the inbox", err) {
		return
	}
	writeJSON(w, http.StatusOK, items)
}

// editRequest is an edit of a pending proposal: targets to drop
// ("person:42") and parameters to set ("1.tag" → value: the action's
// number, from 1 as people see them, and the parameter's name).
type editRequest struct {
	DropTargets []string       `json:"drop_targets"`
	SetParams   map[string]any `json:"set_params"`
	Reason      string         `json:"reason"`
}

// spec turns the request into the edit the lifecycle applies.
func (e editRequest) spec() (fleet.EditSpec, error) {
	spec := fleet.EditSpec{DropTargets: e.DropTargets}
	for k, v := range e.SetParams {
		idx, name, ok := strings.Cut(k, ".")
		n, err := strconv.Atoi(idx)
		if !ok || err != nil || n < 1 || name == "" {
			return spec, fmt.Errorf("%w: set_params key %q: use ACTION.NAME with the action's number from 1, for example 1.tag", fleet.ErrBadEdit, k)
		}
		spec.SetParams = append(spec.SetParams, fleet.ParamSet{Action: n, Name: name, Value: v})
	}
	return spec, nil
}

func (s *Server) proposalEdit(w http.ResponseWriter, r *http.Request) {
	var in editRequest
	if !decode(w, r, &in) {
		return
	}
	spec, err := in.spec()
	if s.storeError(w, r, "editing the proposal", err) {
		return
	}
	p, err := s.Fleet.Lifecycle.Edit(r.Context(), r.PathValue("id"), PrincipalFrom(r.Context()).User.Name, spec.Change, in.Reason)
	if s.storeError(w, r, "editing the proposal", err) {
		return
	}
	writeJSON(w, http.StatusOK, p)
}

func (s *Server) proposalExplain(w http.ResponseWriter, r *http.Request) {
	p, err := s.Store.ProposalGet(r.Context(), &store.ProposalGetParams{ID: r.PathValue("id")})
	if s.storeError(w, r, "reading the proposal", err) {
		return
	}
	out := map[string]any{"id": p.ID, "status": p.Status, "decision": p.Decision}
	if req, err := s.Store.ApprovalRequestGet(r.Context(), &store.ApprovalRequestGetParams{ProposalID: p.ID}); err == nil {
		out["approval"] = req
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) policiesList(w http.ResponseWriter, r *http.Request) {
	pack, err := s.pack()
	if err != nil {
		s.internal(w, r, "loading policies", err)
		return
	}
	type ruleView struct {
		ID          string          `json:"id"`
		Description string          `json:"description,omitempty"`
		When        string          `json:"when"`
		Effect      proposal.Effect `json:"effect"`
		Reason      string          `json:"reason,omitempty"`
		Source      string          `json:"source,omitempty"`
	}
	out := make([]ruleView, 0, len(pack.Rules))
	for _, ru := range pack.Rules {
		out = append(out, ruleView{ID: ru.ID, Description: ru.Description, When: ru.When, Effect: ru.Effect, Reason: ru.Reason, Source: ru.Source})
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) pack() (*governance.Pack, error) {
	if s.Fleet.Lifecycle != nil && s.Fleet.Lifecycle.Pack != nil {
		return s.Fleet.Lifecycle.Pack, nil
	}
	return governance.DefaultPack()
}

func (s *Server) delegationsList(w http.ResponseWriter, r *http.Request) {
	ds, err := s.Store.DelegationsList(r.Context(), &store.DelegationsListParams{At: time.Now().UTC()})
	if s.storeError(w, r, "listing delegations", err) {
		return
	}
	if ds == nil {
		ds = []store.Delegation{}
	}
	writeJSON(w, http.StatusOK, ds)
}

func (s *Server) delegationSet(w http.ResponseWriter, r *http.Request) {
	var in struct {
		To    string    `json:"to"`
		Until time.Time `json:"until"`
	}
	if !decode(w, r, &in) {
		return
	}
	me := PrincipalFrom(r.Context()).User.Name
	err := s.Store.InTx(r.Context(), func(ctx context.Context, q store.Queries) error {
		return governance.Delegate(ctx, q, me, in.To, in.Until, time.Now().UTC(), "user:"+me)
	})
	if s.storeError(w, r, "delegating", err) {
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"from": me, "to": in.To, "until": in.Until})
}

func (s *Server) agentReset(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("name")
	now := time.Now().UTC()
	var out *store.Agent
	err := s.Store.InTx(r.Context(), func(ctx context.Context, q store.Queries) error {
		if err := governance.ResetBreaker(ctx, q, name, PrincipalFrom(ctx).Actor(), now); err != nil {
			return err
		}
		var err error
		out, err = q.AgentGet(ctx, &store.AgentGetParams{Name: name})
		return err
	})
	if s.storeError(w, r, "resetting the agent", err) {
		return
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) executionStatus(w http.ResponseWriter, r *http.Request) {
	paused, err := governance.ExecutionPaused(r.Context(), s.Store)
	if s.storeError(w, r, "reading the kill switch", err) {
		return
	}
	out := map[string]any{"paused": paused}
	if set, err := s.Store.SettingGet(r.Context(), &store.SettingGetParams{Key: governance.SettingExecutionPaused}); err == nil {
		out["updated_by"], out["updated_at"] = set.UpdatedBy, set.UpdatedAt
	} else if !errors.Is(err, store.ErrNotFound) {
		s.internal(w, r, "reading the kill switch", err)
		return
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) executionPause(w http.ResponseWriter, r *http.Request) {
	var in struct{ Reason string }
	if r.ContentLength != 0 && !decode(w, r, &in) {
		return
	}
	err := s.Store.InTx(r.Context(), func(ctx context.Context, q store.Queries) error {
		return governance.PauseAll(ctx, q, PrincipalFrom(r.Context()).Actor(), in.Reason, time.Now().UTC())
	})
	if s.storeError(w, r, "pausing execution", err) {
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"paused": true})
}

func (s *Server) executionResume(w http.ResponseWriter, r *http.Request) {
	err := s.Store.InTx(r.Context(), func(ctx context.Context, q store.Queries) error {
		return governance.ResumeAll(ctx, q, PrincipalFrom(r.Context()).Actor(), time.Now().UTC())
	})
	if s.storeError(w, r, "resuming execution", err) {
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"paused": false})
}
