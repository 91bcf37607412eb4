package governance

import (
	"github.com/towerops/tower/internal/proposal"
	"github.com/towerops/tower/internal/store"
)

// LevelSource says where an agent's level for a kind comes from.
type LevelSource string

// Where a level can come from, most specific first.
const (
	FromEarned  LevelSource = "earned"  // promoted or demoted by its track record
	FromAgent   LevelSource = "agent"   // the agent's own override (agents/*.toml)
	FromSkill   LevelSource = "skill"   // the pack's level for the agent's skill
	FromPack    LevelSource = "pack"    // the pack's default for the kind
	FromDefault LevelSource = "default" // Tower's built-in default
)

// LevelFor returns the autonomy level for kind: the agent's earned level,
// else its override, else the skill's, else the defaults; earned says
// whether it was earned. It runs for every action of every decision, so
// it only reads maps and allocates nothing.
func (c AutonomyConfig) LevelFor(a store.Agent, kind proposal.Kind, track *store.AutonomyTrack) (l Level, earned bool) {
	l, src := c.LevelOf(a, kind, track)
	return l, src == FromEarned
}

// LevelOf is LevelFor that also says where the level comes from, for
// people asking "why may this agent do that on its own?".
func (c AutonomyConfig) LevelOf(a store.Agent, kind proposal.Kind, track *store.AutonomyTrack) (Level, LevelSource) {
	if track != nil {
		if l, ok := levelNamed(track.Level); ok {
			return l, FromEarned
		}
	}
	if l, ok := levelNamed(a.Autonomy[kind]); ok {
		return l, FromAgent
	}
	if l, ok := c.Skills[a.Skill][kind]; ok && l.valid() {
		return l, FromSkill
	}
	if l, ok := c.Defaults[kind]; ok && l.valid() {
		return l, FromPack
	}
	if l, ok := DefaultLevels[kind]; ok {
		return l, FromDefault
	}
	return Approve, FromDefault
}

// levelNamed is ParseLevel without the error message (or its
// allocation): a level configured under a wrong name does not apply.
func levelNamed(s string) (Level, bool) {
	l := Level(s)
	return l, l.valid()
}

func (l Level) valid() bool {
	switch l {
	case Off, Suggest, Approve, Auto, AutoSilent:
		return true
	}
	return false
}

// above reports whether l lets an agent do more on its own than m.
func (l Level) above(m Level) bool { return rank(l) > rank(m) }
