package main

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/spf13/cobra"

	"github.com/towerops/tower/internal/audit"
	"github.com/towerops/tower/internal/governance"
	"github.com/towerops/tower/internal/proposal"
	"github.com/towerops/tower/internal/skill"
	"github.com/towerops/tower/internal/store"
)

// controlCommands: tower pause --all, tower resume --all, tower status,
// tower autonomy.
func (a *app) controlCommands() []*cobra.Command {
	return []*cobra.Command{a.pauseCommand(), a.resumeCommand(), a.statusCommand(), a.autonomyCommand()}
}

// agentsControlCommands: tower agents reset|incident.
func (a *app) agentsControlCommands() []*cobra.Command {
	return []*cobra.Command{a.agentsResetCommand(), a.agentsIncidentCommand()}
}

// errNeedsAll explains why pause and resume insist on --all.
func errNeedsAll(verb string) error {
	return fmt.Errorf("tower %s acts on all execution at once and needs --all (tower %s --all); "+
		"to %s a single agent, run: tower agents %s NAME", verb, verb, verb, verb)
}

func (a *app) pauseCommand() *cobra.Command {
	var all bool
	var reason string
	c := &cobra.Command{
		Use: "pause --all", Short: "Stop all execution now (the kill switch)", Args: cobra.NoArgs,
		Long: "Stops every execution within a second: a proposal being executed stops between two actions.\n" +
			"Nothing is lost: proposals keep their status and carry on, each action exactly once, after `tower resume --all`.",
		RunE: func(cmd *cobra.Command, args []string) error {
			if !all {
				return errNeedsAll("pause")
			}
			st, err := a.store(cmd.Context())
			if err != nil {
				return err
			}
			var before governance.PauseState
			err = st.InTx(cmd.Context(), func(ctx context.Context, q store.Queries) error {
				if before, err = governance.ExecutionState(ctx, q); err != nil {
					return err
				}
				return governance.PauseAll(ctx, q, a.actor(), reason, time.Now().UTC())
			})
			if err != nil {
				return err
			}
			if before.Paused {
				fmt.Fprintf(a.stdout, "Execution was already paused by %s since %s.\n", before.By, before.Since.Format(time.RFC3339))
				return nil
			}
			fmt.Fprintln(a.stdout, "All execution is paused. Proposals wait where they are; run `tower resume --all` to carry on.")
			return nil
		},
	}
	c.Flags().BoolVar(&all, "all", false, "pause all execution (required)")
	c.Flags().StringVar(&reason, "reason", "", "why (shown by tower status and kept in the audit log)")
	return c
}

func (a *app) resumeCommand() *cobra.Command {
	var all bool
	c := &cobra.Command{
		Use: "resume --all", Short: "Let execution carry on after tower pause --all", Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if !all {
				return errNeedsAll("resume")
			}
			st, err := a.store(cmd.Context())
			if err != nil {
				return err
			}
			var before governance.PauseState
			err = st.InTx(cmd.Context(), func(ctx context.Context, q store.Queries) error {
				if before, err = governance.ExecutionState(ctx, q); err != nil {
					return err
				}
				return governance.ResumeAll(ctx, q, a.actor(), time.Now().UTC())
			})
			if err != nil {
				return err
			}
			if !before.Paused {
				fmt.Fprintln(a.stdout, "Execution was not paused; nothing changed.")
				return nil
			}
			fmt.Fprintln(a.stdout, "Execution resumed: waiting proposals carry on where they stopped.")
			return nil
		},
	}
	c.Flags().BoolVar(&all, "all", false, "resume all execution (required)")
	return c
}

// statusView is what `tower status --json` prints.
type statusView struct {
	Execution governance.PauseState `json:"execution"`
	Agents    map[string]int        `json:"agents"`    // by state
	Proposals map[string]int        `json:"proposals"` // open ones, by status
}

func (a *app) statusCommand() *cobra.Command {
	var asJSON bool
	c := &cobra.Command{
		Use: "status", Short: "Is execution running? Which agents are stopped? What waits?", Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			st, err := a.store(ctx)
			if err != nil {
				return err
			}
			v := statusView{Agents: map[string]int{}, Proposals: map[string]int{}}
			if v.Execution, err = governance.ExecutionState(ctx, st); err != nil {
				return err
			}
			for _, s := range []store.AgentState{store.AgentActive, store.AgentPaused, store.AgentTripped} {
				n, err := st.AgentsCount(ctx, &store.AgentsListParams{State: s})
				if err != nil {
					return fmt.Errorf("counting agents: %w", err)
				}
				v.Agents[string(s)] = n
			}
			open := []proposal.Status{proposal.StatusPendingApproval, proposal.StatusAllowed, proposal.StatusApproved, proposal.StatusExecuting}
			counts, err := st.ProposalsCount(ctx, &store.ProposalsListParams{Statuses: open})
			if err != nil {
				return fmt.Errorf("counting proposals: %w", err)
			}
			for _, s := range open {
				v.Proposals[string(s)] = counts[s]
			}
			if asJSON {
				return printJSON(a.stdout, v)
			}
			if v.Execution.Paused {
				fmt.Fprintf(a.stdout, "Execution: PAUSED by %s since %s", v.Execution.By, v.Execution.Since.Format(time.RFC3339))
				if v.Execution.Reason != "" {
					fmt.Fprintf(a.stdout, " (%s)", v.Execution.Reason)
				}
				fmt.Fprintln(a.stdout, "; resume with: tower resume --all")
			} else {
				fmt.Fprintln(a.stdout, "Execution: running")
			}
			fmt.Fprintf(a.stdout, "Agents: %d active, %d paused, %d tripped\n", v.Agents["active"], v.Agents["paused"], v.Agents["tripped"])
			fmt.Fprintf(a.stdout, "Proposals: %d waiting for approval, %d allowed, %d approved, %d executing\n",
				v.Proposals["pending_approval"], v.Proposals["allowed"], v.Proposals["approved"], v.Proposals["executing"])
			if v.Agents["tripped"] > 0 {
				fmt.Fprintln(a.stdout, "Tripped agents: tower agents list --state tripped; clear one with: tower agents reset NAME")
			}
			return nil
		},
	}
	c.Flags().BoolVar(&asJSON, "json", false, "print as JSON")
	return c
}

// autonomyRow is one (agent, action kind) of `tower autonomy`.
type autonomyRow struct {
	Agent     string    `json:"agent"`
	Kind      string    `json:"kind"`
	Level     string    `json:"level"`
	From      string    `json:"from"` // earned, agent, skill, pack, default
	Streak    int       `json:"streak"`
	ChangedAt time.Time `json:"changed_at,omitzero"`
	Reason    string    `json:"reason,omitempty"`
	LastUndo  time.Time `json:"last_undo_at,omitzero"`
}

func (a *app) autonomyCommand() *cobra.Command {
	var asJSON bool
	var agent string
	c := &cobra.Command{
		Use: "autonomy", Short: "What each agent may do on its own, and why", Args: cobra.NoArgs,
		Long: "For every agent and action kind: the autonomy level, where it comes from (earned by its track record,\n" +
			"the agent's file, the skill's policy, the pack default, or Tower's default), its streak of approvals\n" +
			"without edit, and when and why the level last changed.",
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			st, err := a.fleetStore(ctx)
			if err != nil {
				return err
			}
			pack, err := a.pack()
			if err != nil {
				return err
			}
			rows, err := autonomyRows(ctx, st, pack, agent)
			if err != nil {
				return err
			}
			if asJSON {
				return printJSON(a.stdout, rows)
			}
			t := newTable(a.stdout, "AGENT", "KIND", "LEVEL", "FROM", "STREAK", "CHANGED", "REASON")
			for _, r := range rows {
				changed := ""
				if !r.ChangedAt.IsZero() {
					changed = r.ChangedAt.Format("2006-01-02 15:04")
				}
				t.row(r.Agent, r.Kind, r.Level, r.From, r.Streak, changed, r.Reason)
			}
			return t.flush()
		},
	}
	c.Flags().StringVar(&agent, "agent", "", "only this agent")
	c.Flags().BoolVar(&asJSON, "json", false, "print as JSON")
	return c
}

// autonomyRows lists, per agent, every kind its skill may propose and
// every kind it has a track for.
func autonomyRows(ctx context.Context, st store.Store, pack *governance.Pack, only string) ([]autonomyRow, error) {
	var agents []store.Agent
	if only != "" {
		ag, err := st.AgentGet(ctx, &store.AgentGetParams{Name: only})
		if err != nil {
			return nil, fmt.Errorf("agent %s: %w", only, err)
		}
		agents = []store.Agent{*ag}
	} else {
		for after := ""; ; {
			page, err := st.AgentsList(ctx, &store.AgentsListParams{After: after, Limit: 500})
			if err != nil {
				return nil, fmt.Errorf("listing agents: %w", err)
			}
			agents = append(agents, page...)
			if len(page) < 500 {
				break
			}
			after = page[len(page)-1].Name
		}
	}
	names := make([]string, len(agents))
	for i, ag := range agents {
		names[i] = ag.Name
	}
	tracks, err := st.AutonomyTracksList(ctx, &store.AutonomyTracksListParams{Agents: names})
	if err != nil {
		return nil, err
	}
	byAgent := map[string]map[proposal.Kind]*store.AutonomyTrack{}
	for i, tr := range tracks {
		if byAgent[tr.Agent] == nil {
			byAgent[tr.Agent] = map[proposal.Kind]*store.AutonomyTrack{}
		}
		byAgent[tr.Agent][proposal.Kind(tr.Kind)] = &tracks[i]
	}
	rows := []autonomyRow{}
	for _, ag := range agents {
		var kinds []proposal.Kind
		if s, err := skill.Lookup(ag.Skill); err == nil {
			kinds = append(kinds, s.Manifest().Actions...)
		}
		for k := range byAgent[ag.Name] {
			kinds = append(kinds, k)
		}
		slices.Sort(kinds)
		for _, k := range slices.Compact(kinds) {
			tr := byAgent[ag.Name][k]
			l, from := pack.Autonomy.LevelOf(ag, k, tr)
			r := autonomyRow{Agent: ag.Name, Kind: string(k), Level: string(l), From: string(from)}
			if tr != nil {
				r.Streak, r.ChangedAt, r.Reason, r.LastUndo = tr.Streak, tr.ChangedAt, tr.Reason, tr.LastUndoAt
			}
			rows = append(rows, r)
		}
	}
	return rows, nil
}

func (a *app) agentsResetCommand() *cobra.Command {
	return &cobra.Command{
		Use: "reset NAME", Short: "Let an agent stopped by the circuit breaker run again", Args: cobra.ExactArgs(1),
		Long: "Clears a tripped circuit breaker: the agent is active again and the breaker counts afresh from now.\n" +
			"Its autonomous proposals that waited are queued for execution again. Autonomy it lost stays lost until earned again.",
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			st, err := a.fleetStore(ctx)
			if err != nil {
				return err
			}
			name := args[0]
			err = st.InTx(ctx, func(ctx context.Context, q store.Queries) error {
				if err := governance.ResetBreaker(ctx, q, name, a.actor(), time.Now().UTC()); err != nil {
					return err
				}
				return a.requeueWaiting(ctx, q, name)
			})
			if errors.Is(err, store.ErrNotFound) {
				return fmt.Errorf("there is no agent named %s (tower agents list shows them)", name)
			}
			if err != nil {
				return err
			}
			fmt.Fprintf(a.stdout, "Agent %s is active again; its circuit breaker counts afresh from now.\n", name)
			return nil
		},
	}
}

// requeueWaiting enqueues the execution of an agent's proposals that
// waited while it was stopped (in q's transaction, so they run only if
// the reset commits). Execution jobs are unique per proposal, so one
// still snoozing is not doubled.
func (a *app) requeueWaiting(ctx context.Context, q store.Queries, agent string) error {
	if a.enqueuer == nil {
		return nil
	}
	for offset := 0; ; offset += 500 {
		ps, err := q.ProposalsList(ctx, &store.ProposalsListParams{Agent: agent, Page: store.Page{Limit: 500, Offset: offset},
			Statuses: []proposal.Status{proposal.StatusAllowed, proposal.StatusExecuting}})
		if err != nil {
			return err
		}
		ids := make([]string, len(ps))
		for i := range ps {
			ids[i] = ps[i].ID
		}
		if len(ids) > 0 {
			if err := a.enqueuer.EnqueueExecute(ctx, q, ids); err != nil {
				return err
			}
		}
		if len(ps) < 500 {
			return nil
		}
	}
}

func (a *app) agentsIncidentCommand() *cobra.Command {
	var reason string
	c := &cobra.Command{
		Use: "incident NAME --reason TEXT", Short: "Record an incident: the agent loses the autonomy it had", Args: cobra.ExactArgs(1),
		Long: "Records that an agent caused an incident (audit log, owner notified). Unless the policies say otherwise\n" +
			"(autonomy.demote_on), every action kind it could do on its own needs approval again and its streaks restart.",
		RunE: func(cmd *cobra.Command, args []string) error {
			if reason == "" {
				return errors.New("say what happened with --reason (it is kept in the audit log and sent to the agent's owner)")
			}
			ctx := cmd.Context()
			st, err := a.fleetStore(ctx)
			if err != nil {
				return err
			}
			pack, err := a.pack()
			if err != nil {
				return err
			}
			name, now := args[0], time.Now().UTC()
			err = st.InTx(ctx, func(ctx context.Context, q store.Queries) error {
				ag, err := q.AgentGet(ctx, &store.AgentGetParams{Name: name})
				if err != nil {
					return err
				}
				if err := audit.Append(ctx, q, audit.Entry{Actor: "user:" + a.actor(), Action: "agent.incident",
					Subject: "agent:" + name, At: now, Data: map[string]any{"reason": reason}}); err != nil {
					return err
				}
				return governance.Earner{Pack: pack}.Demote(ctx, q, *ag, nil, governance.CauseIncident, "incident: "+reason, now)
			})
			if errors.Is(err, store.ErrNotFound) {
				return fmt.Errorf("there is no agent named %s (tower agents list shows them)", name)
			}
			if err != nil {
				return err
			}
			if d := pack.Autonomy.DemoteOn; len(d) > 0 && !slices.Contains(d, governance.CauseIncident) {
				fmt.Fprintf(a.stdout, "Incident recorded for agent %s. The policies do not take autonomy away for incidents (demote_on: %v).\n", name, d)
				return nil
			}
			fmt.Fprintf(a.stdout, "Incident recorded for agent %s: everything it did on its own now needs approval again (see tower autonomy --agent %s).\n", name, name)
			return nil
		},
	}
	c.Flags().StringVar(&reason, "reason", "", "what happened (required)")
	return c
}
