package campaignwatch

import (
	"context"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/towerops/tower/internal/demo"
	"github.com/towerops/tower/internal/ingest"
	"github.com/towerops/tower/internal/skill"
	"github.com/towerops/tower/internal/store"
	"github.com/towerops/tower/internal/store/eachbackend"
)

// TestDemoTruth runs campaign-watch as of the end of every day of the
// demo's six months and compares what it flags with the planted truth:
// the underperformers (precision and recall over campaigns, each flagged
// by the end of the day after its drop) and the brand-harming sends (each
// halted by the end of the day after they start). A flag on a campaign
// before its planted day counts as a false alarm.
func TestDemoTruth(t *testing.T) {
	if testing.Short() {
		t.Skip("generates and imports a demo, then watches six months of it")
	}
	ctx := context.Background()
	bundle := filepath.Join(t.TempDir(), "bundle")
	truth, err := demo.Generate(ctx, bundle, demo.Config{Seed: 1, People: 1500, Accounts: 150})
	if err != nil {
		t.Fatal(err)
	}
	drops, harms := map[string]time.Time{}, map[string]time.Time{}
	for _, f := range truth.Kind(demo.KindUnderperformance) {
		drops[f.Underperformance.CampaignID] = mustDate(t, f.Underperformance.Date)
	}
	for _, f := range truth.Kind(demo.KindBrandHarm) {
		harms[f.Harm.CampaignID] = mustDate(t, f.Harm.Date)
	}
	from, now := mustDate(t, truth.WindowStart), mustDate(t, truth.Now)
	eachbackend.Run(t, func(t *testing.T, st store.Store) {
		if _, err := ingest.ImportBundle(ctx, st, bundle, ingest.Options{ErrorsReport: "-"}); err != nil {
			t.Fatal(err)
		}
		m := Skill{}.Manifest()
		params, err := m.Resolve(nil)
		if err != nil {
			t.Fatal(err)
		}
		agents := []skill.Agent{{Name: "watch", Params: params}}
		firstFlag, firstHalt := map[string]time.Time{}, map[string]time.Time{}
		for day := from; day.Before(now); day = day.AddDate(0, 0, 1) {
			v := skill.NewView(st, day.Add(24*time.Hour-time.Second), nil, nil)
			drafts, err := Skill{}.Run(ctx, v, agents)
			if err != nil {
				t.Fatal(err)
			}
			for _, d := range drafts {
				id := d.Actions[0].Targets[0].ID
				first := firstFlag
				if strings.HasSuffix(d.Key, ":halt") {
					first = firstHalt
				}
				if _, ok := first[id]; !ok {
					first[id] = day
				}
			}
		}
		score(t, "underperformers", drops, firstFlag, harms)
		score(t, "brand harm", harms, firstHalt, nil)
	})
}

// score prints and checks precision, recall and delay. Campaigns in
// other are planted problems of another kind: flagging them is right,
// but not counted here.
func score(t *testing.T, what string, planted, first map[string]time.Time, other map[string]time.Time) {
	t.Helper()
	tp, fp, late := 0, 0, 0
	var delays []int
	for id, at := range first {
		onset, ok := planted[id]
		switch {
		case ok && !at.Before(onset):
			tp++
			delay := int(at.Sub(onset).Hours() / 24)
			delays = append(delays, delay)
			if delay > 1 {
				late++
				t.Logf("%s: %s flagged %d days after its onset %s", what, id, delay, onset.Format(time.DateOnly))
			}
		case ok:
			fp++
			t.Logf("%s: %s flagged on %s, before its onset %s", what, id, at.Format(time.DateOnly), onset.Format(time.DateOnly))
		default:
			if _, isOther := other[id]; !isOther {
				fp++
				t.Logf("%s: %s flagged on %s with nothing planted", what, id, at.Format(time.DateOnly))
			}
		}
	}
	onTime := tp - late
	precision := float64(tp) / float64(max(1, tp+fp))
	recall := float64(onTime) / float64(len(planted))
	slices.Sort(delays)
	t.Logf("%s: %d planted, %d flagged correctly (%d within a day), %d false; precision %.2f, recall within a day %.2f; delays in days %v",
		what, len(planted), tp, onTime, fp, precision, recall, delays)
	if precision < 0.95 || recall < 0.90 {
		t.Errorf("%s: precision %.2f (want >= 0.95), recall within a day %.2f (want >= 0.90)", what, precision, recall)
	}
}

func mustDate(t *testing.T, s string) time.Time {
	t.Helper()
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}
