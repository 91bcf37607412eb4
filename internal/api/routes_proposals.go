package api

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/towerops/tower/internal/fleet"
	"github.com/towerops/tower/internal/proposal"
	"github.com/towerops/tower/internal/store"
)

// proposalOperations are the proposals agents make and the decisions on
// them. Reading is for everyone; deciding, editing and undoing is an
// approver's job.
func (s *Server) proposalOperations(api huma.API) {
	tags := []string{"Proposals"}
	register(api, store.RoleViewer, huma.Operation{OperationID: "list-proposals", Method: http.MethodGet, Path: "/api/v1/proposals",
		Summary: "List proposals, newest first", Tags: tags}, s.proposalsList)
	register(api, store.RoleViewer, huma.Operation{OperationID: "get-proposal", Method: http.MethodGet, Path: "/api/v1/proposals/{id}",
		Summary: "Show a proposal with its evidence and preview", Tags: tags}, s.proposalGet)
	register(api, store.RoleApprover, huma.Operation{OperationID: "approve-proposal", Method: http.MethodPost, Path: "/api/v1/proposals/{id}/approve",
		Summary: "Approve a proposal", Tags: tags}, s.proposalDecide(true))
	register(api, store.RoleApprover, huma.Operation{OperationID: "reject-proposal", Method: http.MethodPost, Path: "/api/v1/proposals/{id}/reject",
		Summary: "Reject a proposal", Description: "A reason is required: the agent's owner learns from it.", Tags: tags}, s.proposalDecide(false))
	register(api, store.RoleApprover, huma.Operation{OperationID: "edit-proposal", Method: http.MethodPost, Path: "/api/v1/proposals/{id}/edit",
		Summary: "Edit a waiting proposal into a new revision", Tags: tags}, s.proposalEdit)
	register(api, store.RoleApprover, huma.Operation{OperationID: "undo-proposal", Method: http.MethodPost, Path: "/api/v1/proposals/{id}/undo",
		Summary: "Undo a carried-out proposal", Tags: tags}, s.proposalUndo)
	register(api, store.RoleViewer, huma.Operation{OperationID: "explain-proposal", Method: http.MethodGet, Path: "/api/v1/proposals/{id}/explain",
		Summary: "Which rules decided a proposal, and why", Tags: tags}, s.proposalExplain)
	register(api, store.RoleViewer, huma.Operation{OperationID: "list-proposal-approvals", Method: http.MethodGet, Path: "/api/v1/proposals/{id}/approvals",
		Summary: "Who was asked to approve a proposal, and who did", Tags: tags}, s.proposalApprovals)
}

type proposalsListInput struct {
	PageParams
	Status string `query:"status" doc:"Only proposals in these statuses, comma-separated, e.g. pending_approval,approved."`
	Agent  string `query:"agent" doc:"Only proposals of this agent."`
	Skill  string `query:"skill" doc:"Only proposals of agents of this skill."`
}

func (s *Server) proposalsList(ctx context.Context, in *proposalsListInput) (*body[Page[proposal.Proposal]], error) {
	offset, limit, err := in.offsetPage("proposals")
	if err != nil {
		return nil, err
	}
	p := &store.ProposalsListParams{Page: store.Page{Limit: limit + 1, Offset: offset}, Skill: in.Skill, Agent: in.Agent}
	for _, one := range strings.Split(in.Status, ",") {
		if one = strings.TrimSpace(one); one == "" {
			continue
		}
		st, err := proposal.ParseStatus(one)
		if err != nil {
			return nil, invalid("query.status", err.Error())
		}
		p.Statuses = append(p.Statuses, st)
	}
	ps, err := s.Store.ProposalsList(ctx, p)
	if err != nil {
		return nil, s.fail(ctx, "listing proposals", err)
	}
	return reply(pageAt("proposals", ps, offset, limit))
}

type proposalInput struct {
	ID string `path:"id" doc:"The proposal's id, p_…"`
}

func (s *Server) proposalGet(ctx context.Context, in *proposalInput) (*body[*proposal.Proposal], error) {
	p, err := s.Store.ProposalGet(ctx, &store.ProposalGetParams{ID: in.ID})
	if err != nil {
		return nil, s.fail(ctx, "reading the proposal", err)
	}
	return reply(p)
}

type proposalReasonInput struct {
	ID   string `path:"id" doc:"The proposal's id, p_…"`
	Body *reasonBody
}

func (s *Server) proposalDecide(approve bool) func(context.Context, *proposalReasonInput) (*body[*proposal.Proposal], error) {
	return func(ctx context.Context, in *proposalReasonInput) (*body[*proposal.Proposal], error) {
		var reason string
		if in.Body != nil {
			reason = in.Body.Reason
		}
		p, err := s.Fleet.Lifecycle.Decide(ctx, in.ID, PrincipalFrom(ctx).User.Name, approve, reason)
		if err != nil {
			return nil, s.fail(ctx, "deciding on the proposal", err)
		}
		return reply(p)
	}
}

func (s *Server) proposalUndo(ctx context.Context, in *proposalInput) (*body[*proposal.Proposal], error) {
	p, err := s.Fleet.Lifecycle.Undo(ctx, in.ID, PrincipalFrom(ctx).User.Name)
	if err != nil {
		return nil, s.fail(ctx, "undoing the proposal", err)
	}
	return reply(p)
}

// editRequest is an edit of a waiting proposal: targets to drop
// ("person:42") and parameters to set ("1.tag" → value: the action's
// number, from 1 as people see them, and the parameter's name).
type editRequest struct {
	DropTargets []string       `json:"drop_targets,omitempty" doc:"Targets to leave out, as TYPE:ID, e.g. person:42."`
	SetParams   map[string]any `json:"set_params,omitempty" doc:"Parameters to change, keyed ACTION.NAME with the action's number from 1, e.g. 1.tag."`
	Reason      string         `json:"reason,omitempty" maxLength:"1000" doc:"Why; kept with the revision."`
}

// spec turns the request into the edit the lifecycle applies.
func (e editRequest) spec() (fleet.EditSpec, error) {
	spec := fleet.EditSpec{DropTargets: e.DropTargets}
	for k, v := range e.SetParams {
		idx, name, ok := strings.Cut(k, ".")
		n, err := strconv.Atoi(idx)
		if !ok || err != nil || n < 1 || name == "" {
			return spec, invalid("body.set_params", fmt.Sprintf("set_params key %q: use ACTION.NAME with the action's number from 1, for example 1.tag", k))
		}
		spec.SetParams = append(spec.SetParams, fleet.ParamSet{Action: n, Name: name, Value: v})
	}
	return spec, nil
}

type proposalEditInput struct {
	ID   string `path:"id" doc:"The proposal's id, p_…"`
	Body editRequest
}

func (s *Server) proposalEdit(ctx context.Context, in *proposalEditInput) (*body[*proposal.Proposal], error) {
	spec, err := in.Body.spec()
	if err != nil {
		return nil, err
	}
	p, err := s.Fleet.Lifecycle.Edit(ctx, in.ID, PrincipalFrom(ctx).User.Name, spec.Change, in.Body.Reason)
	if err != nil {
		return nil, s.fail(ctx, "editing the proposal", err)
	}
	return reply(p)
}

// explanation says which rules decided a proposal and where its approval
// stands.
type explanation struct {
	ID       string             `json:"id"`
	Status   proposal.Status    `json:"status"`
	Decision *proposal.Decision `json:"decision,omitempty"`
	Approval *approvalRequest   `json:"approval,omitempty"`
}

func (s *Server) proposalExplain(ctx context.Context, in *proposalInput) (*body[explanation], error) {
	p, err := s.Store.ProposalGet(ctx, &store.ProposalGetParams{ID: in.ID})
	if err != nil {
		return nil, s.fail(ctx, "reading the proposal", err)
	}
	out := explanation{ID: p.ID, Status: p.Status, Decision: p.Decision}
	if out.Approval, err = s.approvalRequest(ctx, p.ID); err != nil {
		return nil, err
	}
	return reply(out)
}

// approvalRequest is who a proposal waits for, as the approvals operation
// shows it.
type approvalRequest struct {
	State     string          `json:"state" doc:"open, approved, rejected, expired, denied or superseded."`
	Level     int             `json:"level" doc:"The escalation step it is at, from 0."`
	Required  int             `json:"required" doc:"How many different people must approve."`
	Chain     []approvalLevel `json:"chain" doc:"Who may approve at each step."`
	DueAt     time.Time       `json:"due_at" doc:"When it escalates to the next step."`
	OnTimeout string          `json:"on_timeout" doc:"What happens when the last step runs out: expire or deny."`
	Owner     string          `json:"owner,omitempty" doc:"The agent's owner."`
	Requester string          `json:"requester,omitempty"`
	SoD       bool            `json:"segregation_of_duties" doc:"The owner or requester cannot be the only approvers."`
	CreatedAt time.Time       `json:"created_at"`
}

type approvalLevel struct {
	Roles      []string `json:"roles,omitempty"`
	Users      []string `json:"users,omitempty"`
	SLASeconds int64    `json:"sla_seconds" doc:"How long this step has before it escalates."`
}

// approvalRequest reads a proposal's approval request; nil when it never
// needed one.
func (s *Server) approvalRequest(ctx context.Context, id string) (*approvalRequest, error) {
	r, err := s.Store.ApprovalRequestGet(ctx, &store.ApprovalRequestGetParams{ProposalID: id})
	if err != nil {
		if isNotFound(err) {
			return nil, nil
		}
		return nil, s.fail(ctx, "reading the approval request", err)
	}
	out := &approvalRequest{State: r.State, Level: r.Level, Required: r.Required, DueAt: r.DueAt, OnTimeout: r.OnTimeout,
		Owner: r.Owner, Requester: r.Requester, SoD: r.SoD, CreatedAt: r.CreatedAt, Chain: []approvalLevel{}}
	for _, l := range r.Chain {
		out.Chain = append(out.Chain, approvalLevel{Roles: l.Roles, Users: l.Users, SLASeconds: int64(l.SLA / time.Second)})
	}
	return out, nil
}

// proposalApprovals is who was asked and who answered.
type proposalApprovals struct {
	ProposalID string              `json:"proposal_id"`
	Request    *approvalRequest    `json:"request,omitempty" doc:"Absent when the proposal never needed approval."`
	Approvals  []proposal.Approval `json:"approvals" nullable:"false"`
}

func (s *Server) proposalApprovals(ctx context.Context, in *proposalInput) (*body[proposalApprovals], error) {
	p, err := s.Store.ProposalGet(ctx, &store.ProposalGetParams{ID: in.ID})
	if err != nil {
		return nil, s.fail(ctx, "reading the proposal", err)
	}
	out := proposalApprovals{ProposalID: p.ID, Approvals: []proposal.Approval{}}
	if p.Decision != nil && p.Decision.Approvals != nil {
		out.Approvals = p.Decision.Approvals
	}
	if out.Request, err = s.approvalRequest(ctx, p.ID); err != nil {
		return nil, err
	}
	return reply(out)
}
