package governance

import (
	"testing"
	"time"
)

// BenchmarkDecide measures one decision with the default pack: a
// one-action tag proposal and an e-mail notify, each with its autonomy
// level, as the fleet decides them.
func BenchmarkDecide(b *testing.B) {
	p, err := ParsePack(DefaultPackFiles())
	if err != nil {
		b.Fatal(err)
	}
	now := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	cases := map[string]DecideInput{
		"tag": {Now: now, Vars: []Vars{{
			Action:   ActionVars{Kind: "tag", Records: 40, People: 40, Systems: []string{"crm"}},
			Proposal: ProposalVars{Skill: "stale-consent", Confidence: 0.9, BlastRadius: 40, Actions: 1},
			Agent:    AgentVars{Name: "consent-eu", Owner: "dana", Autonomy: "approve"},
			Actor:    "agent:consent-eu", Now: now}}},
		"notify-email": {Now: now, Vars: []Vars{{
			Action:   ActionVars{Kind: "notify", Records: 1, People: 1, AudienceSize: 1, Channel: "email", EmailsPeople: true},
			Proposal: ProposalVars{Skill: "campaign-watch", Confidence: 0.8, BlastRadius: 1, Actions: 1},
			Agent:    AgentVars{Name: "watch", Owner: "dana", Autonomy: "auto"},
			Actor:    "agent:watch", Now: now}}},
	}
	for name, in := range cases {
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := p.Decide(in); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
