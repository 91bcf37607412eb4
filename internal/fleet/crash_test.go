package fleet

import (
	"bufio"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/towerops/tower/internal/foundation"
	"github.com/towerops/tower/internal/proposal"
	"github.com/towerops/tower/internal/store"
	"github.com/towerops/tower/internal/store/postgres"

	_ "github.com/towerops/tower/internal/store/sqlite" // the sqlite: URL scheme
)

// The crash test runs executions in a child process (this test binary,
// re-run with crashChildEnv set) and kills it with SIGKILL at random
// moments, at least crashKills times, restarting it after each kill. In
// the end every action must have been applied exactly once: budgets moved
// by exactly the sum of the shifts, one task and one notification per
// proposal, one execution record per action, and an intact audit chain.
const (
	crashChildEnv = "TOWER_CRASH_CHILD_DB"
	crashKills    = 20
	crashProps    = 300
)

// TestCrashChild is the child: it executes everything ready, then exits.
// It does nothing unless started by TestSIGKILLDuringExecution.
func TestCrashChild(t *testing.T) {
	url := os.Getenv(crashChildEnv)
	if url == "" {
		t.Skip("only runs as the child of TestSIGKILLDuringExecution")
	}
	ctx := context.Background()
	st, err := store.Open(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	fmt.Println("ready")
	lc := &Lifecycle{Store: st, AfterExecute: func(string) { fmt.Println("executed") }}
	if _, failed, err := lc.ExecuteReady(ctx); err != nil || failed > 0 {
		t.Fatalf("execute: %d failed, %v", failed, err)
	}
	fmt.Println("done")
}

func TestSIGKILLDuringExecution(t *testing.T) {
	if os.Getenv(crashChildEnv) != "" {
		t.Skip("child")
	}
	if testing.Short() {
		t.Skip("the crash loop is skipped with -short")
	}
	t.Run("sqlite", func(t *testing.T) {
		crashLoop(t, "sqlite:"+filepath.Join(t.TempDir(), "crash.db"))
	})
	t.Run("postgres", func(t *testing.T) {
		crashLoop(t, postgres.TestURL(t))
	})
}

func crashLoop(t *testing.T, url string) {
	ctx := context.Background()
	st, err := store.Open(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if _, err := st.MigrateUp(ctx); err != nil {
		t.Fatal(err)
	}
	seedCrash(t, st)
	rng := rand.New(rand.NewPCG(7, uint64(time.Now().UnixNano())))
	kills, finished, midway := 0, false, 0
	var progress []int
	for attempt := 0; !finished && attempt < 200; attempt++ {
		cmd := exec.Command(os.Args[0], "-test.run=^TestCrashChild$", "-test.count=1")
		cmd.Env = append(os.Environ(), crashChildEnv+"="+url)
		out, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		cmd.Stderr = os.Stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		lines := bufio.NewScanner(out)
		ready := false
		for !ready && lines.Scan() {
			ready = lines.Text() == "ready"
		}
		// Kill after 1 to 3 proposals of this run were executed, a few
		// milliseconds into the next one: always in the middle of work.
		killed := false
		wait := 1 + rng.IntN(3)
		for kills < crashKills && !killed && lines.Scan() {
			switch lines.Text() {
			case "executed":
				if wait--; wait == 0 {
					time.Sleep(time.Duration(rng.IntN(4)) * time.Millisecond)
					killed = cmd.Process.Signal(syscall.SIGKILL) == nil
				}
			case "done":
				finished = true
			}
		}
		for lines.Scan() {
			finished = finished || lines.Text() == "done"
		}
		_ = cmd.Wait()
		if killed && !finished {
			kills++
			n := actionsDone(t, st)
			if len(progress) == 0 || n > progress[len(progress)-1] {
				midway++
			}
			progress = append(progress, n)
		}
	}
	t.Logf("actions executed after each kill: %v", progress)
	if kills < crashKills || !finished {
		t.Fatalf("%d kills, finished %v", kills, finished)
	}
	if midway < crashKills/2 {
		t.Fatalf("only %d of %d kills landed while executions were under way", midway, kills)
	}
	checkExactlyOnce(t, st)
}

// actionsDone counts the actions recorded as executed, from the audit log.
func actionsDone(t *testing.T, st store.Store) int {
	entries, err := st.AuditList(context.Background(), &store.AuditListParams{Limit: 100000})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, e := range entries {
		if e.Action == "execution.done" {
			n++
		}
	}
	return n
}

var crashBudgets = map[string]float64{"C-FROM": 10000, "C-TO": 500}

func seedCrash(t *testing.T, st store.Store) {
	ctx := context.Background()
	var camps []foundation.Campaign
	for id, b := range crashBudgets {
		camps = append(camps, foundation.Campaign{ID: id, Name: id, Channel: "email", Budget: b})
	}
	if _, err := st.CampaignsUpsert(ctx, &store.CampaignsUpsertParams{Campaigns: camps}); err != nil {
		t.Fatal(err)
	}
	if err := st.AgentsUpsert(ctx, &store.AgentsUpsertParams{Agents: []store.Agent{{Name: "crash", Skill: "test-fleet", Owner: "maria", State: store.AgentActive}}}); err != nil {
		t.Fatal(err)
	}
	now := time.Now().UTC()
	var props []proposal.Proposal
	for i := 0; i < crashProps; i++ {
		shift := proposal.Action{Kind: proposal.ShiftBudget, Targets: []proposal.Target{{Type: proposal.TargetCampaign, ID: "C-FROM"}, {Type: proposal.TargetCampaign, ID: "C-TO"}},
			Params: map[string]any{"amount": 1.0}}
		d := proposal.Draft{Agent: "crash", Title: "crash " + strconv.Itoa(i), Key: "k" + strconv.Itoa(i), Confidence: 1, Actions: []proposal.Action{
			shift, shift, shift,
			{Kind: proposal.CreateTask, Targets: []proposal.Target{{Type: proposal.TargetCampaign, ID: "C-TO"}}, Params: map[string]any{"title": "check " + strconv.Itoa(i)}},
			{Kind: proposal.Notify, Targets: []proposal.Target{{Type: proposal.TargetOwner, ID: "maria"}}, Params: map[string]any{"message": "shifted"}},
		}}
		p := proposal.New(d, "test-fleet", now)
		p.Status = proposal.StatusAllowed
		p.Decision = &proposal.Decision{Effect: proposal.EffectAllow, Autonomy: "auto", Rules: []string{"test"}, DecidedAt: now}
		props = append(props, p)
	}
	if _, err := st.ProposalsInsert(ctx, &store.ProposalsInsertParams{Proposals: props}); err != nil {
		t.Fatal(err)
	}
}

func checkExactlyOnce(t *testing.T, st store.Store) {
	ctx := context.Background()
	counts, err := st.ProposalsCount(ctx, &store.ProposalsListParams{})
	if err != nil {
		t.Fatal(err)
	}
	if counts[proposal.StatusExecuted] != crashProps {
		t.Fatalf("statuses after the crashes: %v; want all %d executed", counts, crashProps)
	}
	for id, want := range map[string]float64{"C-FROM": crashBudgets["C-FROM"] - 3*crashProps, "C-TO": crashBudgets["C-TO"] + 3*crashProps} {
		c, err := st.CampaignGet(ctx, &store.CampaignGetParams{ID: id})
		if err != nil {
			t.Fatal(err)
		}
		if c.Campaign.Budget != want {
			t.Errorf("budget of %s is %v, want %v: a shift was applied more or less than once", id, c.Campaign.Budget, want)
		}
	}
	tasks, _ := st.TasksList(ctx, &store.TasksListParams{Page: store.Page{Limit: 10000}})
	notes, _ := st.NotificationsList(ctx, &store.NotificationsListParams{Page: store.Page{Limit: 10000}})
	if len(tasks) != crashProps || len(notes) != crashProps {
		t.Errorf("%d tasks and %d notifications, want %d of each", len(tasks), len(notes), crashProps)
	}
	ps, _ := st.ProposalsList(ctx, &store.ProposalsListParams{Page: store.Page{Limit: 10000}})
	for _, p := range ps {
		ex, err := st.ExecutionsList(ctx, &store.ExecutionsListParams{ProposalID: p.ID})
		if err != nil || len(ex) != len(p.Actions) {
			t.Fatalf("proposal %s: %d execution records for %d actions (%v)", p.ID, len(ex), len(p.Actions), err)
		}
	}
	entries, _ := st.AuditList(ctx, &store.AuditListParams{Limit: 100000})
	done := 0
	for _, e := range entries {
		if e.Action == "execution.done" {
			done++
		}
	}
	if done != crashProps*5 {
		t.Errorf("%d execution.done audit entries, want %d", done, crashProps*5)
	}
	verifyAudit(t, st)
}
