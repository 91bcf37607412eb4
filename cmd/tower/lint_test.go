package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/towerops/tower/internal/demo"
)

// TestLintTemplateFilesOutsideAWorkspace: a team tries the linter on a
// folder of templates with its brand kit, sees the fixes as a diff (files
// untouched), then lets Tower write them; afterwards no fixable finding is
// left and a second --fix changes nothing.
func TestLintTemplateFilesOutsideAWorkspace(t *testing.T) {
	t.Chdir(t.TempDir())
	bundle := filepath.Join(t.TempDir(), "bundle")
	mustCLI(t, nil, "demo", "--out", bundle, "--people", "300", "--accounts", "30")
	know := filepath.Join(t.TempDir(), "knowledge")
	if err := demo.WriteKnowledge(know); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(bundle, "templates")
	before := readDir(t, dir)

	rep := lintJSON(t, nil, "lint", "templates", dir, "--knowledge", know)
	rules := map[string]int{}
	fixable := 0
	for _, f := range rep.Findings {
		rules[f.Rule]++
		if f.Fix != nil {
			fixable++
		}
	}
	if rules["banned-phrase"] == 0 || rules["missing-postal-address"] == 0 || rules["utm-taxonomy"] == 0 {
		t.Errorf("the brand kit's rules were not applied: %v", rules)
	}
	if rules["unknown-field"] != 0 {
		t.Errorf("outside a workspace there is no foundation to check fields against, yet: %v", rules)
	}
	if fixable == 0 {
		t.Fatal("no fixable finding in the demo templates")
	}

	out, _, _ := cli(t, nil, "lint", "templates", dir, "--knowledge", know, "--diff")
	if !strings.Contains(out, "+++ "+dir) || !strings.Contains(out, "\n-") || !strings.Contains(out, "\n+") {
		t.Fatalf("--diff printed:\n%s", out)
	}
	if after := readDir(t, dir); !equalMaps(before, after) {
		t.Fatal("--diff changed files")
	}

	mustCLI(t, nil, "lint", "templates", dir, "--knowledge", know, "--fix")
	changed := readDir(t, dir)
	if equalMaps(before, changed) {
		t.Fatal("--fix changed nothing")
	}
	for _, f := range lintJSON(t, nil, "lint", "templates", dir, "--knowledge", know).Findings {
		if f.Fix != nil {
			t.Errorf("after --fix, %s:%d:%d %s still has a fix: %s", f.File, f.Line, f.Col, f.Rule, f.Fix.Description)
		}
	}
	if out := mustCLI(t, nil, "lint", "templates", dir, "--knowledge", know, "--fix"); out != "" {
		t.Errorf("a second --fix printed:\n%s", out)
	}
	if _, _, err := cli(t, nil, "lint", "templates", "--fix"); err == nil || !strings.Contains(err.Error(), "give their folder") {
		t.Errorf("--fix without a folder: %v", err)
	}
}

func readDir(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		out[e.Name()] = string(b)
	}
	return out
}

func equalMaps(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}
