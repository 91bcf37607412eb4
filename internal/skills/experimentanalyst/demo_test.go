package experimentanalyst

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

// TestDemoTruth imports a generated demo and runs the analyst on its
// planted A/B tests the way it runs in production: once a day, from each
// test's first day to its last (or the demo's now), peeking every day.
// Every planted winner must be declared, for the right variant, and the
// test planted with no difference must never get a winner. It also runs
// once as of the demo's now and checks every proposal against the truth.
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
	var facts []*demo.ABTestFact
	for _, f := range truth.Facts {
		if f.Kind == demo.KindABTest {
			facts = append(facts, f.ABTest)
		}
	}
	if len(facts) == 0 {
		t.Fatal("the demo planted no A/B tests")
	}
	params, err := Skill{}.Manifest().Resolve(nil)
	if err != nil {
		t.Fatal(err)
	}
	eachbackend.Run(t, func(t *testing.T, st store.Store) {
		if _, err := ingest.ImportBundle(ctx, st, bundle, ingest.Options{ErrorsReport: "-"}); err != nil {
			t.Fatal(err)
		}
		for _, f := range facts {
			first, _ := time.Parse(time.DateOnly, f.Start)
			last, _ := time.Parse(time.DateOnly, f.End)
			last = minTime(last, now)
			agent := skill.Agent{Name: "experiments", Params: params, Scope: store.Scope{Kind: "campaign", Values: []string{f.CampaignID}}}
			// Every distinct proposal of the daily runs, in order, until a
			// winner (a loser may be dropped first in a three-way test).
			var got []dated
			seen := map[string]bool{}
			day := 0
			for d := first; !d.After(last); d = d.AddDate(0, 0, 1) {
				day++
				// The end of day d: that day's row is in.
				at := d.Add(24*time.Hour - time.Minute)
				drafts, err := Skill{}.Run(ctx, skill.NewView(st, at, nil, nil), []skill.Agent{agent})
				if err != nil {
					t.Fatal(err)
				}
				won := false
				for _, dr := range drafts {
					if err := dr.Validate(); err != nil {
						t.Errorf("%s day %d: invalid draft: %v", f.Name, day, err)
					}
					if !seen[dr.Key] {
						seen[dr.Key] = true
						got = append(got, dated{dr, day})
					}
					_, w := winnerOf(dr)
					won = won || w
				}
				if won {
					break
				}
			}
			checkAgainstTruth(t, f, got, day)
		}

		// One run as of the demo's now: tests still running are judged
		// on everything so far; each proposal must agree with the truth.
		drafts, err := Skill{}.Run(ctx, skill.NewView(st, now, nil, nil), []skill.Agent{{Name: "experiments", Params: params}})
		if err != nil {
			t.Fatal(err)
		}
		byCampaign := map[string]*demo.ABTestFact{}
		for _, f := range facts {
			byCampaign[f.CampaignID] = f
		}
		for _, d := range drafts {
			if err := d.Validate(); err != nil {
				t.Errorf("invalid draft: %v", err)
			}
			id := d.Actions[0].Targets[0].ID
			f := byCampaign[id]
			if f == nil {
				t.Errorf("a proposal for campaign %s, which runs no planted test: %s", id, d.Title)
				continue
			}
			if arm, ok := winnerOf(d); ok && arm != f.Winner {
				t.Errorf("as of %s, %s: proposed winner %s, truth %q", truth.Now, f.Name, arm, f.Winner)
			}
			t.Logf("as of %s: %s", truth.Now, d.Title)
		}
		t.Logf("as of %s: %d proposals", truth.Now, len(drafts))
	})
}

// dated is a proposal and the day of the test it was first made on.
type dated struct {
	proposal.Draft
	day int
}

// checkAgainstTruth compares the proposals of a day-by-day run with the
// planted test: a winner must be the planted one (and never called where
// there is none), and a dropped variant must truly be worse than the best.
func checkAgainstTruth(t *testing.T, f *demo.ABTestFact, got []dated, days int) {
	t.Helper()
	rates := make([]string, 0, len(f.Variants))
	best := 0.0
	trueRate := map[string]float64{}
	for _, v := range f.Variants {
		rates = append(rates, v.Name+" "+pct(v.TrueRate))
		best = max(best, v.TrueRate)
		trueRate[v.Name] = v.TrueRate
	}
	desc := f.Name + " (" + f.Metric + ": " + strings.Join(rates, ", ") + ")"
	declared := ""
	for _, d := range got {
		if arm, ok := winnerOf(d.Draft); ok {
			declared = arm
			if arm != f.Winner {
				t.Errorf("%s: variant %s declared the winner on day %d; truth: %q", desc, arm, d.day, f.Winner)
				continue
			}
			t.Logf("%s: winner %s declared on day %d: %s", desc, arm, d.day, d.Title)
			continue
		}
		for _, a := range d.Actions {
			if a.Kind != proposal.UpdateField || a.Param("field") != "traits.traffic_split" {
				continue
			}
			for _, part := range strings.Split(a.Param("value"), ",") {
				arm, _, _ := strings.Cut(part, "=")
				delete(trueRate, arm)
			}
			for arm, rate := range trueRate {
				if rate >= best {
					t.Errorf("%s: day %d drops variant %s, which is truly among the best", desc, d.day, arm)
				}
			}
		}
		t.Logf("%s: day %d: %s", desc, d.day, d.Title)
	}
	switch {
	case f.Winner == "" && declared == "":
		t.Logf("%s: no real difference; no winner declared in %d days of daily looks", desc, days)
	case f.Winner != "" && declared == "":
		t.Errorf("%s: winner %s never declared in %d days of daily looks", desc, f.Winner, days)
	}
}

// winnerOf returns the variant a proposal sends all traffic to.
func winnerOf(d proposal.Draft) (string, bool) {
	for _, a := range d.Actions {
		if a.Kind == proposal.UpdateField && a.Param("field") == "traits.traffic_split" {
			if arm, ok := strings.CutSuffix(a.Param("value"), "=100"); ok {
				return arm, true
			}
		}
	}
	return "", false
}

func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}
