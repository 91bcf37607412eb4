package main

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/towerops/tower/internal/fleet"
	"github.com/towerops/tower/internal/proposal"
	"github.com/towerops/tower/internal/skill"
	"github.com/towerops/tower/internal/store"
)

// runJSON is the JSON form of one skill run.
type runJSON struct {
	Skill     string                  `json:"skill"`
	Agents    int                     `json:"agents"`
	DryRun    bool                    `json:"dry_run"`
	Proposals []proposal.Proposal     `json:"proposals"`
	Skipped   int                     `json:"skipped_duplicates"`
	Problems  []fleet.AgentError      `json:"problems"`
	ByStatus  map[proposal.Status]int `json:"by_status"`
	Executed  int                     `json:"executed"`
	Failed    []string                `json:"failed"`
	Seconds   float64                 `json:"seconds"`
}

func (a *app) agentsRunCommand() *cobra.Command {
	var (
		all, dryRun, noExecute, asJSON bool
		only                           string
	)
	run := &cobra.Command{
		Use:   "run NAME | --all",
		Short: "Run an agent (or the whole fleet) now",
		Long: "Runs agents now, writes what they propose and lets governance decide on each proposal.\n" +
			"Proposals that governance allows run at once unless --no-execute; the others wait for approval.\n" +
			"With --dry-run nothing is written: you see what would be proposed and decided.",
		Args: func(cmd *cobra.Command, args []string) error {
			if all == (len(args) == 1) {
				return fmt.Errorf("name one agent, or use --all")
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			st, err := a.fleetStore(ctx)
			if err != nil {
				return err
			}
			var reqs []fleet.RunRequest
			trig := skill.Trigger{Kind: "manual"}
			if all {
				skills := []string{only}
				if only == "" {
					if skills, err = skillsOfFleet(ctx, st); err != nil {
						return err
					}
				}
				for _, s := range skills {
					reqs = append(reqs, fleet.RunRequest{Skill: s, Trigger: trig, DryRun: dryRun})
				}
			} else {
				ag, err := st.AgentGet(ctx, &store.AgentGetParams{Name: args[0]})
				if err != nil {
					return fmt.Errorf("agent %s: %w", args[0], err)
				}
				if ag.State != store.AgentActive {
					return fmt.Errorf("agent %s is %s; resume it first (tower agents resume %s)", ag.Name, ag.State, ag.Name)
				}
				reqs = append(reqs, fleet.RunRequest{Skill: ag.Skill, Agents: []string{ag.Name}, Trigger: trig, DryRun: dryRun})
			}
			out, err := a.runFleet(ctx, st, reqs, !dryRun && !noExecute)
			if err != nil {
				return err
			}
			if asJSON {
				return printJSON(a.stdout, nonNil(out))
			}
			for _, r := range out {
				printRun(a, r)
			}
			return nil
		},
	}
	f := run.Flags()
	f.BoolVar(&all, "all", false, "run every active agent (of every skill, or of --skill)")
	f.StringVar(&only, "skill", "", "with --all: only agents of this skill")
	f.BoolVar(&dryRun, "dry-run", false, "show what would be proposed and decided; write nothing")
	f.BoolVar(&noExecute, "no-execute", false, "leave allowed proposals to the workers of `tower serve`")
	f.BoolVar(&asJSON, "json", false, "print as JSON")
	return run
}

func printRun(a *app, r runJSON) {
	verb := "proposed"
	if r.DryRun {
		verb = "would propose"
	}
	var parts []string
	for _, s := range proposal.Statuses() {
		if n := r.ByStatus[s]; n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", n, strings.ReplaceAll(string(s), "_", " ")))
		}
	}
	fmt.Fprintf(a.stdout, "%s: %d agent(s) %s %d proposal(s)", r.Skill, r.Agents, verb, len(r.Proposals))
	if len(parts) > 0 {
		fmt.Fprintf(a.stdout, " (%s)", strings.Join(parts, ", "))
	}
	fmt.Fprintf(a.stdout, " in %s.\n", time.Duration(r.Seconds*float64(time.Second)).Round(time.Millisecond))
	if r.Skipped > 0 {
		fmt.Fprintf(a.stdout, "  %d left out: the same agent already has an open proposal about the same thing.\n", r.Skipped)
	}
	if r.Executed > 0 {
		fmt.Fprintf(a.stdout, "  %d executed on their own (allowed by autonomy).\n", r.Executed)
	}
	for _, f := range r.Failed {
		fmt.Fprintf(a.stdout, "  failed: %s\n", f)
	}
	for _, p := range r.Problems {
		fmt.Fprintf(a.stdout, "  problem with agent %s: %s\n", p.Agent, p.Err)
	}
	shown := 0
	for _, p := range r.Proposals {
		if shown == 10 {
			fmt.Fprintf(a.stdout, "  … and %d more (tower proposals list)\n", len(r.Proposals)-shown)
			break
		}
		fmt.Fprintf(a.stdout, "  %s  %-16s  %s\n", p.ID, p.Status, p.Title)
		shown++
	}
}

// runFleet runs each request and, when execute is set, executes the
// proposals governance allowed at once (as the workers of tower serve
// would).
func (a *app) runFleet(ctx context.Context, st store.Store, reqs []fleet.RunRequest, execute bool) ([]runJSON, error) {
	var out []runJSON
	for _, req := range reqs {
		res, err := a.runner(st).Run(ctx, req)
		if err != nil {
			return nil, err
		}
		rj := runJSON{Skill: res.Skill, Agents: res.Agents, DryRun: req.DryRun, Proposals: nonNil(res.Proposals),
			Skipped: res.Skipped, Problems: nonNil(res.Invalid), ByStatus: res.ByStatus, Failed: []string{},
			Seconds: res.Duration.Seconds()}
		if execute && !req.DryRun {
			lc := a.lifecycle(st)
			for _, p := range res.Proposals {
				if p.Status != proposal.StatusAllowed {
					continue
				}
				if _, err := lc.ExecuteOnce(ctx, p.ID); err != nil {
					rj.Failed = append(rj.Failed, p.ID+": "+err.Error())
					continue
				}
				rj.Executed++
			}
		}
		out = append(out, rj)
	}
	return out, nil
}
