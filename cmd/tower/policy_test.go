package main

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/towerops/tower/internal/governance"
	"github.com/towerops/tower/internal/proposal"
	"github.com/towerops/tower/internal/store"
)

func writeFile(t *testing.T, path, s string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestPolicyCommands checks, lists and tests a workspace's policies from
// the command line.
func TestPolicyCommands(t *testing.T) {
	ws := filepath.Join(t.TempDir(), "acme")
	mustCLI(t, nil, "init", ws)
	env := map[string]string{"TOWER_WORKSPACE": ws}
	pol := filepath.Join(ws, "policies")
	_ = os.RemoveAll(pol)

	// No policies folder: the default pack, with its own tests.
	if out := mustCLI(t, env, "policy", "check"); !strings.Contains(out, "default pack") {
		t.Fatalf("check without policies: %s", out)
	}
	out := mustCLI(t, env, "policy", "test")
	if !strings.Contains(out, "PASS") || !strings.Contains(out, " 0 failed") {
		t.Fatalf("default tests: %s", out)
	}

	writeFile(t, filepath.Join(pol, "team.yaml"), `rules:
  - id: big-tags
    description: Tagging more than 100 records needs a person
    when: action.kind == "tag" && action.records > 100
    effect: require_approval
`)
	var rules []map[string]any
	decode(t, mustCLI(t, env, "policy", "list", "--json"), &rules)
	if len(rules) != 1 || rules[0]["id"] != "big-tags" || rules[0]["effect"] != "require_approval" || rules[0]["source"] != filepath.Join(pol, "team.yaml")+":2" {
		t.Fatalf("list: %v", rules)
	}
	if out := mustCLI(t, env, "policy", "list"); !strings.Contains(out, "big-tags") || !strings.Contains(out, "Tagging more than 100") {
		t.Fatalf("list: %s", out)
	}
	if out := mustCLI(t, env, "policy", "check"); !strings.Contains(out, "1 rule(s) in 1 file(s)") {
		t.Fatalf("check: %s", out)
	}

	// Tests: one passes, one fails; the command fails and says which.
	writeFile(t, filepath.Join(pol, "tests", "team.yaml"), `cases:
  - name: 101 tags wait
    action: {kind: tag, records: 101}
    agent: {autonomy: auto}
    expect: require_approval
    rules: [big-tags]
  - name: 100 tags wait too
    action: {kind: tag, records: 100}
    agent: {autonomy: auto}
    expect: require_approval
`)
	out, _, err := cli(t, env, "policy", "test")
	if err == nil || !strings.Contains(err.Error(), "1 policy test(s) failed") {
		t.Fatalf("failing test passed: %v\n%s", err, out)
	}
	if !strings.Contains(out, "PASS  "+filepath.Join(pol, "tests", "team.yaml")+":2  101 tags wait") ||
		!strings.Contains(out, "FAIL  "+filepath.Join(pol, "tests", "team.yaml")+":7  100 tags wait too: expected require_approval, got allow") {
		t.Fatalf("test output:\n%s", out)
	}
	var res []governance.PolicyTestResult
	out, _, _ = cli(t, env, "policy", "test", "--json")
	decode(t, out, &res)
	if len(res) != 2 || !res[0].Pass || res[1].Pass || res[1].Got != proposal.EffectAllow {
		t.Fatalf("test --json: %+v", res)
	}

	// A broken policy: check fails naming the file and line.
	writeFile(t, filepath.Join(pol, "broken.toml"), "[[rules]]\nid = 'x'\nwhen = 'action.recrods > 1'\neffect = 'deny'\n")
	_, _, err = cli(t, env, "policy", "check")
	if err == nil || !strings.Contains(err.Error(), filepath.Join(pol, "broken.toml")+":3: rule x: when:") || !strings.Contains(err.Error(), "did you mean 'action.records'") {
		t.Fatalf("check of a broken file: %v", err)
	}
	// DIR names another folder; a missing one is an error.
	other := filepath.Join(t.TempDir(), "candidate")
	writeFile(t, filepath.Join(other, "p.yaml"), "rules:\n  - {id: a, when: 'true', effect: allow}\n")
	if out := mustCLI(t, env, "policy", "check", other); !strings.Contains(out, "1 rule(s)") {
		t.Fatalf("check DIR: %s", out)
	}
	if _, _, err := cli(t, env, "policy", "check", filepath.Join(other, "nope")); err == nil {
		t.Fatal("a missing DIR passed the check")
	}
	if _, _, err := cli(t, env, "policy", "test", other); err == nil || !strings.Contains(err.Error(), "no policy tests") {
		t.Fatalf("test of a folder without tests: %v", err)
	}
}

// TestPolicyExplain reads a stored decision back in plain words, on both
// backends.
func TestPolicyExplain(t *testing.T) {
	for name, envFor := range backends(t) {
		t.Run(name, func(t *testing.T) {
			env := envFor(t)
			ws := filepath.Join(t.TempDir(), "acme")
			mustCLI(t, env, "init", ws)
			env["TOWER_WORKSPACE"] = ws
			ctx := context.Background()

			p, err := governance.ParsePack(governance.DefaultPackFiles())
			if err != nil {
				t.Fatal(err)
			}
			now := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
			d, err := p.Decide(governance.DecideInput{Now: now, Vars: []governance.Vars{{
				Action: governance.ActionVars{Kind: "notify", People: 3, EmailsPeople: true, WithoutConsent: 2},
				Agent:  governance.AgentVars{Name: "watch", Autonomy: "auto"}}}})
			if err != nil {
				t.Fatal(err)
			}
			prop := proposal.New(proposal.Draft{Agent: "watch", Title: "Tell three people", Key: "k1",
				Actions: []proposal.Action{{Kind: proposal.Notify}}}, "campaign-watch", now)
			prop.Status, prop.Decision = proposal.StatusDenied, &d

			a := &app{stdout: io.Discard, stderr: io.Discard, quiet: true,
				environ: func(k string) (string, bool) { v, ok := env[k]; return v, ok }}
			st, err := a.store(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := st.ProposalsInsert(ctx, &store.ProposalsInsertParams{Proposals: []proposal.Proposal{prop}}); err != nil {
				t.Fatal(err)
			}
			st.Close()

			out := mustCLI(t, env, "policy", "explain", prop.ID)
			for _, w := range []string{"Decision: denied, at autonomy level auto", "consent.email", "default.yaml:", "autonomy:notify=auto",
				"no e-mail consent in any system", "1. notify", "without_consent=2"} {
				if !strings.Contains(out, w) {
					t.Errorf("explain lacks %q:\n%s", w, out)
				}
			}
			var got proposal.Decision
			decode(t, mustCLI(t, env, "policy", "explain", prop.ID, "--json"), &got)
			if got.Effect != proposal.EffectDeny || len(got.Matched) != 2 || got.Matched[1].Rule != "consent.email" {
				t.Fatalf("explain --json: %+v", got)
			}
			if _, _, err := cli(t, env, "policy", "explain", "p_nope"); err == nil {
				t.Fatal("explain of an unknown proposal passed")
			}
		})
	}
}
