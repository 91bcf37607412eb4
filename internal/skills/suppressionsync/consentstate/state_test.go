package consentstate

import (
	"testing"
	"time"

	"github.com/towerops/tower/internal/foundation"
)

var t0 = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

func fact(id int64, sys string, s foundation.ConsentStatus, days int, reason string) foundation.Consent {
	return foundation.Consent{ID: id, System: sys, SystemID: sys + "1", Channel: foundation.ChannelEmail, Status: s,
		Reason: reason, At: t0.AddDate(0, 0, days), RecordID: id}
}

// TestDecide is the precedence table of DOMAIN §1.1 as this package reads
// it: the most restrictive live consent fact governs, a newer explicit
// opt-in clears an older complaint or unsubscribe but never a
// do-not-contact, copies of an opt-in do not count, bounces never govern.
func TestDecide(t *testing.T) {
	const (
		sub   = foundation.StatusSubscribed
		unsub = foundation.StatusUnsubscribed
		comp  = foundation.StatusComplaint
		dnc   = foundation.StatusDoNotContact
		hard  = foundation.StatusHardBounce
		soft  = foundation.StatusSoftBounce
	)
	cases := []struct {
		name       string
		facts      []foundation.Consent
		rule       OptInRule
		governing  int64 // fact id, 0 for none
		overridden int
	}{
		{"only opt-ins", []foundation.Consent{fact(1, "crm", sub, 0, "form")}, OptInRule{}, 0, 0},
		{"unsubscribe after opt-in", []foundation.Consent{fact(1, "crm", sub, 0, "form"), fact(2, "esp", unsub, 5, "footer")}, OptInRule{}, 2, 0},
		{"complaint beats unsubscribe", []foundation.Consent{fact(1, "map", unsub, 1, ""), fact(2, "esp", comp, 5, "ARF")}, OptInRule{}, 2, 0},
		{"unsubscribe beats do-not-contact", []foundation.Consent{fact(1, "crm", dnc, 1, "legal"), fact(2, "esp", unsub, 5, "")}, OptInRule{}, 2, 0},
		{"oldest of equals is the original", []foundation.Consent{fact(1, "map", unsub, 1, "footer"), fact(2, "crm", unsub, 1, "Synced from map: footer")}, OptInRule{}, 1, 0},
		{"newer opt-in clears unsubscribe", []foundation.Consent{fact(1, "map", unsub, 1, ""), fact(2, "esp", sub, 9, "Re-subscribed via preference centre")}, OptInRule{}, 0, 1},
		{"newer opt-in clears complaint", []foundation.Consent{fact(1, "esp", comp, 1, "ARF"), fact(2, "map", sub, 9, "double opt-in")}, OptInRule{}, 0, 1},
		{"opt-in never clears do-not-contact", []foundation.Consent{fact(1, "crm", dnc, 1, "legal"), fact(2, "map", sub, 9, "form")}, OptInRule{}, 1, 0},
		{"older opt-in does not clear", []foundation.Consent{fact(1, "map", sub, 0, "form"), fact(2, "esp", unsub, 3, "")}, OptInRule{}, 2, 0},
		{"a synced copy is not an opt-in", []foundation.Consent{fact(1, "map", unsub, 1, ""), fact(2, "esp", sub, 9, "Synced from crm (opted in)")}, OptInRule{}, 1, 0},
		{"tower's own unsuppress is not an opt-in", []foundation.Consent{fact(1, "map", unsub, 1, ""), fact(2, "esp", sub, 9, "tower: opted in again")}, OptInRule{}, 1, 0},
		{"opt-in from a system that does not capture consent", []foundation.Consent{fact(1, "map", unsub, 1, ""), fact(2, "esp", sub, 9, "list import")}, OptInRule{Systems: []string{"map", "crm"}}, 1, 0},
		{"bounces never govern", []foundation.Consent{fact(1, "esp", hard, 1, "550 5.1.1"), fact(2, "map", soft, 2, "452 4.2.2")}, OptInRule{}, 0, 0},
		{"bounce does not hide an unsubscribe", []foundation.Consent{fact(1, "map", unsub, 1, ""), fact(2, "esp", hard, 5, "550 5.1.1")}, OptInRule{}, 1, 0},
		{"complaint after the opt-in governs again", []foundation.Consent{fact(1, "map", unsub, 1, ""), fact(2, "esp", sub, 5, "form"), fact(3, "esp", comp, 9, "ARF")}, OptInRule{}, 3, 1},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := &Person{Facts: c.facts}
			v := p.Decide(c.rule)
			var got int64
			if v.Governing != nil {
				got = v.Governing.ID
			}
			if got != c.governing || len(v.Overridden) != c.overridden {
				t.Errorf("governing fact %d with %d overridden, want %d with %d", got, len(v.Overridden), c.governing, c.overridden)
			}
		})
	}
}
