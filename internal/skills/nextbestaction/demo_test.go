package nextbestaction

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/towerops/tower/internal/demo"
	"github.com/towerops/tower/internal/ingest"
	"github.com/towerops/tower/internal/proposal"
	"github.com/towerops/tower/internal/skill"
	"github.com/towerops/tower/internal/store"
	"github.com/towerops/tower/internal/store/eachbackend"
)

// TestDemo runs the skill on a generated demo on both backends and checks
// the proposals are sensible: valid, bounded, highest expected value
// first, one per account; customers only ever get their CSM, churned
// accounts never get sales, tasks go to a seller (sales) or a CSM
// (service-led), and no account below min_score gets anything.
func TestDemo(t *testing.T) {
	if testing.Short() {
		t.Skip("generates and imports a demo")
	}
	ctx := context.Background()
	bundle := filepath.Join(t.TempDir(), "bundle")
	truth, err := demo.Generate(ctx, bundle, demo.Config{Seed: 1, People: 1500, Accounts: 150})
	if err != nil {
		t.Fatal(err)
	}
	now, err := time.Parse(time.DateOnly, truth.Now)
	if err != nil {
		t.Fatal(err)
	}
	eachbackend.Run(t, func(t *testing.T, st store.Store) {
		if _, err := ingest.ImportBundle(ctx, st, bundle, ingest.Options{ErrorsReport: "-"}); err != nil {
			t.Fatal(err)
		}
		v := skill.NewView(st, now, nil, nil)
		drafts := run(t, v, nil)
		if len(drafts) == 0 || len(drafts) > 20 {
			t.Fatalf("%d proposals (want 1..20)", len(drafts))
		}
		// Without the bound every priority account is decided; customers
		// must then show up, all with their CSM.
		every := run(t, v, map[string]any{"max_proposals": 500})
		service := 0
		for _, d := range every {
			if d.Actions[0].Kind == proposal.CreateTask && strings.HasPrefix(d.Key, "nba:") && strings.HasSuffix(d.Key, ":"+string(Service)) {
				service++
			}
		}
		if service == 0 {
			t.Errorf("no service-led proposal among %d", len(every))
		}
		t.Logf("unbounded: %d proposals, %d service-led", len(every), service)
		ws, err := load(ctx, v, now.Add(-60*24*time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		check(t, ws, drafts, true)
		check(t, ws, every, false)
	})
}

func run(t *testing.T, v skill.View, over map[string]any) []proposal.Draft {
	t.Helper()
	p, err := Skill{}.Manifest().Resolve(over)
	if err != nil {
		t.Fatal(err)
	}
	drafts, err := Skill{}.Run(context.Background(), v, []skill.Agent{{Name: "nba", Params: p}})
	if err != nil {
		t.Fatal(err)
	}
	return drafts
}

func check(t *testing.T, ws *workspace, drafts []proposal.Draft, verbose bool) {
	t.Helper()
	{
		seen := map[string]bool{}
		counts := map[proposal.Kind]int{}
		prev := 1e18
		for _, d := range drafts {
			if err := d.Validate(); err != nil {
				t.Errorf("invalid draft: %v", err)
			}
			if d.ExpectedValue.PipelineUSD > prev {
				t.Errorf("%s: not in expected-value order", d.Title)
			}
			prev = d.ExpectedValue.PipelineUSD
			if d.Confidence < 0.10 {
				t.Errorf("%s: likelihood %.2f below min_score", d.Title, d.Confidence)
			}
			act := d.Actions[0]
			counts[act.Kind]++
			var acct string
			switch act.Kind {
			case proposal.CreateTask:
				acct = act.Targets[0].ID
			case proposal.Tag:
				pid := act.Targets[0].ID
				for _, pp := range ws.people {
					if personID(pp) == pid {
						acct = pp.AccountID
					}
				}
			}
			a := ws.accounts[acct]
			if seen[acct] {
				t.Errorf("two proposals for account %s", acct)
			}
			seen[acct] = true
			owner := ws.owners[act.Param("owner_id")]
			switch {
			case a.LifecycleStage == "churned" && act.Kind == proposal.CreateTask:
				t.Errorf("%s: a task for churned account %s", d.Title, a.Name)
			case a.LifecycleStage == "customer" && act.Kind == proposal.CreateTask && owner.Team != "cs":
				t.Errorf("%s: customer %s handed to %s (%s), not a CSM", d.Title, a.Name, owner.Name, owner.Team)
			case a.LifecycleStage != "customer" && act.Kind == proposal.CreateTask && owner.ID != a.OwnerID:
				t.Errorf("%s: task for %s, not the account's owner %s", d.Title, owner.Name, a.OwnerID)
			}
			if verbose {
				t.Logf("%-12s %-12s %s", a.LifecycleStage, act.Kind, d.Title)
			}
		}
		t.Logf("%d proposals: %d tasks, %d nurture tags", len(drafts), counts[proposal.CreateTask], counts[proposal.Tag])
	}
}
