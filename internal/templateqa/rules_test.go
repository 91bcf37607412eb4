package templateqa

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestRulesDocumented: every rule is listed once and explained in
// docs/templates.md, and every rule the golden corpus produces is listed.
func TestRulesDocumented(t *testing.T) {
	doc, err := os.ReadFile("../../docs/templates.md")
	if err != nil {
		t.Fatal(err)
	}
	known := map[string]bool{}
	for _, r := range Rules() {
		if known[r.ID] {
			t.Errorf("rule %s listed twice", r.ID)
		}
		known[r.ID] = true
		if !strings.Contains(string(doc), r.ID) {
			t.Errorf("rule %s is not in docs/templates.md", r.ID)
		}
	}
	goldens, _ := filepath.Glob("testdata/golden/*.golden.json")
	seen := map[string]bool{}
	for _, g := range goldens {
		data, err := os.ReadFile(g)
		if err != nil {
			t.Fatal(err)
		}
		var fs []Finding
		if err := json.Unmarshal(data, &fs); err != nil {
			t.Fatalf("%s: %v", g, err)
		}
		for _, f := range fs {
			seen[f.Rule] = true
			if !known[f.Rule] {
				t.Errorf("%s: rule %s is not in Rules()", g, f.Rule)
			}
		}
	}
	for id := range known {
		if !seen[id] {
			t.Errorf("no golden template exercises rule %s", id)
		}
	}
}
