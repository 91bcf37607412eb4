package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/towerops/tower/internal/demo"
	"github.com/towerops/tower/internal/skills/licenseauditor"
	"github.com/towerops/tower/internal/templateqa"
)

// plantedRule is the rule that must report each kind of defect the demo
// plants in its templates.
var plantedRule = map[string]string{
	"broken_merge_field":     templateqa.RuleSyntax,
	"wrong_dialect":          templateqa.RuleForeignSyntax,
	"foreign_platform":       templateqa.RuleForeignSyntax,
	"unknown_field":          templateqa.RuleUnknownField,
	"missing_fallback":       templateqa.RuleMissingFallback,
	"missing_unsubscribe":    templateqa.RuleNoUnsubscribe,
	"missing_postal_address": templateqa.RuleNoPostalAddress,
	"banned_phrase":          templateqa.RuleBannedPhrase,
	"long_subject":           templateqa.RuleSubjectLength,
	"missing_alt":            templateqa.RuleImageAlt,
	"untagged_link":          "utm-missing",
	"partial_utm":            "utm-missing",
	"utm_taxonomy":           "utm-taxonomy",
	"malformed_url":          "url-malformed",
}

// TestOpsQAOnTheDemo is the ops-qa loop on the demo company, on both
// backends: every planted template defect, broken landing link and idle
// seat is found (recall 1.0), clean templates and clean links raise
// nothing, the agents propose the fixes, and an approved fix executes and
// clears its findings.
func TestOpsQAOnTheDemo(t *testing.T) {
	bundle := filepath.Join(t.TempDir(), "bundle")
	mustCLI(t, nil, "demo", "--out", bundle, "--people", "1500", "--accounts", "150")
	truth, err := demo.LoadTruth(filepath.Join(bundle, "truth.json"))
	if err != nil {
		t.Fatal(err)
	}
	for name, envFor := range backends(t) {
		t.Run(name, func(t *testing.T) {
			env := envFor(t)
			ws := filepath.Join(t.TempDir(), "acme")
			mustCLI(t, env, "init", ws)
			env["TOWER_WORKSPACE"] = ws
			env["TOWER_USER"] = "maria"
			mustCLI(t, env, "import", bundle)
			if err := demo.WriteKnowledge(filepath.Join(ws, "knowledge")); err != nil {
				t.Fatal(err)
			}
			mustCLI(t, env, "knowledge", "check")

			stored := lintJSON(t, env, "lint", "templates")
			checkTemplateRecall(t, bundle, truth, stored)

			// The files and the stored templates are judged the same, at
			// the same file positions.
			files := lintJSON(t, env, "lint", "templates", filepath.Join(bundle, "templates"))
			if got, want := positions(files, bundle+string(filepath.Separator)), positions(stored, ""); !equalSets(got, want) {
				t.Errorf("linting the files and the stored templates differ:\nfiles:  %v\nstored: %v", got, want)
			}

			checkLinkRecall(t, env, truth)
			checkLicenseRecall(t, env, truth)
			checkAgentsFixTemplates(t, env, truth)
		})
	}
}

func lintJSON(t *testing.T, env map[string]string, args ...string) lintReport {
	t.Helper()
	out, errOut, err := cli(t, env, append(args, "--json")...)
	if err != nil && !strings.Contains(err.Error(), "error") {
		t.Fatalf("tower %s: %v\n%s", strings.Join(args, " "), err, errOut)
	}
	var rep lintReport
	decode(t, out, &rep)
	if (rep.Errors > 0) != (err != nil) {
		t.Errorf("tower %s: %d errors but exit error %v", strings.Join(args, " "), rep.Errors, err)
	}
	return rep
}

func checkTemplateRecall(t *testing.T, bundle string, truth *demo.Truth, rep lintReport) {
	t.Helper()
	byFile := map[string][]templateqa.Finding{}
	for _, f := range rep.Findings {
		byFile[f.File] = append(byFile[f.File], f)
	}
	planted, clean := 0, 0
	for _, fact := range truth.Facts {
		tf := fact.Template
		if tf == nil {
			continue
		}
		found := byFile[tf.Path]
		if tf.Clean {
			clean++
			for _, f := range found {
				t.Errorf("false finding on the clean template %s: %d:%d %s %s", tf.Path, f.Line, f.Col, f.Rule, f.Message)
			}
			continue
		}
		src, err := os.ReadFile(filepath.Join(bundle, filepath.FromSlash(tf.Path)))
		if err != nil {
			t.Fatal(err)
		}
		for _, is := range tf.Issues {
			planted++
			rule, ok := plantedRule[is.Kind]
			if !ok {
				t.Fatalf("no rule mapped for planted kind %s", is.Kind)
			}
			line := 0 // 0: anywhere in the file
			if is.Snippet != "" {
				if i := strings.Index(string(src), is.Snippet); i >= 0 {
					line = strings.Count(string(src[:i]), "\n") + 1
				}
			}
			hit := false
			for _, f := range found {
				hit = hit || f.Rule == rule && (line == 0 || f.Line == line)
			}
			if !hit {
				t.Errorf("%s: planted %s (%s) not reported as %s on line %d; findings: %v", tf.Path, is.Kind, is.Detail, rule, line, found)
			}
		}
	}
	if planted < 20 || clean < 8 {
		t.Fatalf("the demo planted %d template defects in %d clean templates; expected more", planted, clean)
	}
}

func positions(rep lintReport, trim string) []string {
	var out []string
	for _, f := range rep.Findings {
		out = append(out, strings.TrimPrefix(filepath.ToSlash(f.File), filepath.ToSlash(trim))+":"+itoa(f.Line)+":"+itoa(f.Col)+":"+f.Rule)
	}
	return out
}

func itoa(n int) string { return strings.TrimSpace(jsonNum(int64(n))) }

func equalSets(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	seen := map[string]int{}
	for _, s := range a {
		seen[s]++
	}
	for _, s := range b {
		seen[s]--
	}
	for _, n := range seen {
		if n != 0 {
			return false
		}
	}
	return true
}

func checkLinkRecall(t *testing.T, env map[string]string, truth *demo.Truth) {
	t.Helper()
	var links []linkFinding
	decode(t, mustCLI(t, env, "lint", "links", "--json"), &links)
	flagged := map[string]bool{}
	fixed := map[string]string{}
	for _, l := range links {
		if id, ok := strings.CutPrefix(l.Where, "campaign "); ok {
			flagged[id] = true
			if l.Fix != "" {
				fixed[id] = l.Fix
			}
		}
	}
	planted := map[string]bool{}
	for _, f := range truth.Facts {
		if f.CampaignLink != nil {
			planted[f.CampaignLink.CampaignID] = true
			if !flagged[f.CampaignLink.CampaignID] {
				t.Errorf("broken landing link of %s (%s) not found", f.CampaignLink.CampaignID, f.CampaignLink.Issue)
			}
			if fix := fixed[f.CampaignLink.CampaignID]; !strings.Contains(fix, "utm_campaign=") || fix != strings.ToLower(fix) {
				t.Errorf("%s: proposed link %q is not fully tagged", f.CampaignLink.CampaignID, fix)
			}
		}
	}
	for id := range flagged {
		if !planted[id] {
			t.Errorf("campaign %s's landing link is clean but was flagged", id)
		}
	}
	if len(planted) < 10 {
		t.Fatalf("only %d broken landing links planted", len(planted))
	}
}

func checkLicenseRecall(t *testing.T, env map[string]string, truth *demo.Truth) {
	t.Helper()
	var rep licenseauditor.Report
	decode(t, mustCLI(t, env, "licenses", "audit", "--as-of", truth.Now, "--json"), &rep)
	for _, f := range truth.Facts {
		l := f.IdleLicenses
		if l == nil {
			continue
		}
		tool := rep.Tool(l.Tool)
		if tool == nil {
			t.Errorf("%s missing from the audit", l.Tool)
			continue
		}
		var idle []string
		for _, u := range tool.Idle {
			idle = append(idle, u.Email)
		}
		if tool.Reclaimable != l.ReclaimableSeats || !equalSets(idle, l.Idle90) {
			t.Errorf("%s: audit reclaims %d seats from %v; truth: %d from %v", l.Tool, tool.Reclaimable, idle, l.ReclaimableSeats, l.Idle90)
		}
	}
}

// checkAgentsFixTemplates runs the template-qa and link-audit agents,
// approves the fix of the template whose story link is untagged, and sees
// the template fixed.
func checkAgentsFixTemplates(t *testing.T, env map[string]string, truth *demo.Truth) {
	t.Helper()
	agents := "[[agent]]\nname = \"qa\"\nskill = \"template-qa\"\nowner = \"maria\"\n\n" +
		"[[agent]]\nname = \"links\"\nskill = \"link-audit\"\nowner = \"maria\"\n"
	if err := os.WriteFile(filepath.Join(env["TOWER_WORKSPACE"], "agents", "qa.toml"), []byte(agents), 0o644); err != nil {
		t.Fatal(err)
	}
	mustCLI(t, env, "agents", "run", "qa")
	mustCLI(t, env, "agents", "run", "links")
	var qa, links []map[string]any
	decode(t, mustCLI(t, env, "proposals", "list", "--agent", "qa", "--limit", "1000", "--json"), &qa)
	decode(t, mustCLI(t, env, "proposals", "list", "--agent", "links", "--limit", "1000", "--json"), &links)
	dirty, brokenLinks := 0, 0
	for _, f := range truth.Facts {
		if f.Template != nil && !f.Template.Clean {
			dirty++
		}
		if f.CampaignLink != nil {
			brokenLinks++
		}
	}
	if len(qa) != dirty || len(links) != brokenLinks {
		t.Fatalf("template-qa proposed %d (want one per defective template, %d); link-audit %d (want %d)", len(qa), dirty, len(links), brokenLinks)
	}
	var winback map[string]any
	for _, p := range qa {
		if strings.Contains(p["title"].(string), "tpl-braze-winback") {
			winback = p
		}
	}
	if winback == nil {
		t.Fatal("no proposal for tpl-braze-winback")
	}
	act := winback["actions"].([]any)[0].(map[string]any)
	params := act["params"].(map[string]any)
	if act["kind"] != "fix_template" || !strings.Contains(params["diff"].(string), "+") || !strings.Contains(params["value"].(string), "customers/bluepeak-logistics?utm_source=braze") {
		t.Fatalf("winback fix: %v", act)
	}
	if winback["status"] == "pending_approval" {
		if out := mustCLI(t, env, "proposals", "approve", winback["id"].(string)); !strings.Contains(out, "executed") {
			t.Fatalf("approve printed %q", out)
		}
	}
	after := lintJSON(t, env, "lint", "templates")
	for _, f := range after.Findings {
		if strings.Contains(f.File, "braze-winback") {
			t.Errorf("after the approved fix, braze-winback still has %s at %d:%d: %s", f.Rule, f.Line, f.Col, f.Message)
		}
	}
}
