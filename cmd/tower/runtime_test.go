package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestFleetEndToEnd runs the runtime from the command line: agents from a
// workspace file, a dry run, a real run, the stable proposals JSON,
// approve → executed → undo, reject, pause, simulate and the audit chain.
func TestFleetEndToEnd(t *testing.T) {
	bundle := filepath.Join(t.TempDir(), "bundle")
	mustCLI(t, nil, "demo", "--out", bundle, "--people", "1200", "--accounts", "120")
	for name, envFor := range backends(t) {
		t.Run(name, func(t *testing.T) {
			env := envFor(t)
			ws := filepath.Join(t.TempDir(), "acme")
			mustCLI(t, env, "init", ws)
			env["TOWER_WORKSPACE"] = ws
			env["TOWER_USER"] = "maria"
			mustCLI(t, env, "import", bundle)
			agentFile := "[[agent]]\nname = \"stale\"\nskill = \"stale-consent\"\nowner = \"maria\"\nparams = { max_proposals = 5 }\n"
			if err := os.WriteFile(filepath.Join(ws, "agents", "hygiene.toml"), []byte(agentFile), 0o644); err != nil {
				t.Fatal(err)
			}
			var agents []map[string]any
			decode(t, mustCLI(t, env, "agents", "list", "--json"), &agents)
			if len(agents) != 1 || agents[0]["name"] != "stale" || agents[0]["source"] != "workspace" {
				t.Fatalf("agents list: %v", agents)
			}

			var dry []map[string]any
			decode(t, mustCLI(t, env, "agents", "run", "stale", "--dry-run", "--json"), &dry)
			if n := len(dry[0]["proposals"].([]any)); n != 5 {
				t.Fatalf("dry run proposed %d, want 5 (max_proposals)", n)
			}
			var listed []map[string]any
			decode(t, mustCLI(t, env, "proposals", "list", "--json"), &listed)
			if len(listed) != 0 {
				t.Fatalf("a dry run wrote %d proposals", len(listed))
			}

			mustCLI(t, env, "agents", "run", "stale")
			decode(t, mustCLI(t, env, "proposals", "list", "--status", "pending_approval", "--json"), &listed)
			if len(listed) != 5 {
				t.Fatalf("%d pending proposals, want 5", len(listed))
			}
			p := listed[0]
			for _, k := range []string{"id", "skill", "agent", "status", "created_at", "actions", "evidence", "expected_value", "confidence"} {
				if _, ok := p[k]; !ok {
					t.Errorf("proposal JSON lacks %q: %v", k, p)
				}
			}
			act := p["actions"].([]any)[0].(map[string]any)
			target := act["targets"].([]any)[0].(map[string]any)
			if act["kind"] != "tag" || target["type"] != "person" || target["id"] == "" || act["params"].(map[string]any)["tag"] != "re-permission" {
				t.Errorf("action JSON %v", act)
			}
			id := p["id"].(string)
			if out := mustCLI(t, env, "proposals", "approve", id); !strings.Contains(out, "Executed: executed") {
				t.Errorf("approve printed %q", out)
			}
			var shown map[string]any
			decode(t, mustCLI(t, env, "proposals", "show", id, "--json"), &shown)
			approvals := shown["decision"].(map[string]any)["approvals"].([]any)
			if shown["status"] != "executed" || approvals[0].(map[string]any)["by"] != "maria" {
				t.Errorf("after approve: %v", shown)
			}
			mustCLI(t, env, "proposals", "undo", id)
			decode(t, mustCLI(t, env, "proposals", "show", id, "--json"), &shown)
			if shown["status"] != "undone" {
				t.Errorf("after undo: %v", shown["status"])
			}
			if _, _, err := cli(t, env, "proposals", "reject", listed[1]["id"].(string)); err == nil {
				t.Error("rejected without a reason")
			}
			mustCLI(t, env, "proposals", "reject", listed[1]["id"].(string), "--reason", "already in a campaign")

			// The agent's scorecard, counted by hand: 5 proposals from a run
			// maria started, each held for a person; 1 approved (then undone),
			// 1 rejected, 3 waiting.
			var cards []map[string]any
			decode(t, mustCLI(t, env, "scorecards", "--json"), &cards)
			if len(cards) != 1 {
				t.Fatalf("scorecards: %v", cards)
			}
			c := cards[0]
			hand := c["handoffs"].(map[string]any)
			for k, want := range map[string]float64{"proposals": 5, "accepted": 1, "rejected": 1, "waiting": 3, "executed": 1,
				"undone": 1, "undo_rate": 1, "accept_rate": 0.5, "decided": 2, "autonomous": 0} {
				if c[k] != want {
					t.Errorf("scorecard %s = %v, want %v", k, c[k], want)
				}
			}
			if c["key"] != "stale" || hand["to_people"] != 5.0 || hand["to_agent"] != 5.0 {
				t.Errorf("scorecard %v / handoffs %v", c["key"], hand)
			}
			if out := mustCLI(t, env, "scorecards", "--by", "skill"); !strings.Contains(out, "stale-consent") || !strings.Contains(out, "50%") {
				t.Errorf("scorecards table:\n%s", out)
			}
			if _, _, err := cli(t, env, "scorecards", "--by", "colour"); err == nil || !strings.Contains(err.Error(), `--by: "colour" is not a grouping: choose agent, skill`) {
				t.Errorf("bad --by: %v", err)
			}
			var rep map[string]any
			decode(t, mustCLI(t, env, "value", "report", "--json"), &rep)
			if rep["fleet"].(map[string]any)["proposals"] != 5.0 || rep["review_usd"] != 7.5 {
				t.Errorf("value report: fleet %v, review $%v (2 decisions at 3 minutes and $75 an hour)", rep["fleet"], rep["review_usd"])
			}

			mustCLI(t, env, "agents", "pause", "stale", "--reason", "holiday")
			if _, _, err := cli(t, env, "agents", "run", "stale"); err == nil || !strings.Contains(err.Error(), "paused") {
				t.Errorf("running a paused agent: %v", err)
			}
			mustCLI(t, env, "agents", "resume", "stale")

			var sim map[string]any
			decode(t, mustCLI(t, env, "simulate", "--from", "2026-01-01", "--to", "2026-01-03", "--json"), &sim)
			if days := sim["days"].([]any); len(days) != 3 {
				t.Errorf("simulate days: %d", len(days))
			}
			if _, _, err := cli(t, env, "agents", "create", "bad", "--skill", "stale-consent", "--owner", "x", "--scope", "campaign:C-1"); err == nil ||
				!strings.Contains(err.Error(), "cannot be scoped by campaign") {
				t.Errorf("bad scope: %v", err)
			}
			mustCLI(t, env, "agents", "create", "emea", "--skill", "stale-consent", "--owner", "li", "--scope", "region:EMEA", "--param", "older_than=365d")
			if out := mustCLI(t, env, "audit", "verify"); !strings.Contains(strings.ToLower(out), "checked") {
				t.Errorf("audit verify: %q", out)
			}
		})
	}
}
