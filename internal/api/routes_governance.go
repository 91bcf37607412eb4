package api

import (
	"context"
	"errors"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/towerops/tower/internal/governance"
	"github.com/towerops/tower/internal/proposal"
	"github.com/towerops/tower/internal/store"
)

// governanceOperations: the approval inbox, policies, delegations and the
// kill switch. Anyone who may approve may also pull the kill switch
// (stopping is always safe); starting execution again changes how the
// fleet runs, an architect's job.
func (s *Server) governanceOperations(api huma.API) {
	register(api, store.RoleApprover, huma.Operation{OperationID: "list-inbox", Method: http.MethodGet, Path: "/api/v1/inbox",
		Summary: "Proposals waiting for my decision, most valuable first", Tags: []string{"Approvals"}}, s.inbox)
	register(api, store.RoleViewer, huma.Operation{OperationID: "list-policies", Method: http.MethodGet, Path: "/api/v1/policies",
		Summary: "List the policy rules that decide what agents may do", Tags: []string{"Policies"}}, s.policiesList)
	register(api, store.RoleViewer, huma.Operation{OperationID: "list-delegations", Method: http.MethodGet, Path: "/api/v1/delegations",
		Summary: "List who approves for whom while they are away", Tags: []string{"Approvals"}}, s.delegationsList)
	register(api, store.RoleApprover, huma.Operation{OperationID: "set-delegation", Method: http.MethodPost, Path: "/api/v1/delegations",
		Summary: "Let someone approve for me while I am away", Tags: []string{"Approvals"}}, s.delegationSet)
	tags := []string{"Execution"}
	register(api, store.RoleViewer, huma.Operation{OperationID: "get-execution", Method: http.MethodGet, Path: "/api/v1/execution",
		Summary: "Is carrying out approved proposals paused?", Tags: tags}, s.executionStatus)
	register(api, store.RoleApprover, huma.Operation{OperationID: "pause-execution", Method: http.MethodPost, Path: "/api/v1/execution/pause",
		Summary: "Kill switch: stop carrying out any proposal", Tags: tags}, s.executionPause)
	register(api, store.RoleArchitect, huma.Operation{OperationID: "resume-execution", Method: http.MethodPost, Path: "/api/v1/execution/resume",
		Summary: "Start carrying out approved proposals again", Tags: tags}, s.executionResume)
}

// inbox pages with an offset over governance.Inbox, which ranks by value
// and so has no key to page by.
func (s *Server) inbox(ctx context.Context, in *PageParams) (*body[Page[governance.InboxItem]], error) {
	offset, limit, err := in.offsetPage("inbox")
	if err != nil {
		return nil, err
	}
	items, err := governance.Inbox(ctx, s.Store, PrincipalFrom(ctx).User.Name, time.Now().UTC(), offset+limit+1)
	if err != nil {
		return nil, s.fail(ctx, "reading the inbox", err)
	}
	items = items[min(offset, len(items)):]
	return reply(pageAt("inbox", items, offset, limit))
}

// rule is a policy rule as the API shows it.
type rule struct {
	ID          string          `json:"id"`
	Description string          `json:"description,omitempty"`
	When        string          `json:"when" doc:"The condition, in CEL."`
	Effect      proposal.Effect `json:"effect"`
	Reason      string          `json:"reason,omitempty"`
	Source      string          `json:"source,omitempty" doc:"The file the rule comes from."`
}

func (s *Server) policiesList(ctx context.Context, in *PageParams) (*body[Page[rule]], error) {
	pack, err := s.pack()
	if err != nil {
		return nil, s.fail(ctx, "loading policies", err)
	}
	out := make([]rule, 0, len(pack.Rules))
	for _, ru := range pack.Rules {
		out = append(out, rule{ID: ru.ID, Description: ru.Description, When: ru.When, Effect: ru.Effect, Reason: ru.Reason, Source: ru.Source})
	}
	page, err := pageOfSlice("policies", out, *in)
	if err != nil {
		return nil, err
	}
	return reply(page)
}

func (s *Server) pack() (*governance.Pack, error) {
	if s.Fleet.Lifecycle != nil && s.Fleet.Lifecycle.Pack != nil {
		return s.Fleet.Lifecycle.Pack, nil
	}
	return governance.DefaultPack()
}

// delegation lets To approve in From's place until Until.
type delegation struct {
	From      string     `json:"from"`
	To        string     `json:"to"`
	Until     time.Time  `json:"until"`
	CreatedAt *time.Time `json:"created_at,omitempty"`
}

func (s *Server) delegationsList(ctx context.Context, in *PageParams) (*body[Page[delegation]], error) {
	ds, err := s.Store.DelegationsList(ctx, &store.DelegationsListParams{At: time.Now().UTC()})
	if err != nil {
		return nil, s.fail(ctx, "listing delegations", err)
	}
	page, err := pageOfSlice("delegations", mapItems(ds, func(d store.Delegation) delegation {
		return delegation{From: d.From, To: d.To, Until: d.Until, CreatedAt: optTime(d.CreatedAt)}
	}), *in)
	if err != nil {
		return nil, err
	}
	return reply(page)
}

type delegationInput struct {
	Body struct {
		To    string    `json:"to" minLength:"1" doc:"The user who may approve for me."`
		Until time.Time `json:"until" doc:"When the delegation ends, e.g. 2026-08-01T00:00:00Z."`
	}
}

func (s *Server) delegationSet(ctx context.Context, in *delegationInput) (*body[delegation], error) {
	me := PrincipalFrom(ctx).User.Name
	err := s.Store.InTx(ctx, func(ctx context.Context, q store.Queries) error {
		return governance.Delegate(ctx, q, me, in.Body.To, in.Body.Until, time.Now().UTC(), "user:"+me)
	})
	if err != nil {
		return nil, s.fail(ctx, "delegating", err)
	}
	return reply(delegation{From: me, To: in.Body.To, Until: in.Body.Until})
}

// executionState is the kill switch.
type executionState struct {
	Paused    bool       `json:"paused"`
	UpdatedBy string     `json:"updated_by,omitempty"`
	UpdatedAt *time.Time `json:"updated_at,omitempty"`
}

func (s *Server) executionStatus(ctx context.Context, _ *struct{}) (*body[executionState], error) {
	paused, err := governance.ExecutionPaused(ctx, s.Store)
	if err != nil {
		return nil, s.fail(ctx, "reading the kill switch", err)
	}
	out := executionState{Paused: paused}
	set, err := s.Store.SettingGet(ctx, &store.SettingGetParams{Key: governance.SettingExecutionPaused})
	switch {
	case err == nil:
		out.UpdatedBy, out.UpdatedAt = set.UpdatedBy, &set.UpdatedAt
	case !errors.Is(err, store.ErrNotFound):
		return nil, s.fail(ctx, "reading the kill switch", err)
	}
	return reply(out)
}

type executionPauseInput struct{ Body *reasonBody }

func (s *Server) executionPause(ctx context.Context, in *executionPauseInput) (*body[executionState], error) {
	var reason string
	if in.Body != nil {
		reason = in.Body.Reason
	}
	err := s.Store.InTx(ctx, func(ctx context.Context, q store.Queries) error {
		return governance.PauseAll(ctx, q, PrincipalFrom(ctx).Actor(), reason, time.Now().UTC())
	})
	if err != nil {
		return nil, s.fail(ctx, "pausing execution", err)
	}
	return s.executionStatus(ctx, nil)
}

func (s *Server) executionResume(ctx context.Context, _ *struct{}) (*body[executionState], error) {
	err := s.Store.InTx(ctx, func(ctx context.Context, q store.Queries) error {
		return governance.ResumeAll(ctx, q, PrincipalFrom(ctx).Actor(), time.Now().UTC())
	})
	if err != nil {
		return nil, s.fail(ctx, "resuming execution", err)
	}
	return s.executionStatus(ctx, nil)
}
