package replay_test

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/towerops/tower/internal/demo"
	"github.com/towerops/tower/internal/demo/replay"
	"github.com/towerops/tower/internal/fleet"
	"github.com/towerops/tower/internal/governance"
	"github.com/towerops/tower/internal/ingest"
	"github.com/towerops/tower/internal/knowledge"
	"github.com/towerops/tower/internal/proposal"
	"github.com/towerops/tower/internal/store"
	"github.com/towerops/tower/internal/store/eachbackend"

	_ "github.com/towerops/tower/internal/skills/licenseauditor"
	_ "github.com/towerops/tower/internal/skills/linkaudit"
	_ "github.com/towerops/tower/internal/skills/staleconsent"
	_ "github.com/towerops/tower/internal/skills/templatereview"
)

var (
	bundleOnce sync.Once
	bundleDir  string
	bundleErr  error
)

// demoBundle generates one small demo bundle per test binary.
func demoBundle(t *testing.T) string {
	t.Helper()
	bundleOnce.Do(func() {
		bundleDir, bundleErr = os.MkdirTemp("", "tower-replay-bundle-")
		if bundleErr == nil {
			_, bundleErr = demo.Generate(context.Background(), bundleDir, demo.Config{Seed: 1, People: 1500, Accounts: 150})
		}
	})
	if bundleErr != nil {
		t.Fatal(bundleErr)
	}
	return bundleDir
}

// smallDemo imports the small demo company into st with its agents,
// knowledge and the default policies, and returns its runner and
// lifecycle.
func smallDemo(t *testing.T, st store.Store) (*fleet.Runner, *fleet.Lifecycle) {
	t.Helper()
	ctx := context.Background()
	rep, err := ingest.ImportBundle(ctx, st, demoBundle(t), ingest.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Failed() {
		t.Fatal("the demo bundle did not import cleanly")
	}
	dir := t.TempDir()
	if err := demo.WriteAgents(dir); err != nil {
		t.Fatal(err)
	}
	if err := demo.WriteKnowledge(filepath.Join(dir, "knowledge")); err != nil {
		t.Fatal(err)
	}
	if _, err := fleet.SyncAgents(ctx, st, filepath.Join(dir, "agents"), "system"); err != nil {
		t.Fatal(err)
	}
	pack, err := governance.DefaultPack()
	if err != nil {
		t.Fatal(err)
	}
	set, err := knowledge.Load(filepath.Join(dir, "knowledge"))
	if err != nil {
		t.Fatal(err)
	}
	runner := &fleet.Runner{Store: st, Pack: pack, Logger: slog.New(slog.DiscardHandler),
		Knowledge: func(layer string) (any, error) { return set.Layer(layer) }}
	return runner, &fleet.Lifecycle{Store: st, Pack: pack, Runner: runner}
}

// testConfig is nine days, 1 to 9 November 2026, with two Mondays (the
// weekly skills run twice).
func testConfig(seed int64) replay.Config {
	return replay.Config{Days: 9, End: time.Date(2026, 11, 10, 15, 0, 0, 0, time.UTC), Seed: seed}
}

// stable is a log entry without proposal ids (new ones every run).
func stable(l *replay.Log) []string {
	var out []string
	for _, e := range l.Entries {
		out = append(out, fmt.Sprintf("%s %s %s %s %s %s by=%s %q revision=%t",
			e.At.Format(time.RFC3339), e.What, e.Agent, e.Key, e.Status, e.Skill, e.By, e.Reason, e.Revises != ""))
	}
	return out
}

func TestReplayIsDeterministicForASeed(t *testing.T) {
	ctx := context.Background()
	var logs []*replay.Log
	for _, seed := range []int64{7, 7, 8} {
		st := eachbackend.SQLite(t)
		runner, lc := smallDemo(t, st)
		l, err := replay.Replay(ctx, st, runner, lc, testConfig(seed))
		if err != nil {
			t.Fatal(err)
		}
		logs = append(logs, l)
	}
	a, b, c := stable(logs[0]), stable(logs[1]), stable(logs[2])
	if !slices.Equal(a, b) {
		for i := range min(len(a), len(b)) {
			if a[i] != b[i] {
				t.Fatalf("same seed, different histories at step %d of %d/%d:\n%s\n%s", i, len(a), len(b), a[i], b[i])
			}
		}
		t.Fatalf("same seed, different lengths: %d and %d", len(a), len(b))
	}
	if slices.Equal(a, c) {
		t.Error("seeds 7 and 8 made the same history; the seed chooses nothing")
	}
	tot := logs[0].Totals()
	t.Logf("seed 7: %+v", tot)
	// The small demo has enough for every kind of step in nine days.
	for name, n := range map[string]int{"proposed": tot.Proposed, "approved": tot.Approved, "edited": tot.Edited,
		"rejected": tot.Rejected, "executed": tot.Executed, "on their own": tot.OnTheirOwn, "expired": tot.Expired, "undone": tot.Undone} {
		if n == 0 {
			t.Errorf("no %s step in the history: %+v", name, tot)
		}
	}
	if got := logs[0].Start; !got.Equal(time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)) || len(logs[0].Days) != 9 {
		t.Errorf("history starts %s with %d days, want 2026-11-01 and 9", got, len(logs[0].Days))
	}
	var sum replay.Totals
	for _, d := range logs[0].Days {
		sum.Add(d.Totals)
	}
	if sum != tot {
		t.Errorf("days add up to %+v, the log to %+v", sum, tot)
	}
}

// TestEveryLoggedStepIsInTheStore replays on both backends and checks the
// store against the log: each proposal's status, who approved or
// rejected it, its executions and undos, and the counts per agent.
func TestEveryLoggedStepIsInTheStore(t *testing.T) {
	eachbackend.Run(t, func(t *testing.T, st store.Store) {
		ctx := context.Background()
		runner, lc := smallDemo(t, st)
		var days []int
		cfg := testConfig(3)
		cfg.Progress = func(d replay.Day, n, of int) { days = append(days, n) }
		l, err := replay.Replay(ctx, st, runner, lc, cfg)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(days, []int{1, 2, 3, 4, 5, 6, 7, 8, 9}) {
			t.Errorf("progress called for days %v", days)
		}
		checkStoreMatchesLog(t, st, l)
	})
}

// perAgent counts log steps (and store facts) per agent.
type perAgent map[string]map[string]int

func (p perAgent) add(agent, what string) {
	if p[agent] == nil {
		p[agent] = map[string]int{}
	}
	p[agent][what]++
}

func checkStoreMatchesLog(t *testing.T, st store.Store, l *replay.Log) {
	t.Helper()
	ctx := context.Background()
	want := perAgent{}
	status := map[string]string{}
	type verdict struct{ by, verdict, reason string }
	verdicts := map[string]verdict{}
	undone := map[string]bool{}
	for _, e := range l.Entries {
		if !e.At.Before(l.End) || e.At.Before(l.Start) {
			t.Errorf("%s of %s at %s, outside the history", e.What, e.Proposal, e.At)
		}
		want.add(e.Agent, string(e.What))
		status[e.Proposal] = e.Status
		switch e.What {
		case replay.Edited:
			status[e.Revises] = string(proposal.StatusSuperseded)
		case replay.Approved:
			if !strings.HasPrefix(e.By, "[") {
				verdicts[e.Proposal] = verdict{e.By, "approved", ""}
			}
		case replay.Rejected:
			verdicts[e.Proposal] = verdict{e.By, "rejected", e.Reason}
		case replay.Undone:
			undone[e.Proposal] = true
		}
	}
	got := perAgent{}
	ps, err := st.ProposalsList(ctx, &store.ProposalsListParams{Page: store.Page{Limit: 100000}})
	if err != nil {
		t.Fatal(err)
	}
	if len(ps) != len(status) {
		t.Errorf("the store holds %d proposals, the log names %d", len(ps), len(status))
	}
	for _, p := range ps {
		if s, ok := status[p.ID]; !ok || s != string(p.Status) {
			t.Errorf("proposal %s (%s %s) is %s in the store, %q in the log", p.ID, p.Agent, p.Key, p.Status, s)
		}
		if p.Revises == "" {
			got.add(p.Agent, string(replay.Proposed))
		} else {
			got.add(p.Agent, string(replay.Edited))
		}
		switch p.Status {
		case proposal.StatusRejected:
			got.add(p.Agent, string(replay.Rejected))
		case proposal.StatusExpired, proposal.StatusDenied:
			if p.Decision != nil && p.Decision.Effect == proposal.EffectDeny {
				break // denied by policy when proposed, not lapsed
			}
			got.add(p.Agent, string(replay.Expired))
		}
		if v, ok := verdicts[p.ID]; ok {
			found := false
			for _, a := range p.Decision.Approvals {
				if a.By == v.by && a.Verdict == v.verdict && a.Reason == v.reason {
					found = true
				}
			}
			if !found {
				t.Errorf("proposal %s: the log says %s %s it (%q); the store's approvals are %+v", p.ID, v.by, v.verdict, v.reason, p.Decision.Approvals)
			}
			if v.verdict == "approved" {
				got.add(p.Agent, string(replay.Approved))
			}
		}
		execs, err := st.ExecutionsList(ctx, &store.ExecutionsListParams{ProposalID: p.ID})
		if err != nil {
			t.Fatal(err)
		}
		ran := p.Status == proposal.StatusExecuted || p.Status == proposal.StatusUndone
		if ran != (len(execs) == len(p.Actions)) {
			t.Errorf("proposal %s is %s with %d of %d actions executed", p.ID, p.Status, len(execs), len(p.Actions))
		}
		if ran {
			got.add(p.Agent, string(replay.Executed))
		}
		for _, x := range execs {
			if undone[p.ID] == x.UndoneAt.IsZero() {
				t.Errorf("proposal %s action %d: undone in the log %t, undone at %s in the store", p.ID, x.Action, undone[p.ID], x.UndoneAt)
			}
		}
		if p.Status == proposal.StatusUndone {
			got.add(p.Agent, string(replay.Undone))
		}
	}
	// Approvals of revisions are counted with their edits in the log;
	// count them the same way from the store.
	for agent, m := range want {
		for _, what := range []string{"proposed", "edited", "rejected", "executed", "undone", "expired"} {
			if got[agent][what] != m[what] {
				t.Errorf("agent %s: %d %s in the store, %d in the log", agent, got[agent][what], what, m[what])
			}
		}
		if got[agent]["approved"] != m["approved"] {
			t.Errorf("agent %s: %d approvals in the store, %d in the log", agent, got[agent]["approved"], m["approved"])
		}
	}
	for agent := range got {
		if want[agent] == nil {
			t.Errorf("agent %s has proposals in the store and none in the log", agent)
		}
	}
}
