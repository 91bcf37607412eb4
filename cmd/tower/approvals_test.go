package main

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/towerops/tower/internal/governance"
	"github.com/towerops/tower/internal/proposal"
	"github.com/towerops/tower/internal/store"
	"github.com/towerops/tower/internal/store/eachbackend"
)

// TestApprovalsFromTheCommandLine: the inbox per person, a delegate who
// sees and approves for someone away, an edit into a governed revision,
// and clearing the delegation, on both backends.
func TestApprovalsFromTheCommandLine(t *testing.T) {
	bundle := filepath.Join(t.TempDir(), "bundle")
	mustCLI(t, nil, "demo", "--out", bundle, "--people", "300", "--accounts", "30")
	for name, envFor := range backends(t) {
		t.Run(name, func(t *testing.T) {
			env := envFor(t)
			ws := filepath.Join(t.TempDir(), "acme")
			mustCLI(t, env, "init", ws)
			env["TOWER_WORKSPACE"] = ws
			env["TOWER_USER"] = "maria"
			mustCLI(t, env, "import", bundle)
			agentFile := "[[agent]]\nname = \"stale\"\nskill = \"stale-consent\"\nowner = \"maria\"\nparams = { max_proposals = 3 }\n"
			if err := os.WriteFile(filepath.Join(ws, "agents", "hygiene.toml"), []byte(agentFile), 0o644); err != nil {
				t.Fatal(err)
			}
			mustCLI(t, env, "users", "create", "ana", "--role", "approver")
			mustCLI(t, env, "users", "create", "cy", "--role", "marketer")
			mustCLI(t, env, "agents", "run", "stale")

			var inbox []governance.InboxItem
			decode(t, mustCLI(t, env, "inbox", "--as", "ana", "--json"), &inbox)
			if len(inbox) != 3 {
				t.Fatalf("ana's inbox has %d items, want the 3 pending proposals", len(inbox))
			}
			if inbox[0].Required != 1 || inbox[0].Missing == "" || inbox[0].OnBehalfOf != "" {
				t.Errorf("inbox item %+v", inbox[0])
			}
			if out := mustCLI(t, env, "inbox", "--as", "cy"); !strings.Contains(out, "Nothing waits for cy's decision") {
				t.Errorf("a marketer's inbox:\n%s", out)
			}
			if out := mustCLI(t, env, "inbox", "--as", "ana"); !strings.Contains(out, inbox[0].Proposal.ID) || !strings.Contains(out, "STILL NEEDS") {
				t.Errorf("ana's inbox as text:\n%s", out)
			}

			// ana is away: cy approves in her place.
			if out := mustCLI(t, env, "delegate", "--from", "ana", "--to", "cy", "--until", "2d"); !strings.Contains(out, "cy may approve in ana's place") {
				t.Errorf("delegate printed %q", out)
			}
			var ds []map[string]any
			decode(t, mustCLI(t, env, "delegations", "--json"), &ds)
			if len(ds) != 1 || ds[0]["from"] != "ana" || ds[0]["to"] != "cy" {
				t.Fatalf("delegations %v", ds)
			}
			decode(t, mustCLI(t, env, "inbox", "--as", "cy", "--json"), &inbox)
			if len(inbox) != 3 || inbox[0].OnBehalfOf != "ana" {
				t.Fatalf("cy's inbox as ana's delegate: %+v", inbox)
			}
			if _, _, err := cli(t, env, "delegate", "--to", "cy", "--until", "2001-01-01"); err == nil || !strings.Contains(err.Error(), "past") {
				t.Errorf("a delegation into the past: %v", err)
			}

			// An edit: a new revision, governed again, the old one superseded.
			first := inbox[0].Proposal
			if _, _, err := cli(t, env, "proposals", "edit", first.ID, "--drop-target", "person:does-not-exist"); err == nil || !strings.Contains(err.Error(), "no such target") {
				t.Errorf("dropping an unknown target: %v", err)
			}
			var rev map[string]any
			decode(t, mustCLI(t, env, "proposals", "edit", first.ID, "--set-param", "1.tag=checked", "--reason", "our tag name", "--json"), &rev)
			if rev["revises"] != first.ID || rev["status"] != "pending_approval" || rev["edited_by"] != "maria" {
				t.Fatalf("revision %v", rev)
			}
			var old map[string]any
			decode(t, mustCLI(t, env, "proposals", "show", first.ID, "--json"), &old)
			if old["status"] != "superseded" {
				t.Errorf("old revision is %v", old["status"])
			}

			// cy approves the revision for ana.
			envCy := map[string]string{}
			for k, v := range env {
				envCy[k] = v
			}
			envCy["TOWER_USER"] = "cy"
			revID := rev["id"].(string)
			mustCLI(t, envCy, "proposals", "approve", revID, "--no-execute")
			var approved map[string]any
			decode(t, mustCLI(t, env, "proposals", "show", revID, "--json"), &approved)
			as := approved["decision"].(map[string]any)["approvals"].([]any)
			if approved["status"] != "approved" || as[0].(map[string]any)["on_behalf_of"] != "ana" {
				t.Errorf("approved revision %v with approvals %v", approved["status"], as)
			}

			mustCLI(t, env, "delegate", "--from", "ana", "--clear")
			if out := mustCLI(t, env, "delegations"); !strings.Contains(out, "Nobody delegates") {
				t.Errorf("delegations after --clear:\n%s", out)
			}
			if _, _, err := cli(t, envCy, "proposals", "approve", inbox[1].Proposal.ID, "--no-execute"); !errors.Is(err, governance.ErrNotEligible) {
				t.Errorf("cy approving without the delegation: %v", err)
			}
		})
	}
}

// TestStartEscalatorFiresAndStops: the server's sweeper times out a due
// approval within a few ticks, and stop returns.
func TestStartEscalatorFiresAndStops(t *testing.T) {
	st := eachbackend.SQLite(t)
	ctx := context.Background()
	now := time.Now().UTC()
	p := proposal.Proposal{ID: proposal.NewID(now), Skill: "s", Agent: "a1", Key: "k", Status: proposal.StatusPendingApproval,
		Title: "t", CreatedAt: now, UpdatedAt: now, ExpiresAt: now.Add(time.Hour)}
	err := st.InTx(ctx, func(ctx context.Context, q store.Queries) error {
		if _, err := q.ProposalsInsert(ctx, &store.ProposalsInsertParams{Proposals: []proposal.Proposal{p}}); err != nil {
			return err
		}
		r := governance.RequestFor(&p, store.Agent{Name: "a1"}, governance.ApprovalPlan{SLA: time.Millisecond, OnTimeout: "deny"}, "agent:a1", now.Add(-time.Minute))
		return q.ApprovalRequestsInsert(ctx, &store.ApprovalRequestsInsertParams{Requests: []store.ApprovalRequest{r}})
	})
	if err != nil {
		t.Fatal(err)
	}
	var logs bytes.Buffer
	a := &app{stdout: io.Discard, stderr: &logs, environ: func(string) (string, bool) { return "", false }}
	stop := a.startEscalator(ctx, st, nil)
	deadline := time.Now().Add(10 * time.Second)
	for {
		got, err := st.ProposalGet(ctx, &store.ProposalGetParams{ID: p.ID})
		if err != nil {
			t.Fatal(err)
		}
		if got.Status == proposal.StatusDenied {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("still %s after 10 s; log:\n%s", got.Status, logs.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
	stop()
	if !strings.Contains(logs.String(), "approval timers fired") {
		t.Errorf("the sweep was not logged:\n%s", logs.String())
	}
}
