package templateqa

import (
	"context"
	"encoding/csv"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/towerops/tower/internal/demo"
)

// plantedRule maps each kind of problem the demo plants in its templates
// to the rule that must find it. Kinds added to the demo must be added
// here, or the test says so.
var plantedRule = map[string][]string{
	"broken_merge_field":     {RuleSyntax},
	"wrong_dialect":          {RuleForeignSyntax},
	"foreign_platform":       {RuleForeignSyntax},
	"unknown_field":          {RuleUnknownField},
	"missing_unsubscribe":    {RuleNoUnsubscribe},
	"missing_postal_address": {RuleNoPostalAddress},
	"missing_fallback":       {RuleMissingFallback},
	"banned_phrase":          {RuleBannedPhrase},
	"long_subject":           {RuleSubjectLength},
	"missing_alt":            {RuleImageAlt},
	"untagged_link":          {"utm-missing"},
	"partial_utm":            {"utm-missing"},
	"malformed_url":          {"url-malformed"},
	"utm_taxonomy":           {"utm-taxonomy"},
}

func TestDemoTemplates(t *testing.T) {
	dir := t.TempDir()
	truth, err := demo.Generate(context.Background(), dir, demo.Config{Seed: 7, People: 800, Accounts: 80})
	if err != nil {
		t.Fatal(err)
	}
	campaigns := readCampaigns(t, filepath.Join(dir, "campaigns.csv"))
	facts := truth.Kind(demo.KindTemplate)
	if len(facts) < 20 {
		t.Fatalf("the demo has %d template facts, want at least 20", len(facts))
	}
	for _, fact := range facts {
		tf := fact.Template
		t.Run(tf.TemplateID, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(tf.Path)))
			if err != nil {
				t.Fatal(err)
			}
			tpl, err := ParseFile(tf.Path, data)
			if err != nil {
				t.Fatal(err)
			}
			fs, err := Lint(context.Background(), tpl, demoEnv(campaigns[tpl.CampaignID]))
			if err != nil {
				t.Fatal(err)
			}
			for _, f := range fs {
				t.Logf("%s:%d:%d %s %s", f.File, f.Line, f.Col, f.Rule, f.Message)
			}
			if tf.Clean {
				for _, f := range fs {
					t.Errorf("clean template has a finding: %s:%d:%d %s %s", f.File, f.Line, f.Col, f.Rule, f.Message)
				}
				return
			}
			for _, is := range tf.Issues {
				rules, ok := plantedRule[is.Kind]
				if !ok {
					t.Errorf("planted kind %q has no rule mapped in plantedRule", is.Kind)
					continue
				}
				if !foundBy(fs, rules, tpl, string(data), is.Snippet) {
					t.Errorf("planted %s (%s, snippet %q) not found by %v; findings: %v", is.Kind, is.Detail, is.Snippet, rules, fs)
				}
			}
		})
	}
}

// foundBy: a finding of one of rules, on the snippet's line when the
// snippet is in the file.
func foundBy(fs []Finding, rules []string, tpl Template, file, snip string) bool {
	line := 0
	if snip != "" {
		if i := strings.Index(file, snip); i >= 0 {
			line = strings.Count(file[:i], "\n") + 1
		}
	}
	for _, f := range fs {
		for _, r := range rules {
			if f.Rule == r && (line == 0 || f.Line == line) {
				return true
			}
		}
	}
	return false
}

func readCampaigns(t *testing.T, path string) map[string]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	col := map[string]int{}
	for i, h := range rows[0] {
		col[h] = i
	}
	out := map[string]string{}
	for _, r := range rows[1:] {
		out[r[col["id"]]] = r[col["utm_campaign"]]
	}
	return out
}
