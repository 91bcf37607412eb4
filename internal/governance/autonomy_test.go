package governance

import (
	"testing"

	"github.com/towerops/tower/internal/proposal"
)

func TestLevelsAndStatuses(t *testing.T) {
	for _, l := range Levels() {
		if got, err := ParseLevel(string(l)); err != nil || got != l {
			t.Errorf("ParseLevel(%q) = %q, %v", l, got, err)
		}
	}
	if _, err := ParseLevel("autopilot"); err == nil {
		t.Error("ParseLevel accepted an unknown level")
	}
	for e, want := range map[proposal.Effect]proposal.Status{
		proposal.EffectAllow:           proposal.StatusAllowed,
		proposal.EffectRequireApproval: proposal.StatusPendingApproval,
		proposal.EffectDeny:            proposal.StatusDenied,
	} {
		if got := StatusFor(proposal.Decision{Effect: e}); got != want {
			t.Errorf("StatusFor(%s) = %s, want %s", e, got, want)
		}
	}
}
