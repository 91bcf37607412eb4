package web

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/towerops/tower/internal/audit"
	"github.com/towerops/tower/internal/fleet"
	"github.com/towerops/tower/internal/governance"
	"github.com/towerops/tower/internal/skill"
	"github.com/towerops/tower/internal/store"
)

// agentPause stops an active agent until someone resumes it; the reason
// is required, since whoever finds it paused will want to know why.
func (s *Server) agentPause(w http.ResponseWriter, r *http.Request) {
	reason := strings.TrimSpace(r.PostFormValue("reason"))
	if reason == "" {
		s.fail(w, r, http.StatusBadRequest, "Say why you are pausing the agent: the reason is kept in the audit log and shown to its owner.")
		return
	}
	s.setAgentState(w, r, store.AgentPaused, reason, "Paused")
}

// agentResume lets a paused agent run again. A tripped agent is reset
// instead, which also restarts the breaker's count.
func (s *Server) agentResume(w http.ResponseWriter, r *http.Request) {
	s.setAgentState(w, r, store.AgentActive, strings.TrimSpace(r.PostFormValue("reason")), "Resumed")
}

// setAgentState pauses or resumes an agent (fleet.SetAgentState, with
// its audit entry, in one transaction) and says what happened.
func (s *Server) setAgentState(w http.ResponseWriter, r *http.Request, to store.AgentState, reason, verb string) {
	name := r.PathValue("name")
	actor := sessionFrom(r.Context()).Principal.Actor()
	err := s.Store.InTx(r.Context(), func(ctx context.Context, q store.Queries) error {
		_, err := fleet.SetAgentState(ctx, q, name, to, reason, actor, time.Now().UTC())
		return err
	})
	switch {
	case errors.Is(err, fleet.ErrAgentTripped):
		s.fail(w, r, http.StatusConflict, fmt.Sprintf("Agent %s was stopped by the circuit breaker, so it cannot be %s. Use Reset once you have looked at why.", name, strings.ToLower(verb)))
	case errors.Is(err, fleet.ErrAgentUnchanged):
		s.fail(w, r, http.StatusConflict, fmt.Sprintf("Agent %s is already %s.", name, to))
	case err != nil:
		s.readFailed(w, r, "agent", err)
	default:
		done(w, r, "/agents/"+name, verb+" "+name+".")
	}
}

// agentReset lets an agent the circuit breaker tripped run again.
func (s *Server) agentReset(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("name")
	actor := sessionFrom(r.Context()).Principal.Actor()
	err := s.Store.InTx(r.Context(), func(ctx context.Context, q store.Queries) error {
		return governance.ResetBreaker(ctx, q, name, actor, time.Now().UTC())
	})
	switch {
	case errors.Is(err, governance.ErrNotTripped):
		s.fail(w, r, http.StatusConflict, "Agent "+name+" is not tripped, so there is nothing to reset. A paused agent is resumed instead.")
	case err != nil:
		s.readFailed(w, r, "agent", err)
	default:
		done(w, r, "/agents/"+name, "Reset "+name+": it runs again, and the circuit breaker counts afresh.")
	}
}

// agentRun runs an active agent now, as its schedule would. What it
// proposes goes through governance like any other run.
func (s *Server) agentRun(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	name := r.PathValue("name")
	if s.Runner == nil {
		s.fail(w, r, http.StatusServiceUnavailable, "This Tower server does not run agents.")
		return
	}
	a, err := s.Store.AgentGet(ctx, &store.AgentGetParams{Name: name})
	if err != nil {
		s.readFailed(w, r, "agent", err)
		return
	}
	if a.State != store.AgentActive {
		s.fail(w, r, http.StatusConflict, "Agent "+name+" is "+string(a.State)+"; resume it first.")
		return
	}
	actor := sessionFrom(ctx).Principal.Actor()
	res, err := s.Runner.Run(ctx, fleet.RunRequest{Skill: a.Skill, Agents: []string{a.Name}, Trigger: skill.Trigger{Kind: "manual"}})
	if err != nil {
		s.Logger.ErrorContext(ctx, "running an agent from the console failed", "agent", name, "err", err)
		s.fail(w, r, http.StatusInternalServerError, "Agent "+name+" could not run; the error is in the server log.")
		return
	}
	if err := audit.Append(ctx, s.Store, audit.Entry{Actor: actor, Action: "agent.run", Subject: "agent:" + name,
		Data: map[string]any{"proposals": len(res.Proposals), "skipped": res.Skipped, "problems": len(res.Invalid)}}); err != nil {
		s.Logger.ErrorContext(ctx, "recording an agent run failed", "agent", name, "err", err)
	}
	msg := fmt.Sprintf("Ran %s: %d new proposals", name, len(res.Proposals))
	if res.Skipped > 0 {
		msg += fmt.Sprintf(", %d already waiting", res.Skipped)
	}
	if len(res.Invalid) > 0 {
		msg += fmt.Sprintf(", %d problems (see the server log)", len(res.Invalid))
	}
	done(w, r, "/agents/"+name, msg+".")
}
