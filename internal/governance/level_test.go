package governance

import (
	"testing"

	"github.com/towerops/tower/internal/proposal"
	"github.com/towerops/tower/internal/store"
)

func TestLevelForOrder(t *testing.T) {
	c := AutonomyConfig{
		Defaults: map[proposal.Kind]Level{proposal.Tag: Auto, proposal.Notify: Approve},
		Skills:   map[string]map[proposal.Kind]Level{"hygiene": {proposal.Tag: Suggest, proposal.Suppress: AutoSilent}},
	}
	agent := store.Agent{Name: "a", Skill: "hygiene", Autonomy: map[proposal.Kind]string{proposal.Suppress: "approve", proposal.MergePeople: "nonsense"}}
	other := store.Agent{Name: "b", Skill: "other"}
	earned := &store.AutonomyTrack{Level: "auto"}
	streakOnly := &store.AutonomyTrack{Streak: 7}
	for _, tc := range []struct {
		name   string
		a      store.Agent
		kind   proposal.Kind
		track  *store.AutonomyTrack
		want   Level
		source LevelSource
	}{
		{"earned wins over the agent", agent, proposal.Suppress, earned, Auto, FromEarned},
		{"a track without a level does not count", agent, proposal.Suppress, streakOnly, Approve, FromAgent},
		{"agent override wins over the skill", agent, proposal.Suppress, nil, Approve, FromAgent},
		{"an unknown agent level falls through", agent, proposal.MergePeople, nil, Approve, FromDefault},
		{"skill wins over the pack default", agent, proposal.Tag, nil, Suggest, FromSkill},
		{"pack default", other, proposal.Tag, nil, Auto, FromPack},
		{"pack default over the built-in default", other, proposal.Notify, nil, Approve, FromPack},
		{"built-in default", other, proposal.CreateTask, nil, Auto, FromDefault},
		{"else approve", other, proposal.ShiftBudget, nil, Approve, FromDefault},
		{"demoted track wins over a configured auto", other, proposal.Tag, &store.AutonomyTrack{Level: "approve"}, Approve, FromEarned},
	} {
		t.Run(tc.name, func(t *testing.T) {
			l, src := c.LevelOf(tc.a, tc.kind, tc.track)
			if l != tc.want || src != tc.source {
				t.Errorf("LevelOf = %s from %s, want %s from %s", l, src, tc.want, tc.source)
			}
			l2, earnedLevel := c.LevelFor(tc.a, tc.kind, tc.track)
			if l2 != l || earnedLevel != (src == FromEarned) {
				t.Errorf("LevelFor = %s, %v; LevelOf = %s, %s", l2, earnedLevel, l, src)
			}
		})
	}
}

func TestLevelForDoesNotAllocate(t *testing.T) {
	c := AutonomyConfig{Skills: map[string]map[proposal.Kind]Level{"s": {proposal.Tag: Auto}}}
	a := store.Agent{Name: "a", Skill: "s", Autonomy: map[proposal.Kind]string{proposal.Notify: "approve"}}
	tr := &store.AutonomyTrack{Level: "auto"}
	allocs := testing.AllocsPerRun(100, func() {
		c.LevelFor(a, proposal.Tag, nil)
		c.LevelFor(a, proposal.Suppress, tr)
		c.LevelFor(a, proposal.Notify, nil)
		c.LevelFor(a, proposal.ShiftBudget, nil)
	})
	if allocs != 0 {
		t.Errorf("LevelFor allocates %.0f times per call set", allocs)
	}
}

func BenchmarkLevelFor(b *testing.B) {
	c := AutonomyConfig{Defaults: map[proposal.Kind]Level{proposal.Tag: Auto},
		Skills: map[string]map[proposal.Kind]Level{"s": {proposal.Suppress: Approve}}}
	a := store.Agent{Name: "a", Skill: "s"}
	for b.Loop() {
		c.LevelFor(a, proposal.Notify, nil)
	}
}
