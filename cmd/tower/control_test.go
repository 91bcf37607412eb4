package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/towerops/tower/internal/store"
)

// TestKillSwitchAndAutonomyFromTheCLI drives pause, resume, status,
// autonomy, agents incident and agents reset on both backends.
func TestKillSwitchAndAutonomyFromTheCLI(t *testing.T) {
	for name, envFor := range backends(t) {
		t.Run(name, func(t *testing.T) {
			env := envFor(t)
			ws := filepath.Join(t.TempDir(), "acme")
			mustCLI(t, env, "init", ws)
			env["TOWER_WORKSPACE"] = ws
			env["TOWER_USER"] = "ana"

			// pause and resume act on everything, and say so.
			for _, verb := range []string{"pause", "resume"} {
				_, _, err := cli(t, env, verb)
				if err == nil || !strings.Contains(err.Error(), "--all") || !strings.Contains(err.Error(), "tower agents "+verb+" NAME") {
					t.Errorf("tower %s without --all: %v", verb, err)
				}
			}
			var st statusView
			decode(t, mustCLI(t, env, "status", "--json"), &st)
			if st.Execution.Paused {
				t.Fatalf("a new workspace is paused: %+v", st)
			}
			out := mustCLI(t, env, "pause", "--all", "--reason", "wrong list loaded")
			if !strings.Contains(out, "All execution is paused") {
				t.Errorf("pause said %q", out)
			}
			decode(t, mustCLI(t, env, "status", "--json"), &st)
			if !st.Execution.Paused || st.Execution.By != "ana" || st.Execution.Reason != "wrong list loaded" || st.Execution.Since.IsZero() {
				t.Errorf("status after pause: %+v", st.Execution)
			}
			if out := mustCLI(t, env, "status"); !strings.Contains(out, "PAUSED by ana") || !strings.Contains(out, "tower resume --all") {
				t.Errorf("status text: %q", out)
			}
			if out := mustCLI(t, env, "pause", "--all"); !strings.Contains(out, "already paused by ana") {
				t.Errorf("second pause said %q", out)
			}
			mustCLI(t, env, "resume", "--all")
			decode(t, mustCLI(t, env, "status", "--json"), &st)
			if st.Execution.Paused {
				t.Errorf("still paused after resume: %+v", st.Execution)
			}

			agentFile := "[[agent]]\nname = \"stale\"\nskill = \"stale-consent\"\nowner = \"maria\"\nautonomy = { tag = \"auto\" }\n"
			if err := os.WriteFile(filepath.Join(ws, "agents", "hygiene.toml"), []byte(agentFile), 0o644); err != nil {
				t.Fatal(err)
			}
			var rows []autonomyRow
			decode(t, mustCLI(t, env, "autonomy", "--agent", "stale", "--json"), &rows)
			if len(rows) != 1 || rows[0].Kind != "tag" || rows[0].Level != "auto" || rows[0].From != "agent" {
				t.Fatalf("autonomy before the incident: %+v", rows)
			}
			if _, _, err := cli(t, env, "agents", "incident", "stale"); err == nil || !strings.Contains(err.Error(), "--reason") {
				t.Errorf("incident without a reason: %v", err)
			}
			out = mustCLI(t, env, "agents", "incident", "stale", "--reason", "tagged the whole CRM")
			if !strings.Contains(out, "needs approval again") {
				t.Errorf("incident said %q", out)
			}
			// Every kind the agent could do on its own is back to approve
			// (tag from its file, and Tower's built-in auto kinds).
			decode(t, mustCLI(t, env, "autonomy", "--json"), &rows)
			kinds := map[string]autonomyRow{}
			for _, r := range rows {
				kinds[r.Kind] = r
			}
			for _, k := range []string{"tag", "notify", "create_task"} {
				r := kinds[k]
				if r.Agent != "stale" || r.Level != "approve" || r.From != "earned" || !strings.Contains(r.Reason, "tagged the whole CRM") {
					t.Errorf("autonomy of %s after the incident: %+v", k, r)
				}
			}
			if out := mustCLI(t, env, "autonomy"); !strings.Contains(out, "stale") || !strings.Contains(out, "earned") {
				t.Errorf("autonomy table: %q", out)
			}

			// reset only clears a tripped agent.
			if _, _, err := cli(t, env, "agents", "reset", "stale"); err == nil || !strings.Contains(err.Error(), "not tripped") {
				t.Errorf("reset of an active agent: %v", err)
			}
			if _, _, err := cli(t, env, "agents", "reset", "nobody"); err == nil || !strings.Contains(err.Error(), "no agent named nobody") {
				t.Errorf("reset of an unknown agent: %v", err)
			}
			trip(t, env, "stale")
			// The agents/ files are synced on every fleet command: a
			// tripped agent stays tripped until a person resets it.
			decode(t, mustCLI(t, env, "status", "--json"), &st)
			mustCLI(t, env, "agents", "list")
			decode(t, mustCLI(t, env, "status", "--json"), &st)
			if st.Agents["tripped"] != 1 {
				t.Fatalf("after a sync the tripped agent is not tripped: %+v", st.Agents)
			}
			if _, _, err := cli(t, env, "agents", "resume", "stale"); err == nil || !strings.Contains(err.Error(), "tower agents reset stale") {
				t.Fatalf("resuming a tripped agent instead of resetting it: %v", err)
			}
			out = mustCLI(t, env, "agents", "reset", "stale")
			if !strings.Contains(out, "active again") {
				t.Errorf("reset said %q", out)
			}
			decode(t, mustCLI(t, env, "status", "--json"), &st)
			if st.Agents["tripped"] != 0 || st.Agents["active"] != 1 {
				t.Errorf("after reset: %+v", st.Agents)
			}
			audit := mustCLI(t, env, "audit", "export")
			for _, want := range []string{"execution.paused", "execution.resumed", "agent.incident", "autonomy.demoted", "agent.reset"} {
				if !strings.Contains(audit, want) {
					t.Errorf("audit log lacks %s", want)
				}
			}
		})
	}
}

// trip stops an agent the way the circuit breaker does.
func trip(t *testing.T, env map[string]string, agent string) {
	t.Helper()
	var out, errb bytes.Buffer
	a := &app{stdout: &out, stderr: &errb, quiet: true, environ: func(k string) (string, bool) { v, ok := env[k]; return v, ok }}
	st, err := a.store(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if _, err := st.AgentStateSet(context.Background(), &store.AgentStateSetParams{Name: agent, State: store.AgentTripped,
		Reason: "circuit breaker: test", At: time.Now()}); err != nil {
		t.Fatal(err)
	}
}
