package main

import (
	"context"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/towerops/tower/internal/demo/replay"
	"github.com/towerops/tower/internal/proposal"
	"github.com/towerops/tower/internal/store"
)

var historyLine = regexp.MustCompile(`History: (\d+) decisions made \((\d+) approved as proposed, (\d+) edited, (\d+) rejected\); ` +
	`(\d+) executed \((\d+) on their own\); (\d+) undone; (\d+) expired\.`)

var weekLine = regexp.MustCompile(`(?m)^  [A-Z][a-z]{2} \d{2} to [A-Z][a-z]{2} \d{2} +\d+ proposals`)

// TestDemoHistoryIsInTheStore builds a small demo with ten days of
// history, on both backends, and checks every figure of the summary line
// against the store; a second run reuses the workspace without replaying.
func TestDemoHistoryIsInTheStore(t *testing.T) {
	for name, envFor := range backends(t) {
		t.Run(name, func(t *testing.T) {
			env := envFor(t)
			dir := filepath.Join(t.TempDir(), "demo")
			args := []string{"demo", "--serve=false", "--people", "1500", "--accounts", "150", "--history-days", "10", "--dir", dir}
			out := mustCLI(t, env, args...)
			m := historyLine.FindStringSubmatch(out)
			if m == nil {
				t.Fatalf("no history line in:\n%s", out)
			}
			if weeks := len(weekLine.FindAllString(out, -1)); weeks != 2 {
				t.Errorf("%d weekly lines for ten days, want 2:\n%s", weeks, out)
			}
			n := make([]int, len(m)-1)
			for i := range n {
				n[i], _ = strconv.Atoi(m[i+1])
			}
			decisions, approved, edited, rejected, executed, own, undone, expired := n[0], n[1], n[2], n[3], n[4], n[5], n[6], n[7]
			if decisions != approved+edited+rejected || decisions == 0 || executed == 0 {
				t.Fatalf("history line does not add up: %s", m[0])
			}

			dbURL := "sqlite:" + filepath.Join(dir, "tower.db")
			if v := env["TOWER_DATABASE_URL"]; v != "" {
				dbURL = v
			}
			ctx := context.Background()
			st, err := store.Open(ctx, dbURL)
			if err != nil {
				t.Fatal(err)
			}
			defer st.Close()
			ps, err := st.ProposalsList(ctx, &store.ProposalsListParams{Page: store.Page{Limit: 100000}})
			if err != nil {
				t.Fatal(err)
			}
			// The history ends at today's midnight; the run that follows
			// it happens now.
			end := time.Now().UTC().Truncate(24 * time.Hour)
			team := map[string]bool{}
			for _, u := range replay.Team {
				team[u.Name] = true
			}
			got := map[string]int{}
			for _, p := range ps {
				byPerson := false
				if p.Decision != nil {
					for _, a := range p.Decision.Approvals {
						if !team[a.By] {
							t.Errorf("proposal %s was decided by %s, who is not on the demo's team", p.ID, a.By)
						}
						byPerson = byPerson || a.Verdict == "approved"
					}
				}
				switch {
				case p.Status == proposal.StatusRejected:
					got["rejected"]++
				case p.Status == proposal.StatusSuperseded:
					got["edited"]++
				case p.Status == proposal.StatusExpired:
					got["expired"]++
				case p.Status == proposal.StatusUndone:
					got["undone"]++
				}
				if byPerson && p.Revises == "" {
					got["approved"]++
				}
				ran := p.Status == proposal.StatusExecuted || p.Status == proposal.StatusUndone
				if ran && p.CreatedAt.Before(end) {
					got["executed"]++
					if !byPerson {
						got["own"]++
					}
				}
			}
			want := map[string]int{"approved": approved, "edited": edited, "rejected": rejected, "executed": executed,
				"own": own, "undone": undone, "expired": expired}
			for k, v := range want {
				if got[k] != v {
					t.Errorf("%s: %d in the store, %d in the history line %q", k, got[k], v, m[0])
				}
			}

			again := mustCLI(t, env, args...)
			if !strings.Contains(again, "Reusing the demo workspace") || strings.Contains(again, "History:") {
				t.Errorf("a second run replayed the history again:\n%s", again)
			}
		})
	}
}
