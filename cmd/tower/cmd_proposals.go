package main

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/towerops/tower/internal/fleet"
	"github.com/towerops/tower/internal/proposal"
	"github.com/towerops/tower/internal/store"
)

func (a *app) proposalsCommand() *cobra.Command {
	cmd := &cobra.Command{Use: "proposals", Short: "What agents want done: review, approve, reject, undo"}
	cmd.AddCommand(a.proposalsListCommand(), a.proposalsShowCommand(),
		a.proposalsDecideCommand(true), a.proposalsDecideCommand(false),
		a.proposalsExecuteCommand(), a.proposalsUndoCommand(), a.proposalsExpireCommand(), a.proposalsSchemaCommand())
	cmd.AddCommand(a.proposalsGovernanceCommands()...)
	return cmd
}

func (a *app) proposalsListCommand() *cobra.Command {
	var (
		asJSON   bool
		statuses []string
		p        store.ProposalsListParams
	)
	list := &cobra.Command{
		Use: "list", Short: "List proposals, newest first", Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			for _, s := range statuses {
				for _, one := range splitList(s) {
					st, err := proposal.ParseStatus(one)
					if err != nil {
						return err
					}
					p.Statuses = append(p.Statuses, st)
				}
			}
			st, err := a.store(cmd.Context())
			if err != nil {
				return err
			}
			rows, err := st.ProposalsList(cmd.Context(), &p)
			if err != nil {
				return fmt.Errorf("listing proposals: %w", err)
			}
			if asJSON {
				return printJSON(a.stdout, nonNil(rows))
			}
			t := newTable(a.stdout, "ID", "STATUS", "SKILL", "AGENT", "CREATED", "TOUCHES", "TITLE")
			for _, r := range rows {
				t.row(r.ID, string(r.Status), r.Skill, r.Agent, r.CreatedAt, r.BlastRadius, r.Title)
			}
			return t.flush()
		},
	}
	f := list.Flags()
	pageFlags(list, &p.Page)
	f.StringArrayVar(&statuses, "status", nil, "only these statuses, e.g. pending_approval (repeatable or comma-separated)")
	f.StringVar(&p.Skill, "skill", "", "only proposals of this skill")
	f.StringVar(&p.Agent, "agent", "", "only proposals of this agent")
	f.BoolVar(&asJSON, "json", false, "print as JSON (the format in docs/proposals.md)")
	return list
}

func (a *app) proposalsShowCommand() *cobra.Command {
	var asJSON bool
	show := &cobra.Command{
		Use: "show ID", Short: "Show a proposal: rationale, evidence, the change, the decision", Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			st, err := a.store(cmd.Context())
			if err != nil {
				return err
			}
			p, err := st.ProposalGet(cmd.Context(), &store.ProposalGetParams{ID: args[0]})
			if err != nil {
				return fmt.Errorf("proposal %s: %w", args[0], err)
			}
			if asJSON {
				return printJSON(a.stdout, p)
			}
			return printProposal(a, p)
		},
	}
	show.Flags().BoolVar(&asJSON, "json", false, "print as JSON")
	return show
}

func printProposal(a *app, p *proposal.Proposal) error {
	if err := keyValues(a.stdout, "Proposal", p.ID, "Title", p.Title, "Status", string(p.Status), "Skill", p.Skill,
		"Agent", p.Agent, "Created", p.CreatedAt, "Expires", p.ExpiresAt, "Confidence", fmt.Sprintf("%.0f%%", p.Confidence*100),
		"Touches", fmt.Sprintf("%d target(s)", p.BlastRadius), "Error", p.Error); err != nil {
		return err
	}
	fmt.Fprintf(a.stdout, "\nWhy\n  %s\n", p.Rationale)
	fmt.Fprintln(a.stdout, "\nActions")
	for i, act := range p.Actions {
		params, _ := json.Marshal(act.Params)
		targets := make([]string, 0, len(act.Targets))
		for _, t := range act.Targets {
			s := t.String()
			if t.Label != "" {
				s += " (" + t.Label + ")"
			}
			targets = append(targets, s)
		}
		fmt.Fprintf(a.stdout, "  %d. %s %s on %s\n", i+1, act.Kind, params, strings.Join(targets, ", "))
	}
	if len(p.Evidence.Facts) > 0 {
		fmt.Fprintln(a.stdout, "\nEvidence")
		t := newTable(a.stdout, "  FACT", "VALUE", "SOURCE")
		for _, f := range p.Evidence.Facts {
			t.row("  "+f.Name, strings.TrimSpace(fmt.Sprint(f.Value)+" "+f.Unit), f.Source)
		}
		if err := t.flush(); err != nil {
			return err
		}
	}
	if len(p.Preview) > 0 {
		fmt.Fprintln(a.stdout, "\nChange")
		for _, c := range p.Preview {
			fmt.Fprintf(a.stdout, "  %s %s: %q → %q\n", c.Target, c.Field, c.Before, c.After)
		}
	}
	v := p.ExpectedValue
	if v.Conversions != 0 || v.PipelineUSD != 0 || v.SavingsUSD != 0 || v.HoursSaved != 0 {
		fmt.Fprintf(a.stdout, "\nExpected value\n  conversions %.1f, pipeline $%.0f, savings $%.0f, hours saved %.2f\n",
			v.Conversions, v.PipelineUSD, v.SavingsUSD, v.HoursSaved)
		for _, s := range v.Assumptions {
			fmt.Fprintf(a.stdout, "  assumes: %s\n", s)
		}
	}
	if d := p.Decision; d != nil {
		fmt.Fprintf(a.stdout, "\nDecision\n  %s (autonomy %s): %s\n  rules: %s\n", d.Effect, d.Autonomy, d.Reason, strings.Join(d.Rules, ", "))
		for _, ap := range d.Approvals {
			fmt.Fprintf(a.stdout, "  %s by %s at %s %s\n", ap.Verdict, ap.By, ap.At.Format("2006-01-02 15:04"), ap.Reason)
		}
	}
	return nil
}

func (a *app) proposalsDecideCommand(approve bool) *cobra.Command {
	verb, short := "approve", "Approve a proposal waiting for approval"
	if !approve {
		verb, short = "reject", "Reject a proposal, saying why"
	}
	var reason string
	var noExecute bool
	c := &cobra.Command{
		Use: verb + " ID", Short: short, Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			st, err := a.fleetStore(cmd.Context())
			if err != nil {
				return err
			}
			lc := a.lifecycle(st)
			p, err := lc.Decide(cmd.Context(), args[0], a.actor(), approve, reason)
			if err != nil {
				return err
			}
			fmt.Fprintf(a.stdout, "Proposal %s is %s.\n", p.ID, p.Status)
			if p.Status == proposal.StatusPendingApproval {
				// A partial approval (N of M, or segregation of duties).
				progress, err := lc.ApprovalProgress(cmd.Context(), p)
				if err != nil {
					return err
				}
				fmt.Fprintln(a.stdout, progress)
				return nil
			}
			if approve && !noExecute {
				p, err = lc.ExecuteOnce(cmd.Context(), p.ID)
				if fleet.Waiting(err) {
					fmt.Fprintf(a.stdout, "It runs when it may: %v.\n", err)
					return nil
				}
				if err != nil {
					return fmt.Errorf("approved, but executing it failed: %w", err)
				}
				fmt.Fprintf(a.stdout, "Executed: %s.\n", p.Status)
			}
			return nil
		},
	}
	c.Flags().StringVar(&reason, "reason", "", "why (required to reject)")
	if approve {
		c.Flags().BoolVar(&noExecute, "no-execute", false, "leave the execution to the workers of `tower serve`")
	}
	return c
}

func (a *app) proposalsExecuteCommand() *cobra.Command {
	return &cobra.Command{
		Use: "execute ID", Short: "Execute an allowed or approved proposal now (or retry a failed one)", Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			st, err := a.fleetStore(cmd.Context())
			if err != nil {
				return err
			}
			lc := a.lifecycle(st)
			p, err := lc.ExecuteOnce(cmd.Context(), args[0])
			if fleet.Waiting(err) {
				return fmt.Errorf("not now: %w", err)
			}
			if err != nil {
				return err
			}
			fmt.Fprintf(a.stdout, "Proposal %s is %s.\n", p.ID, p.Status)
			return nil
		},
	}
}

func (a *app) proposalsUndoCommand() *cobra.Command {
	return &cobra.Command{
		Use: "undo ID", Short: "Undo an executed proposal", Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			st, err := a.fleetStore(cmd.Context())
			if err != nil {
				return err
			}
			p, err := a.lifecycle(st).Undo(cmd.Context(), args[0], a.actor())
			if err != nil {
				return err
			}
			fmt.Fprintf(a.stdout, "Proposal %s is %s.\n", p.ID, p.Status)
			return nil
		},
	}
}

func (a *app) proposalsExpireCommand() *cobra.Command {
	return &cobra.Command{
		Use: "expire", Short: "Expire open proposals past their expiry (workers do this hourly)", Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			st, err := a.fleetStore(cmd.Context())
			if err != nil {
				return err
			}
			n, err := a.lifecycle(st).Expire(cmd.Context())
			if err != nil {
				return err
			}
			fmt.Fprintf(a.stdout, "%d proposal(s) expired.\n", n)
			return nil
		},
	}
}

func (a *app) proposalsSchemaCommand() *cobra.Command {
	return &cobra.Command{
		Use: "schema [KIND]", Short: "Print the JSON schema of an action kind (or of all)", Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 1 {
				k, err := proposal.ParseKind(args[0])
				if err != nil {
					return err
				}
				s, _ := proposal.SpecOf(k)
				return printJSON(a.stdout, s.Schema())
			}
			all := map[string]any{}
			for _, k := range proposal.Kinds() {
				s, _ := proposal.SpecOf(k)
				all[string(k)] = s.Schema()
			}
			return printJSON(a.stdout, all)
		},
	}
}
