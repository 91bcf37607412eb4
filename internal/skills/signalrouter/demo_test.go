package signalrouter

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/towerops/tower/internal/demo"
	"github.com/towerops/tower/internal/ingest"
	"github.com/towerops/tower/internal/proposal"
	"github.com/towerops/tower/internal/skill"
	"github.com/towerops/tower/internal/store"
	"github.com/towerops/tower/internal/store/eachbackend"
)

// TestDemoTruth routes a generated demo's signals and checks every
// planted routing case: the person's follow-up goes to an expected owner
// by the expected rule, and an unowned account is given to that owner.
func TestDemoTruth(t *testing.T) {
	if testing.Short() {
		t.Skip("generates and imports a demo")
	}
	checkDemo(t, demo.Config{Seed: 1, People: 3000, Accounts: 300}, eachbackend.Run)
}

// TestDemoTruthFullSize checks the default 50,000-person demo, whose
// background signals load the owners far more (about a minute on SQLite;
// set TOWER_ROUTER_FULL_DEMO=1).
func TestDemoTruthFullSize(t *testing.T) {
	if os.Getenv("TOWER_ROUTER_FULL_DEMO") == "" {
		t.Skip("set TOWER_ROUTER_FULL_DEMO=1 to route the full-size demo")
	}
	checkDemo(t, demo.Config{}, func(t *testing.T, fn func(*testing.T, store.Store)) { fn(t, eachbackend.SQLite(t)) })
}

func checkDemo(t *testing.T, cfg demo.Config, backends func(*testing.T, func(*testing.T, store.Store))) {
	ctx := context.Background()
	bundle := filepath.Join(t.TempDir(), "bundle")
	truth, err := demo.Generate(ctx, bundle, cfg)
	if err != nil {
		t.Fatal(err)
	}
	now, err := time.Parse(time.DateOnly, truth.Now)
	if err != nil {
		t.Fatal(err)
	}
	cases := truth.Kind(demo.KindRoutingCase)
	if len(cases) < 8 {
		t.Fatalf("the demo planted %d routing cases", len(cases))
	}
	backends(t, func(t *testing.T, st store.Store) {
		if _, err := ingest.ImportBundle(ctx, st, bundle, ingest.Options{ErrorsReport: "-"}); err != nil {
			t.Fatal(err)
		}
		drafts, err := Skill{}.Run(ctx, skill.NewView(st, now, nil, nil), []skill.Agent{agent(t, "router", store.Scope{}, nil)})
		if err != nil {
			t.Fatal(err)
		}
		tasks, assigns, other := summarize(t, drafts)
		if len(other) != 0 {
			t.Errorf("%d drafts that are neither a routing task nor an assignment (nobody had room?): %s", len(other), other[0].Title)
		}
		for _, f := range cases {
			c := f.Routing
			got, ok := tasks[c.Email]
			if !ok {
				t.Errorf("%s: not routed", f.Summary)
				continue
			}
			if !slices.Contains(c.ExpectedOwners, got.owner) || got.rule != c.Rule && c.Variant != demo.RouteFiller {
				t.Errorf("%s: routed to %s by %s, want one of %v by %s (%s)", f.Summary, got.owner, got.rule, c.ExpectedOwners, c.Rule, c.Why)
			}
			if c.AssignAccount && assigns[c.AccountID] != got.owner {
				t.Errorf("%s: account %s given to %q, want %s", f.Summary, c.AccountID, assigns[c.AccountID], got.owner)
			}
			if !c.AssignAccount && c.AccountID != "" && assigns[c.AccountID] != "" {
				t.Errorf("%s: owned account %s given away", f.Summary, c.AccountID)
			}
		}
		rules := map[string]int{}
		for _, r := range tasks {
			rules[r.rule]++
		}
		t.Logf("%d planted cases; %d people routed (%v), %d accounts assigned", len(cases), len(tasks), rules, len(assigns))
		if n := countKind(drafts, proposal.CreateTask); n != len(tasks) {
			t.Errorf("%d task drafts for %d people", n, len(tasks))
		}
	})
}

func countKind(ds []proposal.Draft, k proposal.Kind) int {
	n := 0
	for _, d := range ds {
		if d.Actions[0].Kind == k {
			n++
		}
	}
	return n
}
