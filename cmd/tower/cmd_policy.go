package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/towerops/tower/internal/governance"
	"github.com/towerops/tower/internal/store"
)

// policyCommands: tower policy list|check|test|explain.
func (a *app) policyCommands() []*cobra.Command {
	policy := &cobra.Command{Use: "policy", Short: "Policies: the rules every proposal is checked against"}
	policy.AddCommand(a.policyListCommand(), a.policyCheckCommand(), a.policyTestCommand(), a.policyExplainCommand())
	return []*cobra.Command{policy}
}

// policyDir is DIR when given, else the workspace's policies/ folder.
// explicit says the folder was named, so a missing one is an error rather
// than "use the default pack".
func (a *app) policyDir(args []string) (dir string, explicit bool, err error) {
	if len(args) > 0 {
		return args[0], true, nil
	}
	ws, err := a.workspace()
	if err != nil {
		return "", false, err
	}
	return filepath.Join(ws.Dir, "policies"), false, nil
}

func (a *app) loadPolicies(args []string) (*governance.Pack, string, error) {
	dir, explicit, err := a.policyDir(args)
	if err != nil {
		return nil, "", err
	}
	if _, statErr := os.Stat(dir); explicit && statErr != nil {
		return nil, dir, fmt.Errorf("no policies folder at %s", dir)
	}
	p, err := governance.LoadPack(dir)
	if err != nil {
		return nil, dir, fmt.Errorf("the policies have problems:\n%w", err)
	}
	return p, dir, nil
}

func (a *app) policyListCommand() *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use: "list", Short: "List the policy rules: id, effect, where written, what they do", Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			p, err := a.pack()
			if err != nil {
				return err
			}
			type row struct {
				ID          string `json:"id"`
				Effect      string `json:"effect"`
				Source      string `json:"source"`
				Description string `json:"description"`
				When        string `json:"when"`
			}
			rows := make([]row, 0, len(p.Rules))
			for _, r := range p.Rules {
				rows = append(rows, row{r.ID, string(r.Effect), r.Source, r.Description, r.When})
			}
			if asJSON {
				return printJSON(a.stdout, rows)
			}
			t := newTable(a.stdout, "ID", "EFFECT", "SOURCE", "DESCRIPTION")
			for _, r := range rows {
				t.row(r.ID, r.Effect, r.Source, r.Description)
			}
			return t.flush()
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print as JSON")
	return cmd
}

func (a *app) policyCheckCommand() *cobra.Command {
	return &cobra.Command{
		Use: "check [DIR]", Short: "Check the policy files (default: the workspace's policies/)", Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			p, dir, err := a.loadPolicies(args)
			if err != nil {
				return err
			}
			if _, statErr := os.Stat(dir); statErr != nil {
				fmt.Fprintf(a.stdout, "No policy files in %s: Tower uses its default pack (%d rules).\n", dir, len(p.Rules))
				return nil
			}
			fmt.Fprintf(a.stdout, "Policies OK: %d rule(s) in %d file(s) in %s.\n", len(p.Rules), len(p.Files), dir)
			return nil
		},
	}
}

func (a *app) policyTestCommand() *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "test [DIR]",
		Short: "Run the policy tests in DIR/tests (default: the workspace's policies/tests)",
		Args:  cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			p, dir, err := a.loadPolicies(args)
			if err != nil {
				return err
			}
			testsDir := filepath.Join(dir, "tests")
			var res []governance.PolicyTestResult
			var fileErr error
			if _, statErr := os.Stat(dir); statErr != nil {
				// No policies folder: the default pack, with its own tests.
				files := map[string][]byte{}
				for name, b := range governance.DefaultPackFiles() {
					if strings.HasPrefix(name, "tests/") {
						files["policies/"+name] = b
					}
				}
				res, fileErr = governance.RunPolicyTestFiles(p, files)
			} else {
				res, fileErr = governance.RunPolicyTests(p, testsDir)
			}
			failed := 0
			for _, r := range res {
				if !r.Pass {
					failed++
				}
			}
			if asJSON {
				if res == nil {
					res = []governance.PolicyTestResult{}
				}
				if err := printJSON(a.stdout, res); err != nil {
					return err
				}
			} else {
				for _, r := range res {
					if r.Pass {
						fmt.Fprintf(a.stdout, "PASS  %s  %s (%s)\n", r.Source, r.Name, r.Got)
					} else {
						fmt.Fprintf(a.stdout, "FAIL  %s  %s: %s\n", r.Source, r.Name, r.Reason)
					}
				}
				fmt.Fprintf(a.stdout, "%d passed, %d failed\n", len(res)-failed, failed)
			}
			switch {
			case fileErr != nil:
				return fmt.Errorf("the policy tests have problems:\n%w", fileErr)
			case failed > 0:
				return fmt.Errorf("%d policy test(s) failed", failed)
			case len(res) == 0:
				return fmt.Errorf("no policy tests in %s: add cases there (see tower init's policies/tests/default.yaml)", testsDir)
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print as JSON")
	return cmd
}

func (a *app) policyExplainCommand() *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use: "explain PROPOSAL_ID", Short: "Show which rules decided a proposal, and why", Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			st, err := a.store(cmd.Context())
			if err != nil {
				return err
			}
			p, err := st.ProposalGet(cmd.Context(), &store.ProposalGetParams{ID: args[0]})
			if err != nil {
				return fmt.Errorf("proposal %s: %w", args[0], err)
			}
			d := p.Decision
			if d == nil {
				return errors.New("proposal " + p.ID + " has not been decided yet")
			}
			if asJSON {
				return printJSON(a.stdout, d)
			}
			fmt.Fprintf(a.stdout, "Proposal %s (%s, agent %s): %s\n", p.ID, p.Skill, p.Agent, p.Title)
			fmt.Fprintf(a.stdout, "Decision: %s, at autonomy level %s, on %s\n", plainEffect(string(d.Effect)), d.Autonomy, d.DecidedAt.Format("2006-01-02 15:04"))
			fmt.Fprintf(a.stdout, "Why: %s\n", d.Reason)
			if len(d.Approvers) > 0 {
				fmt.Fprintf(a.stdout, "Who may approve: %s (%d needed", strings.Join(d.Approvers, ", "), max(d.Required, 1))
				if d.SegregationOfDuties {
					fmt.Fprint(a.stdout, "; the agent's owner or the requester cannot be the only approvers")
				}
				fmt.Fprintln(a.stdout, ")")
			}
			fmt.Fprintln(a.stdout, "\nRules that matched")
			t := newTable(a.stdout, "  ACTION", "RULE", "EFFECT", "SOURCE", "REASON")
			for _, m := range d.Matched {
				action := "-"
				if m.Action >= 0 && m.Action < len(p.Actions) {
					action = fmt.Sprintf("%d. %s", m.Action+1, p.Actions[m.Action].Kind)
				}
				t.row("  "+action, m.Rule, string(m.Effect), m.Source, m.Reason)
			}
			if err := t.flush(); err != nil {
				return err
			}
			if len(d.Inputs) > 0 {
				fmt.Fprintln(a.stdout, "\nWhat the rules saw")
				for i, in := range d.Inputs {
					fmt.Fprintf(a.stdout, "  action %d: %s\n", i+1, in)
				}
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the decision as JSON")
	return cmd
}

func plainEffect(e string) string {
	switch e {
	case "allow":
		return "allowed to run"
	case "require_approval":
		return "needs approval"
	case "deny":
		return "denied"
	}
	return e
}
