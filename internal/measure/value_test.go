package measure

import (
	"testing"
	"time"

	"github.com/towerops/tower/internal/proposal"
)

func TestModelsCoverEveryKind(t *testing.T) {
	ms := Models()
	kinds := proposal.Kinds()
	if len(ms) != len(kinds) {
		t.Fatalf("%d models for %d kinds", len(ms), len(kinds))
	}
	for i, m := range ms {
		if m.Kind != kinds[i] {
			t.Errorf("model %d is %q, want %q (by kind)", i, m.Kind, kinds[i])
		}
		if _, known := models[m.Kind]; !known {
			t.Errorf("%s has no model of its own", m.Kind)
		}
		if m.Estimate == "" || m.Realise == "" || m.After <= 0 {
			t.Errorf("%s model incomplete: %+v", m.Kind, m)
		}
	}
}

func TestModelAfter(t *testing.T) {
	for k, want := range map[proposal.Kind]time.Duration{
		proposal.CutLicenseSeats:  14 * day24,
		proposal.Tag:              7 * day24,
		proposal.FixTemplate:      7 * day24,
		proposal.PauseCampaign:    3 * day24,
		proposal.Notify:           day24,
		proposal.CreateTask:       day24,
		proposal.Kind("teleport"): 7 * day24,
	} {
		if got := ModelFor(k); got.After != want || got.Kind != k {
			t.Errorf("ModelFor(%s) = kind %q after %v, want after %v", k, got.Kind, got.After, want)
		}
	}
	// A proposal is measured when its slowest kind is due.
	p := &proposal.Proposal{Actions: []proposal.Action{{Kind: proposal.Notify}, {Kind: proposal.CutLicenseSeats}, {Kind: proposal.Tag}}}
	if got := afterOf(p); got != 14*day24 {
		t.Errorf("afterOf(notify, cut, tag) = %v, want 14 days", got)
	}
}
