package licenseauditor

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/towerops/tower/internal/proposal"
	"github.com/towerops/tower/internal/skill"
	"github.com/towerops/tower/internal/store"
	"github.com/towerops/tower/internal/store/eachbackend"
)

func agent(t *testing.T, name string, over map[string]any) skill.Agent {
	p, err := Skill{}.Manifest().Resolve(over)
	if err != nil {
		t.Fatal(err)
	}
	return skill.Agent{Name: name, Owner: "maria", Params: p}
}

func TestManifest(t *testing.T) {
	m := Skill{}.Manifest()
	if err := m.Validate(); err != nil {
		t.Fatal(err)
	}
	if got, err := skill.Lookup(Name); err != nil || got.Manifest().Name != Name {
		t.Fatalf("the skill is not registered: %v", err)
	}
	if _, err := m.Resolve(map[string]any{"idle_days": "sixty"}); err == nil {
		t.Error("idle_days must be a duration")
	}
}

func TestSkillProposals(t *testing.T) {
	eachbackend.Run(t, func(t *testing.T, st store.Store) {
		fixture(t, st)
		v := skill.NewView(st, now, nil, nil)
		drafts, err := Skill{}.Run(context.Background(), v, []skill.Agent{agent(t, "seats", nil), agent(t, "strict", map[string]any{"idle_days": "60d"})})
		if err != nil {
			t.Fatal(err)
		}
		var keys []string
		seats := map[string]any{}
		for _, d := range drafts {
			if err := d.Validate(); err != nil {
				t.Errorf("invalid draft %q: %v", d.Title, err)
			}
			keys = append(keys, d.Agent+"/"+d.Key)
			if d.Actions[0].Kind == proposal.CutLicenseSeats {
				seats[d.Agent+"/"+d.Actions[0].Targets[0].ID] = d.Actions[0].Params["seats"]
			}
		}
		// Braze renews within 90 days, so it comes first; Gong has nothing
		// to reclaim; the esp overlap is one note.
		want := "seats/license:Braze seats/license:Iterable seats/overlap:esp strict/license:Braze strict/license:Iterable strict/overlap:esp"
		if strings.Join(keys, " ") != want {
			t.Fatalf("keys %v\nwant %s", keys, want)
		}
		for k, n := range map[string]int{"seats/Braze": 5, "seats/Iterable": 2, "strict/Braze": 4, "strict/Iterable": 1} {
			if seats[k] != n {
				t.Errorf("%s: cut to %v seats, want %d", k, seats[k], n)
			}
		}
		braze := drafts[0]
		if braze.ExpectedValue.SavingsUSD != 7200 || len(braze.ExpectedValue.Assumptions) == 0 {
			t.Errorf("Braze value %+v", braze.ExpectedValue)
		}
		if !now.Add(braze.TTL).Before(time.Date(2026, 12, 20, 0, 0, 0, 0, time.UTC)) {
			t.Errorf("the Braze proposal (TTL %s) must expire before the renewal on 2026-12-20", braze.TTL)
		}
		facts := map[string]any{}
		for _, f := range braze.Evidence.Facts {
			facts[f.Name] = f.Value
		}
		if facts["idle: e@x.com"] != "never" || facts["idle: d@x.com"] != daysAgo(100).Format(time.DateOnly) ||
			facts["unassigned seats"] != 3 || facts["integration (kept): braze-connector@x.com"] == nil {
			t.Errorf("Braze evidence %+v", braze.Evidence.Facts)
		}
		if _, ok := facts["idle: a@x.com"]; ok {
			t.Error("an active user is listed as idle")
		}
		note := drafts[2]
		if note.Actions[0].Kind != proposal.Notify || note.ExpectedValue.SavingsUSD != 720 ||
			!strings.Contains(note.Actions[0].Params["message"].(string), "Iterable into Braze") {
			t.Errorf("overlap note %+v", note)
		}

		// A second run proposes the same keys: the runtime keeps one open
		// proposal per key, so nothing is duplicated.
		again, err := Skill{}.Run(context.Background(), v, []skill.Agent{agent(t, "seats", nil)})
		if err != nil {
			t.Fatal(err)
		}
		for i, d := range again {
			if d.Key != drafts[i].Key || d.Title != drafts[i].Title {
				t.Errorf("re-run draft %d: %q %q, first run %q %q", i, d.Key, d.Title, drafts[i].Key, drafts[i].Title)
			}
		}
	})
}
