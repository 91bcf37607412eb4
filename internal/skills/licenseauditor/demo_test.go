package licenseauditor

import (
	"context"
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

// TestDemoTruth audits a generated demo and compares every tool with the
// planted truth: idle users, reclaimable seats and monthly waste exactly;
// and the skill proposes a cut for every tool with reclaimable seats and
// for no other (recall and precision 1.0; with seed 1 Iterable has
// nothing to reclaim, so precision is tested too).
func TestDemoTruth(t *testing.T) {
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
	facts := map[string]*demo.IdleLicensesFact{}
	for _, f := range truth.Facts {
		if f.Kind == demo.KindIdleLicenses {
			facts[f.IdleLicenses.Tool] = f.IdleLicenses
		}
	}
	if len(facts) == 0 {
		t.Fatal("the demo planted no licence facts")
	}
	eachbackend.Run(t, func(t *testing.T, st store.Store) {
		if _, err := ingest.ImportBundle(ctx, st, bundle, ingest.Options{ErrorsReport: "-"}); err != nil {
			t.Fatal(err)
		}
		rep, err := Audit(ctx, st, now, Options{})
		if err != nil {
			t.Fatal(err)
		}
		if len(rep.Tools) != len(facts) {
			t.Fatalf("audited %d tools, truth has %d", len(rep.Tools), len(facts))
		}
		wantCut := map[string]bool{}
		for tool, f := range facts {
			got := rep.Tool(tool)
			if got == nil {
				t.Errorf("%s: not audited", tool)
				continue
			}
			idle := emails(got.Idle)
			want := slices.Sorted(slices.Values(f.Idle90))
			slices.Sort(idle)
			if !slices.Equal(idle, want) {
				t.Errorf("%s: idle %v, truth %v", tool, idle, want)
			}
			if got.Reclaimable != f.ReclaimableSeats || got.MonthlyWaste != f.MonthlyWaste || got.Unassigned != f.Unassigned {
				t.Errorf("%s: reclaimable %d (truth %d), waste %.2f (truth %.2f), unassigned %d (truth %d)",
					tool, got.Reclaimable, f.ReclaimableSeats, got.MonthlyWaste, f.MonthlyWaste, got.Unassigned, f.Unassigned)
			}
			integ := emails(got.Integration)
			slices.Sort(integ)
			if !slices.Equal(integ, slices.Sorted(slices.Values(f.Excluded))) {
				t.Errorf("%s: integrations %v, truth %v", tool, integ, f.Excluded)
			}
			if f.ReclaimableSeats > 0 {
				wantCut[tool] = true
			}
		}
		p, err := Skill{}.Manifest().Resolve(nil)
		if err != nil {
			t.Fatal(err)
		}
		drafts, err := Skill{}.Run(ctx, skill.NewView(st, now, nil, nil), []skill.Agent{{Name: "seats", Params: p}})
		if err != nil {
			t.Fatal(err)
		}
		gotCut := map[string]bool{}
		for _, d := range drafts {
			if err := d.Validate(); err != nil {
				t.Errorf("invalid draft: %v", err)
			}
			if d.Actions[0].Kind == proposal.CutLicenseSeats {
				tool := d.Actions[0].Targets[0].ID
				if gotCut[tool] {
					t.Errorf("two proposals for %s", tool)
				}
				gotCut[tool] = true
				if n := d.Actions[0].Params["seats"].(int); n != facts[tool].Seats-facts[tool].ReclaimableSeats {
					t.Errorf("%s: cut to %d seats, truth says %d", tool, n, facts[tool].Seats-facts[tool].ReclaimableSeats)
				}
			}
		}
		for tool := range wantCut {
			if !gotCut[tool] {
				t.Errorf("no proposal for %s, which has %d reclaimable seats", tool, facts[tool].ReclaimableSeats)
			}
		}
		for tool := range gotCut {
			if !wantCut[tool] {
				t.Errorf("a proposal for %s, which has nothing to reclaim", tool)
			}
		}
		t.Logf("%d tools, %d with reclaimable seats, %d proposals; annual saving %s", len(facts), len(wantCut), len(drafts), proposal.Dollars(rep.Totals.AnnualSaving))
	})
}
