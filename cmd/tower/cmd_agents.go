package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/towerops/tower/internal/audit"
	"github.com/towerops/tower/internal/fleet"
	"github.com/towerops/tower/internal/skill"
	"github.com/towerops/tower/internal/store"
)

func (a *app) agentsCommand() *cobra.Command {
	cmd := &cobra.Command{Use: "agents", Short: "The agent fleet: configured instances of skills",
		Long: "Agents are configured instances of a skill, each with an owner, a scope, parameters and autonomy.\n" +
			"Declare them in the workspace's agents/*.toml files (kept in git) or create them here."}
	cmd.AddCommand(a.agentsListCommand(), a.agentsShowCommand(), a.agentsCreateCommand(),
		a.agentsStateCommand("pause", store.AgentPaused), a.agentsStateCommand("resume", store.AgentActive),
		a.agentsRunCommand(), a.agentsSyncCommand())
	cmd.AddCommand(a.agentsGovernanceCommands()...)
	return cmd
}

func (a *app) agentsListCommand() *cobra.Command {
	var (
		asJSON bool
		p      store.AgentsListParams
		state  string
	)
	list := &cobra.Command{
		Use: "list", Short: "List agents", Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			st, err := a.fleetStore(cmd.Context())
			if err != nil {
				return err
			}
			p.State = store.AgentState(state)
			rows, err := st.AgentsList(cmd.Context(), &p)
			if err != nil {
				return fmt.Errorf("listing agents: %w", err)
			}
			out := make([]fleet.AgentView, 0, len(rows))
			for _, r := range rows {
				out = append(out, fleet.ViewOf(r))
			}
			if asJSON {
				return printJSON(a.stdout, out)
			}
			t := newTable(a.stdout, "AGENT", "SKILL", "OWNER", "STATE", "SCOPE", "SOURCE")
			for _, r := range out {
				t.row(r.Name, r.Skill, r.Owner, r.State, scopeText(r.Scope), r.Source)
			}
			return t.flush()
		},
	}
	list.Flags().StringVar(&p.Skill, "skill", "", "only agents of this skill")
	list.Flags().StringVar(&state, "state", "", "only agents in this state (active, paused, tripped)")
	list.Flags().StringVar(&p.After, "after", "", "start after this agent name (for paging)")
	list.Flags().IntVar(&p.Limit, "limit", 100, "how many agents to show")
	list.Flags().BoolVar(&asJSON, "json", false, "print as JSON")
	return list
}

func scopeText(s store.Scope) string {
	if s.Kind == "" || s.Kind == "all" {
		return "all"
	}
	return s.Kind + ":" + strings.Join(s.Values, ",")
}

func (a *app) agentsShowCommand() *cobra.Command {
	var asJSON bool
	show := &cobra.Command{
		Use: "show NAME", Short: "Show an agent's configuration", Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			st, err := a.fleetStore(cmd.Context())
			if err != nil {
				return err
			}
			ag, err := st.AgentGet(cmd.Context(), &store.AgentGetParams{Name: args[0]})
			if err != nil {
				return fmt.Errorf("agent %s: %w", args[0], err)
			}
			j := fleet.ViewOf(*ag)
			if asJSON {
				return printJSON(a.stdout, j)
			}
			params, _ := json.Marshal(j.Params)
			autonomy, _ := json.Marshal(j.Autonomy)
			return keyValues(a.stdout, "Agent", j.Name, "Skill", j.Skill, "Owner", j.Owner, "Description", j.Description,
				"State", strings.TrimSpace(j.State+" "+j.StateReason), "Scope", scopeText(j.Scope), "Parameters", string(params),
				"Autonomy overrides", string(autonomy), "Schedule", j.Schedule, "Declared in", j.Source,
				"Created", j.CreatedAt, "Updated", j.UpdatedAt)
		},
	}
	show.Flags().BoolVar(&asJSON, "json", false, "print as JSON")
	return show
}

func (a *app) agentsCreateCommand() *cobra.Command {
	var (
		spec     fleet.AgentSpec
		scope    string
		params   []string
		autonomy []string
	)
	create := &cobra.Command{
		Use:   "create NAME --skill SKILL --owner USER",
		Short: "Create an agent from the command line",
		Example: "  tower agents create stale-consent-emea --skill stale-consent --owner maria \\\n" +
			"      --scope region:EMEA --param older_than=365d --autonomy tag=auto",
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			spec.Name = args[0]
			if scope != "" && scope != "all" {
				kind, values, _ := strings.Cut(scope, ":")
				spec.Scope = store.Scope{Kind: kind, Values: splitList(values)}
			}
			spec.Params = map[string]any{}
			for _, kv := range params {
				k, v, ok := strings.Cut(kv, "=")
				if !ok {
					return fmt.Errorf("--param %q: write NAME=VALUE", kv)
				}
				spec.Params[k] = v
			}
			spec.Autonomy = map[string]string{}
			for _, kv := range autonomy {
				k, v, ok := strings.Cut(kv, "=")
				if !ok {
					return fmt.Errorf("--autonomy %q: write ACTION=LEVEL, e.g. tag=auto", kv)
				}
				spec.Autonomy[k] = v
			}
			ag, err := spec.Check()
			if err != nil {
				return fmt.Errorf("agent %s: %w", spec.Name, err)
			}
			// Store parameters typed, as the skill reads them.
			sk, _ := skill.Lookup(ag.Skill)
			resolved, _ := sk.Manifest().Resolve(spec.Params)
			for k := range spec.Params {
				ag.Params[k] = jsonValue(resolved[k])
			}
			ag.Source = "cli"
			st, err := a.fleetStore(cmd.Context())
			if err != nil {
				return err
			}
			now := time.Now().UTC()
			ag.CreatedAt, ag.UpdatedAt = now, now
			err = st.InTx(cmd.Context(), func(ctx context.Context, q store.Queries) error {
				if _, err := q.AgentGet(ctx, &store.AgentGetParams{Name: ag.Name}); err == nil {
					return fmt.Errorf("an agent named %s already exists", ag.Name)
				} else if !errors.Is(err, store.ErrNotFound) {
					return err
				}
				if err := q.AgentsUpsert(ctx, &store.AgentsUpsertParams{Agents: []store.Agent{ag}}); err != nil {
					return err
				}
				return audit.Append(ctx, q, audit.Entry{Actor: "user:" + a.actor(), Action: "agent.created",
					Subject: "agent:" + ag.Name, At: now, Data: fleet.ViewOf(ag)})
			})
			if err != nil {
				return err
			}
			fmt.Fprintf(a.stdout, "Created agent %s (skill %s, owner %s, scope %s).\n", ag.Name, ag.Skill, ag.Owner, scopeText(ag.Scope))
			return nil
		},
	}
	f := create.Flags()
	f.StringVar(&spec.Skill, "skill", "", "the skill it runs (see `tower skills list`)")
	f.StringVar(&spec.Owner, "owner", "", "the user answerable for it")
	f.StringVar(&spec.Description, "description", "", "what it is for, in a sentence")
	f.StringVar(&scope, "scope", "all", "all, region:EMEA,APAC, accounts:A-1,A-2, campaign:C-1, segment:NAME")
	f.StringArrayVar(&params, "param", nil, "a parameter override NAME=VALUE (repeatable)")
	f.StringArrayVar(&autonomy, "autonomy", nil, "an autonomy override ACTION=LEVEL (repeatable)")
	f.StringVar(&spec.Schedule, "schedule", "", "a cron schedule (UTC) replacing the skill's")
	_ = create.MarkFlagRequired("skill")
	_ = create.MarkFlagRequired("owner")
	return create
}

// jsonValue stores durations as text ("720h0m0s" is unfriendly; keep
// days when whole).
func jsonValue(v any) any {
	if d, ok := v.(time.Duration); ok {
		if d%(24*time.Hour) == 0 {
			return fmt.Sprintf("%dd", d/(24*time.Hour))
		}
		return d.String()
	}
	return v
}

func splitList(s string) []string {
	var out []string
	for _, v := range strings.Split(s, ",") {
		if v = strings.TrimSpace(v); v != "" {
			out = append(out, v)
		}
	}
	return out
}

func (a *app) agentsStateCommand(verb string, state store.AgentState) *cobra.Command {
	var reason string
	c := &cobra.Command{
		Use: verb + " NAME", Short: strings.ToUpper(verb[:1]) + verb[1:] + " an agent", Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			st, err := a.fleetStore(cmd.Context())
			if err != nil {
				return err
			}
			now := time.Now().UTC()
			err = st.InTx(cmd.Context(), func(ctx context.Context, q store.Queries) error {
				ag, err := fleet.SetAgentState(ctx, q, args[0], state, reason, "user:"+a.actor(), now)
				if errors.Is(err, fleet.ErrAgentTripped) {
					return fmt.Errorf("%w: `tower agents reset %s`", err, args[0])
				}
				if err != nil {
					return err
				}
				if state == store.AgentActive {
					// What it proposed on its own while paused waits in
					// snoozed jobs; queue it now rather than at their next try.
					return a.requeueWaiting(ctx, q, ag.Name)
				}
				return nil
			})
			if err != nil {
				return err
			}
			fmt.Fprintf(a.stdout, "Agent %s is now %s.\n", args[0], state)
			return nil
		},
	}
	c.Flags().StringVar(&reason, "reason", "", "why (kept with the agent and in the audit log)")
	return c
}

func (a *app) agentsSyncCommand() *cobra.Command {
	return &cobra.Command{
		Use: "sync", Short: "Apply the workspace's agents/*.toml files to the fleet now", Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			st, err := a.store(cmd.Context())
			if err != nil {
				return err
			}
			ws, err := a.workspace()
			if err != nil {
				return err
			}
			res, err := fleet.SyncAgents(cmd.Context(), st, ws.Dir+"/agents", "user:"+a.actor())
			if err != nil {
				return err
			}
			a.synced = true
			fmt.Fprintf(a.stdout, "Agents: %d created, %d updated, %d removed, %d unchanged.\n", res.Created, res.Updated, res.Removed, res.Unchanged)
			for _, p := range res.Problems {
				fmt.Fprintln(a.stderr, p.Error())
			}
			if len(res.Problems) > 0 {
				return exitError{code: 1, msg: fmt.Sprintf("%d problem(s) in agent files; those agents were left as they were", len(res.Problems))}
			}
			return nil
		},
	}
}

// skillsOfFleet lists the skills that have at least one agent.
func skillsOfFleet(ctx context.Context, st store.Store) ([]string, error) {
	var out []string
	for _, s := range skill.All() {
		n, err := st.AgentsCount(ctx, &store.AgentsListParams{Skill: s.Manifest().Name})
		if err != nil {
			return nil, err
		}
		if n > 0 {
			out = append(out, s.Manifest().Name)
		}
	}
	sort.Strings(out)
	return out, nil
}
