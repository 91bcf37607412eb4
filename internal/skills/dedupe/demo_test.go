package dedupe

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/towerops/tower/internal/demo"
	"github.com/towerops/tower/internal/ingest"
	"github.com/towerops/tower/internal/proposal"
	"github.com/towerops/tower/internal/skill"
	"github.com/towerops/tower/internal/store"
	"github.com/towerops/tower/internal/store/eachbackend"
)

// TestDemoTruth runs the skill on a generated demo and scores its merge
// proposals against the planted duplicate pairs: a predicted pair is two
// people in one proposal; it is right when truth.json says their records
// are one human.
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
	eachbackend.Run(t, func(t *testing.T, st store.Store) {
		if _, err := ingest.ImportBundle(ctx, st, bundle, ingest.Options{ErrorsReport: "-"}); err != nil {
			t.Fatal(err)
		}
		personOf := func(r demo.RecordRef) int64 {
			recs, err := st.RecordsList(ctx, &store.RecordsListParams{System: r.System, SystemID: r.SystemID, Page: store.Page{Limit: 1}})
			if err != nil || len(recs) != 1 {
				t.Fatalf("record %s:%s: %v (%d found)", r.System, r.SystemID, err, len(recs))
			}
			return recs[0].PersonID
		}
		want := map[[2]int64]string{}
		for _, f := range truth.Facts {
			if f.Kind != demo.KindDuplicate {
				continue
			}
			a, b := personOf(f.Duplicate.A), personOf(f.Duplicate.B)
			if a == b {
				t.Fatalf("duplicate %s already linked on import", f.ID)
			}
			want[key(a, b)] = f.Duplicate.Variant
		}
		if len(want) == 0 {
			t.Fatal("the demo planted no duplicates")
		}
		params, err := Skill{}.Manifest().Resolve(nil)
		if err != nil {
			t.Fatal(err)
		}
		drafts, err := Skill{}.Run(ctx, skill.NewView(st, now, nil, nil), []skill.Agent{{Name: "dedupe", Owner: "ops", Params: params}})
		if err != nil {
			t.Fatal(err)
		}
		got := map[[2]int64]bool{}
		why := map[[2]int64]string{}
		for _, d := range drafts {
			if err := d.Validate(); err != nil {
				t.Fatalf("invalid draft %q: %v", d.Title, err)
			}
			ids := targetIDs(t, d.Actions[0])
			for i := range ids {
				for j := i + 1; j < len(ids); j++ {
					got[key(ids[i], ids[j])] = true
					why[key(ids[i], ids[j])] = d.Title
				}
			}
		}
		tp := 0
		for k := range got {
			if _, ok := want[k]; ok {
				tp++
			} else {
				t.Logf("false merge: people %d and %d (%s)", k[0], k[1], why[k])
			}
		}
		missed := map[string]int{}
		for k, variant := range want {
			if !got[k] {
				missed[variant]++
			}
		}
		precision, recall := float64(tp)/float64(max(len(got), 1)), float64(tp)/float64(len(want))
		t.Logf("dedupe on the demo: %d proposals, %d predicted pairs, %d true pairs; precision %.3f, recall %.3f; missed by variant %v",
			len(drafts), len(got), len(want), precision, recall, missed)
		if precision < 0.95 || recall < 0.65 {
			t.Errorf("precision %.3f, recall %.3f: below 0.95 / 0.65", precision, recall)
		}
	})
}

func key(a, b int64) [2]int64 {
	if a > b {
		a, b = b, a
	}
	return [2]int64{a, b}
}

func targetIDs(t *testing.T, a proposal.Action) []int64 {
	t.Helper()
	var out []int64
	for _, tg := range a.Targets {
		var id int64
		if _, err := fmt.Sscan(tg.ID, &id); err != nil {
			t.Fatalf("target %q: %v", tg.ID, err)
		}
		out = append(out, id)
	}
	return out
}
