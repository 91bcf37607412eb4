package main

import (
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/towerops/tower/internal/skills/linkaudit"
	"github.com/towerops/tower/internal/skills/templatereview"
	"github.com/towerops/tower/internal/templateqa"
	"github.com/towerops/tower/internal/utm"
)

func (a *app) lintCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "lint",
		Short: "Check e-mail templates and links before they reach customers",
		Long: `Check templates the way each e-mail platform renders them, and every link
against the workspace's UTM taxonomy (knowledge/utm.toml) and brand rules
(knowledge/brand.toml). Exits with status 1 when an error is found, so it can
guard a release.`,
	}
	cmd.AddCommand(a.lintTemplatesCommand(), a.lintLinksCommand(), a.lintRulesCommand())
	return cmd
}

// lintReport is what `tower lint templates --json` prints.
type lintReport struct {
	Templates int                  `json:"templates"`
	Findings  []templateqa.Finding `json:"findings"`
	Errors    int                  `json:"errors"`
	Warnings  int                  `json:"warnings"`
	Info      int                  `json:"info"`
}

func (a *app) lintTemplatesCommand() *cobra.Command {
	var asJSON, fix, diff bool
	var sample int
	var knowledgeDir string
	cmd := &cobra.Command{
		Use:   "templates [DIR]",
		Short: "Lint template files in DIR, or the workspace's imported templates",
		Example: `  tower lint templates data/templates
  tower lint templates            # the templates imported into the workspace
  tower lint templates emails/ --json
  tower lint templates emails/ --knowledge ../brand-kit/knowledge
  tower lint templates emails/ --diff   # the mechanical fixes, as a diff
  tower lint templates emails/ --fix    # write them into the files`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			env, err := a.lintEnv(ctx, sample, knowledgeDir)
			if err != nil {
				return err
			}
			if (fix || diff) && len(args) == 0 {
				return fmt.Errorf("--fix and --diff change template files: give their folder, e.g. `tower lint templates emails/ --diff`; " +
					"for the workspace's imported templates, the template-qa agent proposes the fixes for approval")
			}
			var ts []templateqa.Template
			var found []templateqa.Finding
			if len(args) == 1 {
				if ts, found, err = readTemplateDir(args[0]); err != nil {
					return err
				}
			} else {
				if env.st == nil {
					return fmt.Errorf("not in a Tower workspace: give a folder of template files, e.g. `tower lint templates emails/`")
				}
				if ts, err = templatereview.Templates(ctx, env.st); err != nil {
					return err
				}
			}
			for _, t := range ts {
				e, err := env.forTemplate(ctx, t.CampaignID)
				if err != nil {
					return err
				}
				got, err := templateqa.Lint(ctx, t, e)
				if err != nil {
					return fmt.Errorf("%s: %w", t.Path, err)
				}
				found = append(found, got...)
				if fix || diff {
					if err := a.applyFixes(t, got, fix); err != nil {
						return err
					}
				}
			}
			if fix || diff {
				return nil
			}
			rep := lintReport{Templates: len(ts), Findings: found}
			if rep.Findings == nil {
				rep.Findings = []templateqa.Finding{}
			}
			for _, f := range found {
				switch f.Severity {
				case templateqa.Error:
					rep.Errors++
				case templateqa.Warning:
					rep.Warnings++
				default:
					rep.Info++
				}
			}
			if asJSON {
				err = printJSON(a.stdout, rep)
			} else {
				err = printFindings(a.stdout, rep)
			}
			if err != nil {
				return err
			}
			if rep.Errors > 0 {
				return exitError{code: 1, msg: fmt.Sprintf("%d %s found", rep.Errors, pluralWord(rep.Errors, "error"))}
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the findings as JSON")
	cmd.Flags().IntVar(&sample, "sample", 200, "how many people from the workspace each template is rendered for")
	cmd.Flags().StringVar(&knowledgeDir, "knowledge", "", "a knowledge folder with brand.toml and utm.toml (default: the workspace's knowledge/)")
	cmd.Flags().BoolVar(&diff, "diff", false, "print the mechanical fixes as a unified diff, changing nothing")
	cmd.Flags().BoolVar(&fix, "fix", false, "write the mechanical fixes into the template files (and print the diff)")
	cmd.MarkFlagsMutuallyExclusive("fix", "diff")
	cmd.MarkFlagsMutuallyExclusive("fix", "json")
	cmd.MarkFlagsMutuallyExclusive("diff", "json")
	return cmd
}

// applyFixes prints one template file's fixes as a diff and, when write
// is set, writes them into the file.
func (a *app) applyFixes(t templateqa.Template, found []templateqa.Finding, write bool) error {
	src, err := os.ReadFile(t.Path)
	if err != nil {
		return fmt.Errorf("reading %s: %w", t.Path, err)
	}
	after, n := fixedFile(t, string(src), found)
	if n == 0 {
		return nil
	}
	fmt.Fprint(a.stdout, templateqa.Diff(t.Path, string(src), after))
	if !write {
		return nil
	}
	if err := writeFileAtomic(t.Path, []byte(after)); err != nil {
		return err
	}
	fmt.Fprintf(a.stderr, "fixed %d %s in %s\n", n, pluralWord(n, "problem"), t.Path)
	return nil
}

func printFindings(w io.Writer, rep lintReport) error {
	for _, f := range rep.Findings {
		fmt.Fprintf(w, "%s:%d:%d: %s: %s [%s]\n", f.File, f.Line, f.Col, f.Severity, f.Message, f.Rule)
		if f.Fix != nil {
			fmt.Fprintf(w, "    fix: %s\n", f.Fix.Description)
		}
	}
	if len(rep.Findings) > 0 {
		fmt.Fprintln(w)
	}
	files := map[string]bool{}
	for _, f := range rep.Findings {
		files[f.File] = true
	}
	_, err := fmt.Fprintf(w, "%d %s checked: %d %s, %d %s, %d info, in %d %s.\n", rep.Templates, pluralWord(rep.Templates, "template"),
		rep.Errors, pluralWord(rep.Errors, "error"), rep.Warnings, pluralWord(rep.Warnings, "warning"), rep.Info,
		len(files), pluralWord(len(files), "file"))
	return err
}

// linkFinding is one bad link, in a template or a campaign's landing link.
type linkFinding struct {
	Where   string `json:"where"` // file:line:col, or "campaign ID"
	URL     string `json:"url"`
	Rule    string `json:"rule"`
	Message string `json:"message"`
	Fix     string `json:"fix,omitempty"` // the correctly tagged URL
}

// linkRules are the template rules that concern links.
var linkRules = map[string]bool{utm.RuleUntagged: true, utm.RuleTaxonomy: true, utm.RuleCase: true, utm.RuleDuplicate: true, utm.RuleMalformed: true}

func (a *app) lintLinksCommand() *cobra.Command {
	var asJSON bool
	var knowledgeDir string
	cmd := &cobra.Command{
		Use:   "links",
		Short: "Audit every link in imported templates and campaign landing pages against the UTM taxonomy",
		Example: `  tower lint links
  tower lint links --json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			env, err := a.lintEnv(ctx, 1, knowledgeDir)
			if err != nil {
				return err
			}
			if env.st == nil {
				return fmt.Errorf("not in a Tower workspace: `tower lint links` audits a workspace's templates and campaigns")
			}
			ts, err := templatereview.Templates(ctx, env.st)
			if err != nil {
				return err
			}
			out := []linkFinding{}
			for _, t := range ts {
				e, err := env.forTemplate(ctx, t.CampaignID)
				if err != nil {
					return err
				}
				found, err := templateqa.Lint(ctx, t, e)
				if err != nil {
					return fmt.Errorf("%s: %w", t.Path, err)
				}
				for _, f := range found {
					if !linkRules[f.Rule] {
						continue
					}
					lf := linkFinding{Where: fmt.Sprintf("%s:%d:%d", f.File, f.Line, f.Col), Rule: f.Rule, Message: f.Message}
					if f.Fix != nil {
						lf.Fix = f.Fix.Replacement
						lf.URL = urlAt(t, f.Fix)
					}
					out = append(out, lf)
				}
			}
			camps, err := linkaudit.Campaigns(ctx, env.st, env.utm, "")
			if err != nil {
				return err
			}
			for _, c := range camps {
				for i, p := range c.Problems {
					lf := linkFinding{Where: "campaign " + c.CampaignID, URL: c.URL, Rule: p.Rule, Message: p.Message}
					if i == 0 {
						lf.Fix = c.Tagged
					}
					out = append(out, lf)
				}
			}
			if asJSON {
				return printJSON(a.stdout, out)
			}
			tw := newTable(a.stdout, "WHERE", "RULE", "PROBLEM", "TAGGED LINK")
			for _, f := range out {
				tw.row(f.Where, f.Rule, f.Message, f.Fix)
			}
			if err := tw.flush(); err != nil {
				return err
			}
			_, err = fmt.Fprintf(a.stdout, "\n%d link %s in %d templates and %d campaign landing links.\n",
				len(out), pluralWord(len(out), "problem"), len(ts), len(camps))
			return err
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the problems as JSON")
	cmd.Flags().StringVar(&knowledgeDir, "knowledge", "", "a knowledge folder with utm.toml (default: the workspace's knowledge/)")
	return cmd
}

// urlAt is the text a link fix replaces: the URL as written.
func urlAt(t templateqa.Template, f *templateqa.Fix) string {
	text := t.Body
	if f.In == "subject" {
		text = t.Subject
	}
	if f.Start < 0 || f.End > len(text) || f.Start > f.End {
		return ""
	}
	return text[f.Start:f.End]
}

func (a *app) lintRulesCommand() *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "rules",
		Short: "List the checks `tower lint templates` makes",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			rules := templateqa.Rules()
			if asJSON {
				return printJSON(a.stdout, rules)
			}
			tw := newTable(a.stdout, "RULE", "SEVERITY", "WHAT IT CHECKS")
			for _, r := range rules {
				tw.row(r.ID, r.Severity, strings.TrimSpace(r.Description))
			}
			return tw.flush()
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the rules as JSON")
	return cmd
}
