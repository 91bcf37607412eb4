package main

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/towerops/tower/internal/demo"
	"github.com/towerops/tower/internal/fleet"
	"github.com/towerops/tower/internal/proposal"
)

// TestCampaignWatchSimulation replays the demo's six months day by day
// with `tower simulate` and compares what campaign-watch flags with the
// planted truth, on both backends: the underperformers (precision and
// recall over campaigns; recall counts only flags by the end of the day
// after the drop) and the brand-harming sends, which must be halted as
// quickly and which the default policy lets run on their own. A flag
// before a planted day counts as a false alarm.
func TestCampaignWatchSimulation(t *testing.T) {
	if testing.Short() {
		t.Skip("simulates six months of the demo")
	}
	bundle := filepath.Join(t.TempDir(), "bundle")
	mustCLI(t, nil, "demo", "--out", bundle, "--people", "1500", "--accounts", "150")
	truth, err := demo.LoadTruth(filepath.Join(bundle, "truth.json"))
	if err != nil {
		t.Fatal(err)
	}
	drops, harms := map[string]string{}, map[string]string{}
	for _, f := range truth.Kind(demo.KindUnderperformance) {
		drops[f.Underperformance.CampaignID] = f.Underperformance.Date
	}
	for _, f := range truth.Kind(demo.KindBrandHarm) {
		harms[f.Harm.CampaignID] = f.Harm.Date
	}
	now, _ := time.Parse(time.DateOnly, truth.Now)
	last := now.AddDate(0, 0, -1).Format(time.DateOnly)
	for name, envFor := range backends(t) {
		t.Run(name, func(t *testing.T) {
			env := envFor(t)
			ws := filepath.Join(t.TempDir(), "acme")
			mustCLI(t, env, "init", ws)
			env["TOWER_WORKSPACE"] = ws
			mustCLI(t, env, "import", bundle)
			agent := "[[agent]]\nname = \"watch\"\nskill = \"campaign-watch\"\nowner = \"ops\"\n"
			if err := os.WriteFile(filepath.Join(ws, "agents", "watch.toml"), []byte(agent), 0o644); err != nil {
				t.Fatal(err)
			}
			var res fleet.SimResult
			decode(t, mustCLI(t, env, "simulate", "--from", truth.WindowStart, "--to", last, "--skill", "campaign-watch", "--json"), &res)
			flagged, halted := map[string]string{}, map[string]string{}
			for _, d := range res.Days {
				for _, p := range d.Proposals {
					id := p.Actions[0].Targets[0].ID
					first := flagged
					if strings.HasSuffix(p.Key, ":halt") {
						first = halted
						if p.Status != proposal.StatusAllowed {
							t.Errorf("halt %s on %s: %s, want it to run on its own", p.Title, d.Date, p.Status)
						}
					}
					for _, a := range p.Actions {
						if a.Kind == proposal.PauseCampaign && a.Param("hard_limit") == "" && p.Status != proposal.StatusPendingApproval {
							t.Errorf("pause %q on %s: %s, want it held for a person", p.Title, d.Date, p.Status)
						}
					}
					if _, ok := first[id]; !ok {
						first[id] = d.Date
					}
				}
			}
			checkFlags(t, "underperformers", drops, flagged, harms)
			checkFlags(t, "brand harm", harms, halted, nil)
		})
	}
}

// checkFlags prints and checks precision, recall within a day and the
// delays. Campaigns in other carry a planted problem of another kind:
// flagging them is right, but not counted here.
func checkFlags(t *testing.T, what string, planted, first, other map[string]string) {
	t.Helper()
	tp, fp, onTime := 0, 0, 0
	var delays []int
	for id, at := range first {
		onset, ok := planted[id]
		if _, isOther := other[id]; !ok && isOther {
			continue
		}
		if !ok || at < onset {
			fp++
			t.Logf("%s: %s flagged on %s (planted: %q)", what, id, at, onset)
			continue
		}
		tp++
		a, _ := time.Parse(time.DateOnly, at)
		o, _ := time.Parse(time.DateOnly, onset)
		delay := int(a.Sub(o).Hours() / 24)
		delays = append(delays, delay)
		if delay <= 1 {
			onTime++
		}
	}
	precision := float64(tp) / float64(max(1, tp+fp))
	recall := float64(onTime) / float64(len(planted))
	slices.Sort(delays)
	t.Logf("%s: %d planted, %d flagged rightly (%d within a day), %d false; precision %.2f, recall within a day %.2f; delays in days %v",
		what, len(planted), tp, onTime, fp, precision, recall, delays)
	if len(planted) == 0 || precision < 0.95 || recall < 0.90 {
		t.Errorf("%s: precision %.2f (want >= 0.95), recall within a day %.2f (want >= 0.90)", what, precision, recall)
	}
}
