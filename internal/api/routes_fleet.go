package api

import (
	"context"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/towerops/tower/internal/fleet"
	"github.com/towerops/tower/internal/governance"
	"github.com/towerops/tower/internal/proposal"
	"github.com/towerops/tower/internal/skill"
	"github.com/towerops/tower/internal/store"
)

// fleetOperations are skills and agents. Reading is for everyone; running
// an agent is a marketer's job; pausing, resuming and resetting agents
// changes the fleet, an architect's job.
func (s *Server) fleetOperations(api huma.API) {
	tags := []string{"Agents"}
	register(api, store.RoleViewer, huma.Operation{OperationID: "list-skills", Method: http.MethodGet, Path: "/api/v1/skills",
		Summary: "List the skills agents can be built from", Tags: tags}, s.skillsList)
	register(api, store.RoleViewer, huma.Operation{OperationID: "list-agents", Method: http.MethodGet, Path: "/api/v1/agents",
		Summary: "List agents", Tags: tags}, s.agentsList)
	register(api, store.RoleViewer, huma.Operation{OperationID: "get-agent", Method: http.MethodGet, Path: "/api/v1/agents/{name}",
		Summary: "Show an agent", Tags: tags}, s.agentGet)
	register(api, store.RoleArchitect, huma.Operation{OperationID: "pause-agent", Method: http.MethodPost, Path: "/api/v1/agents/{name}/pause",
		Summary: "Pause an agent", Description: "A paused agent makes no proposals until it is resumed.", Tags: tags}, s.agentState(store.AgentPaused))
	register(api, store.RoleArchitect, huma.Operation{OperationID: "resume-agent", Method: http.MethodPost, Path: "/api/v1/agents/{name}/resume",
		Summary: "Resume a paused agent", Tags: tags}, s.agentState(store.AgentActive))
	register(api, store.RoleMarketer, huma.Operation{OperationID: "run-agent", Method: http.MethodPost, Path: "/api/v1/agents/{name}/run",
		Summary: "Run an agent now", Description: "With dry_run the agent's proposals are shown but not kept.", Tags: tags}, s.agentRun)
	register(api, store.RoleArchitect, huma.Operation{OperationID: "reset-agent", Method: http.MethodPost, Path: "/api/v1/agents/{name}/reset",
		Summary: "Reset an agent its safety breaker stopped", Tags: tags}, s.agentReset)
}

func (s *Server) skillsList(ctx context.Context, in *PageParams) (*body[Page[skill.Description]], error) {
	var all []skill.Description
	for _, sk := range skill.All() {
		all = append(all, skill.Describe(sk.Manifest()))
	}
	page, err := pageOfSlice("skills", all, *in)
	if err != nil {
		return nil, err
	}
	return reply(page)
}

type agentsListInput struct {
	PageParams
	Skill string `query:"skill" doc:"Only agents of this skill."`
	State string `query:"state" enum:"active,paused,tripped" doc:"Only agents in this state."`
}

// agentsList pages by name (keyset), so a page never shifts when agents
// are added before it.
func (s *Server) agentsList(ctx context.Context, in *agentsListInput) (*body[Page[fleet.AgentView]], error) {
	c, err := decodeCursor("agents", in.Cursor)
	if err != nil {
		return nil, err
	}
	limit := in.limit()
	as, err := s.Store.AgentsList(ctx, &store.AgentsListParams{Skill: in.Skill, State: store.AgentState(in.State), After: c.After, Limit: limit + 1})
	if err != nil {
		return nil, s.fail(ctx, "listing agents", err)
	}
	out := Page[fleet.AgentView]{Items: mapItems(as, fleet.ViewOf)}
	if len(as) > limit {
		out.Items = out.Items[:limit]
		out.NextCursor = cursor{List: "agents", After: as[limit-1].Name}.encode()
	}
	return reply(out)
}

type agentInput struct {
	Name string `path:"name" doc:"The agent's name."`
}

func (s *Server) agentGet(ctx context.Context, in *agentInput) (*body[fleet.AgentView], error) {
	a, err := s.Store.AgentGet(ctx, &store.AgentGetParams{Name: in.Name})
	if err != nil {
		return nil, s.fail(ctx, "reading the agent", err)
	}
	return reply(fleet.ViewOf(*a))
}

// reasonBody is an optional reason, kept in the audit log.
type reasonBody struct {
	Reason string `json:"reason,omitempty" maxLength:"1000" doc:"Why, in a few words; kept in the audit log."`
}

type agentReasonInput struct {
	Name string `path:"name" doc:"The agent's name."`
	Body *reasonBody
}

func (s *Server) agentState(state store.AgentState) func(context.Context, *agentReasonInput) (*body[fleet.AgentView], error) {
	return func(ctx context.Context, in *agentReasonInput) (*body[fleet.AgentView], error) {
		var reason string
		if in.Body != nil {
			reason = in.Body.Reason
		}
		a, err := s.Fleet.SetAgentState(ctx, in.Name, state, reason, PrincipalFrom(ctx).Actor())
		if err != nil {
			return nil, s.fail(ctx, "changing the agent", err)
		}
		return reply(fleet.ViewOf(*a))
	}
}

type agentRunInput struct {
	Name string `path:"name" doc:"The agent's name."`
	Body *struct {
		DryRun bool `json:"dry_run,omitempty" doc:"Show what the agent would propose without keeping it."`
	}
}

// runResult is what one run of an agent proposed.
type runResult struct {
	Agent             string                  `json:"agent"`
	DryRun            bool                    `json:"dry_run"`
	Proposals         []proposal.Proposal     `json:"proposals" nullable:"false"`
	SkippedDuplicates int                     `json:"skipped_duplicates" doc:"Proposals not made again because the same one is still open."`
	Problems          []fleet.AgentError      `json:"problems,omitempty" doc:"Proposals Tower refused, and agents that could not run."`
	ByStatus          map[proposal.Status]int `json:"by_status"`
}

func (s *Server) agentRun(ctx context.Context, in *agentRunInput) (*body[runResult], error) {
	dry := in.Body != nil && in.Body.DryRun
	a, err := s.Store.AgentGet(ctx, &store.AgentGetParams{Name: in.Name})
	if err != nil {
		return nil, s.fail(ctx, "reading the agent", err)
	}
	if a.State != store.AgentActive {
		return nil, apiErr(http.StatusConflict, "agent "+a.Name+" is "+string(a.State)+"; resume it first")
	}
	res, err := s.Fleet.Runner.Run(ctx, fleet.RunRequest{Skill: a.Skill, Agents: []string{a.Name},
		Trigger: skill.Trigger{Kind: "manual"}, DryRun: dry})
	if err != nil {
		return nil, s.fail(ctx, "running the agent", err)
	}
	out := runResult{Agent: a.Name, DryRun: dry, Proposals: res.Proposals, SkippedDuplicates: res.Skipped,
		Problems: res.Invalid, ByStatus: res.ByStatus}
	if out.Proposals == nil {
		out.Proposals = []proposal.Proposal{}
	}
	return reply(out)
}

func (s *Server) agentReset(ctx context.Context, in *agentInput) (*body[fleet.AgentView], error) {
	now := time.Now().UTC()
	var out *store.Agent
	err := s.Store.InTx(ctx, func(ctx context.Context, q store.Queries) error {
		if err := governance.ResetBreaker(ctx, q, in.Name, PrincipalFrom(ctx).Actor(), now); err != nil {
			return err
		}
		var err error
		out, err = q.AgentGet(ctx, &store.AgentGetParams{Name: in.Name})
		return err
	})
	if err != nil {
		return nil, s.fail(ctx, "resetting the agent", err)
	}
	return reply(fleet.ViewOf(*out))
}
