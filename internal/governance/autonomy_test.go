package governance

import (
	"context"
	"testing"

	"github.com/towerops/tower/internal/proposal"
	"github.com/towerops/tower/internal/store"
)

func act(k proposal.Kind) proposal.Action { return proposal.Action{Kind: k} }

func TestStrictestActionDecides(t *testing.T) {
	g := Autonomy{}
	cases := []struct {
		name     string
		actions  []proposal.Action
		override map[proposal.Kind]string
		effect   proposal.Effect
		autonomy string
		status   proposal.Status
	}{
		{"notify is auto by default", []proposal.Action{act(proposal.Notify)}, nil, proposal.EffectAllow, "auto", proposal.StatusAllowed},
		{"suppress needs approval by default", []proposal.Action{act(proposal.Suppress)}, nil, proposal.EffectRequireApproval, "approve", proposal.StatusPendingApproval},
		{"one action needing approval holds the proposal", []proposal.Action{act(proposal.Notify), act(proposal.Tag)}, nil, proposal.EffectRequireApproval, "approve", proposal.StatusPendingApproval},
		{"agent override to auto", []proposal.Action{act(proposal.Tag)}, map[proposal.Kind]string{proposal.Tag: "auto"}, proposal.EffectAllow, "auto", proposal.StatusAllowed},
		{"off denies the whole proposal", []proposal.Action{act(proposal.Notify), act(proposal.Tag)}, map[proposal.Kind]string{proposal.Tag: "off"}, proposal.EffectDeny, "off", proposal.StatusDenied},
		{"suggest holds", []proposal.Action{act(proposal.Tag)}, map[proposal.Kind]string{proposal.Tag: "suggest"}, proposal.EffectRequireApproval, "suggest", proposal.StatusPendingApproval},
		{"auto and auto-silent: the less silent wins", []proposal.Action{act(proposal.Notify), act(proposal.Tag)}, map[proposal.Kind]string{proposal.Tag: "auto-silent"}, proposal.EffectAllow, "auto", proposal.StatusAllowed},
		{"a bad override falls back to the default", []proposal.Action{act(proposal.Tag)}, map[proposal.Kind]string{proposal.Tag: "yolo"}, proposal.EffectRequireApproval, "approve", proposal.StatusPendingApproval},
	}
	for _, c := range cases {
		p := &proposal.Proposal{Actions: c.actions}
		d, err := g.Decide(context.Background(), Input{Proposal: p, Agent: store.Agent{Name: "a", Autonomy: c.override}})
		if err != nil {
			t.Fatal(err)
		}
		if d.Effect != c.effect || d.Autonomy != c.autonomy || StatusFor(d) != c.status {
			t.Errorf("%s: got %s/%s/%s, want %s/%s/%s (%s)", c.name, d.Effect, d.Autonomy, StatusFor(d), c.effect, c.autonomy, c.status, d.Reason)
		}
		if len(d.Rules) == 0 || d.Reason == "" {
			t.Errorf("%s: decision without rules or reason: %+v", c.name, d)
		}
	}
}
