package crosssell

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/towerops/tower/internal/demo"
	"github.com/towerops/tower/internal/ingest"
	"github.com/towerops/tower/internal/knowledge"
	"github.com/towerops/tower/internal/proposal"
	"github.com/towerops/tower/internal/skill"
	"github.com/towerops/tower/internal/store"
	"github.com/towerops/tower/internal/store/eachbackend"
)

// TestDemoTruth runs the skill with its defaults on a generated demo and
// compares its offers with the planted truth: every customer holding
// Pipelines and Governance without Embedded is offered Embedded (recall),
// and few other offers are made (precision is logged and must be at
// least 0.75). TOWER_CROSSSELL_ACCOUNTS sets the demo's accounts (default
// 400, with ten people an account).
func TestDemoTruth(t *testing.T) {
	if testing.Short() {
		t.Skip("generates and imports a demo")
	}
	accounts := 400
	if s := os.Getenv("TOWER_CROSSSELL_ACCOUNTS"); s != "" {
		accounts, _ = strconv.Atoi(s)
	}
	ctx := context.Background()
	dir := t.TempDir()
	bundle := filepath.Join(dir, "bundle")
	truth, err := demo.Generate(ctx, bundle, demo.Config{Seed: 1, People: 10 * accounts, Accounts: accounts})
	if err != nil {
		t.Fatal(err)
	}
	now, err := time.Parse(time.DateOnly, truth.Now)
	if err != nil {
		t.Fatal(err)
	}
	kdir := filepath.Join(dir, "knowledge")
	if err := demo.WriteKnowledge(kdir); err != nil {
		t.Fatal(err)
	}
	know, err := knowledge.LoadAt(kdir, now)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]*demo.CrossSellFact{}
	for _, f := range truth.Kind(demo.KindCrossSell) {
		want[f.CrossSell.AccountID] = f.CrossSell
	}
	if len(want) == 0 {
		t.Fatal("the demo planted no cross-sell facts")
	}
	for _, f := range want {
		t.Logf("planted: %d customers, %d hold %v, %d of them %s; support %.4f confidence %.4f lift %.4f",
			f.Customers, f.HoldIf, f.RuleIf, f.HoldAll, f.RuleThen, f.Support, f.Confidence, f.Lift)
		break
	}
	eachbackend.Run(t, func(t *testing.T, st store.Store) {
		if _, err := ingest.ImportBundle(ctx, st, bundle, ingest.Options{ErrorsReport: "-"}); err != nil {
			t.Fatal(err)
		}
		m := Skill{}.Manifest()
		p, err := m.Resolve(nil)
		if err != nil {
			t.Fatal(err)
		}
		v := skill.NewView(st, now, m.Knowledge, know.Func())
		drafts, err := Skill{}.Run(ctx, v, []skill.Agent{{Name: "cross-sell", Params: p}})
		if err != nil {
			t.Fatal(err)
		}
		hit, extra := 0, 0
		seen := map[string]bool{}
		for _, d := range drafts {
			if err := d.Validate(); err != nil {
				t.Errorf("invalid draft: %v", err)
			}
			a := d.Actions[0]
			acc := a.Targets[0].ID
			if seen[acc] {
				t.Errorf("two offers for %s", acc)
			}
			seen[acc] = true
			f, planted := want[acc]
			if !planted {
				extra++
				t.Logf("offer not in the truth: %s — %s", d.Title, d.Rationale)
				continue
			}
			if d.Key != Key(acc, f.Offer) {
				t.Errorf("%s: key %s, want the planted product %s", acc, d.Key, f.Offer)
				continue
			}
			hit++
			n := a.Param("note")
			if a.Param("owner_id") != f.OwnerID || !strings.Contains(n, "Embedded pilot") || !strings.Contains(n, "2027-01-31") ||
				strings.Contains(n, "Summer governance bundle") || d.Confidence != f.Confidence && !near(d.Confidence, f.Confidence) {
				t.Errorf("%s: owner %s (truth %s), confidence %.4f (truth %.4f), note:\n%s", acc, a.Param("owner_id"), f.OwnerID, d.Confidence, f.Confidence, n)
			}
		}
		var missed []string
		for acc := range want {
			if !seen[acc] {
				missed = append(missed, acc)
			}
		}
		slices.Sort(missed)
		recall, precision := float64(hit)/float64(len(want)), 1.0
		if len(drafts) > 0 {
			precision = float64(hit) / float64(len(drafts))
		}
		t.Logf("%d accounts: %d planted, %d offers, %d right, %d others: recall %.2f, precision %.2f", accounts, len(want), len(drafts), hit, extra, recall, precision)
		if len(missed) > 0 {
			t.Errorf("no offer for planted accounts %v", missed)
		}
		if precision < 0.75 {
			t.Errorf("precision %.2f: %d offers beyond the %d planted", precision, extra, len(want))
		}
		if len(drafts) > 0 {
			d := drafts[0]
			t.Logf("first proposal: %s\n%s\nexpected value %s; evidence %v", d.Title, d.Actions[0].Param("note"),
				proposal.Dollars(d.ExpectedValue.PipelineUSD), d.Evidence.Facts)
		}
	})
}

func near(a, b float64) bool { return a-b < 1e-4 && b-a < 1e-4 }
