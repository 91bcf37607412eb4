package demo

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/towerops/tower/internal/foundation"
)

// consentView is consent.csv read the way a suppression-sync skill would.
type consentView struct {
	emailOf map[string]string   // record key -> normalised email
	people  map[string][]string // normalised email -> record keys
	facts   map[string][]consentFact
}

type consentFact struct {
	status, reason string
	at             time.Time
}

func loadConsent(t *testing.T, dir string) *consentView {
	v := &consentView{emailOf: map[string]string{}, people: map[string][]string{}, facts: map[string][]consentFact{}}
	for _, row := range readCSV(t, dir, "people.csv").rows {
		k := recordKey(row["system"], row["system_id"])
		e := foundation.NormalizeEmail(row["email"])
		v.emailOf[k] = e
		if e != "" {
			v.people[e] = append(v.people[e], k)
		}
	}
	for _, row := range readCSV(t, dir, "consent.csv").rows {
		if row["channel"] != "email" || row["system_id"] == "" {
			continue
		}
		at, err := time.Parse(time.RFC3339, row["at"])
		if err != nil {
			t.Fatal(err)
		}
		k := recordKey(row["system"], row["system_id"])
		v.facts[k] = append(v.facts[k], consentFact{row["status"], row["reason"], at})
	}
	return v
}

// latest is a record's newest e-mail fact.
func (v *consentView) latest(k string) consentFact {
	var best consentFact
	for _, f := range v.facts[k] {
		if !f.at.Before(best.at) {
			best = f
		}
	}
	return best
}

var explicit = []string{"subscribed", "unsubscribed", "complaint", "do_not_contact"}

// conflicts applies the rule truth.json encodes: the newest explicit
// consent fact across a person's records governs; if it is restrictive,
// every record still subscribed is lagging. naive instead lets the most
// restrictive current state win regardless of time.
func (v *consentView) conflicts() (correct, naive, bounces map[string]bool) {
	correct, naive, bounces = map[string]bool{}, map[string]bool{}, map[string]bool{}
	for email, keys := range v.people {
		if len(keys) < 2 {
			continue
		}
		var gov consentFact
		subscribed, restrictive, bounced := false, false, false
		for _, k := range keys {
			for _, f := range v.facts[k] {
				if slices.Contains(explicit, f.status) && f.at.After(gov.at) {
					gov = f
				}
			}
			switch v.latest(k).status {
			case "subscribed":
				subscribed = true
			case "unsubscribed", "complaint", "do_not_contact":
				restrictive = true
			case "hard_bounce":
				bounced = true
			}
		}
		if subscribed && gov.status != "subscribed" {
			correct[email] = true
		}
		if subscribed && restrictive {
			naive[email] = true
		}
		if subscribed && bounced {
			bounces[email] = true
		}
	}
	return correct, naive, bounces
}

func TestPlantedSuppressionConflictsAreExactlyTheConflicts(t *testing.T) {
	dir, truth := bundle(t)
	v := loadConsent(t, dir)
	correct, naive, bounces := v.conflicts()

	planted := map[string]bool{}
	variants := map[string]int{}
	for _, f := range truth.Kind(KindSuppressionConflict) {
		s := f.Suppression
		planted[s.Email] = true
		variants[s.Variant]++
		if !s.ShouldFlag || len(s.Lagging) == 0 || s.ExpectedStatus != s.Governing.Status {
			t.Errorf("%s: conflict fact is not actionable: %+v", f.ID, s)
		}
		gk := recordKey(s.Governing.System, s.Governing.SystemID)
		if got := v.latest(gk); got.status != s.Governing.Status || stamp(got.at) != s.Governing.At {
			t.Errorf("%s: %s latest is %s at %s, truth says %s at %s", f.ID, gk, got.status, stamp(got.at), s.Governing.Status, s.Governing.At)
		}
		for _, lag := range s.Lagging {
			k := recordKey(lag.System, lag.SystemID)
			got := v.latest(k)
			if got.status != "subscribed" || stamp(got.at) >= s.Governing.At || v.emailOf[k] != s.Email {
				t.Errorf("%s: lagging %s is %s at %s (email %s)", f.ID, k, got.status, stamp(got.at), v.emailOf[k])
			}
		}
	}
	if len(variants) != len(conflictVariants) {
		t.Errorf("conflict variants present: %v", variants)
	}
	if !mapsEqual(planted, correct) {
		t.Errorf("conflicts in the data (%d) differ from the planted ones (%d): extra %v, missing %v",
			len(correct), len(planted), minus(correct, planted), minus(planted, correct))
	}

	overrides := truth.Kind(KindConsentOverride)
	if len(overrides) < 3 {
		t.Fatalf("only %d consent overrides planted", len(overrides))
	}
	for _, f := range overrides {
		s := f.Suppression
		if s.ShouldFlag || s.Overridden == nil || s.Governing.Status != "subscribed" || s.Overridden.At >= s.Governing.At {
			t.Errorf("%s: override fact malformed: %+v", f.ID, s)
		}
		if correct[s.Email] {
			t.Errorf("%s: %s is flagged by the newest-explicit rule; the opt-in should win", f.ID, s.Email)
		}
		if !naive[s.Email] {
			t.Errorf("%s: %s is not a trap: 'most restrictive wins' would not flag it either", f.ID, s.Email)
		}
		ok := v.latest(recordKey(s.Overridden.System, s.Overridden.SystemID))
		if ok.status != "unsubscribed" {
			t.Errorf("%s: the older unsubscribe is not the record's latest state (%s)", f.ID, ok.status)
		}
	}

	plantedBounces := map[string]bool{}
	for _, kind := range []string{KindUnpropagatedBounce, KindPolicyBounce} {
		facts := truth.Kind(kind)
		if len(facts) < 3 {
			t.Errorf("only %d %s facts", len(facts), kind)
		}
		for _, f := range facts {
			b := f.Bounce
			plantedBounces[b.Email] = true
			got := v.latest(recordKey(b.Bounced.System, b.Bounced.SystemID))
			if got.status != "hard_bounce" || !strings.Contains(got.reason, b.Code) {
				t.Errorf("%s: bounced record holds %s %q", f.ID, got.status, got.reason)
			}
			if b.ShouldPropagate != (kind == KindUnpropagatedBounce) || !strings.HasPrefix(b.Code, map[bool]string{true: "5.1", false: "5.7"}[b.ShouldPropagate]) {
				t.Errorf("%s: code %s with should_propagate %v", f.ID, b.Code, b.ShouldPropagate)
			}
			if len(b.Lagging) == 0 {
				t.Errorf("%s: no lagging records", f.ID)
			}
			for _, lag := range b.Lagging {
				if got := v.latest(recordKey(lag.System, lag.SystemID)); got.status != "subscribed" {
					t.Errorf("%s: lagging %s is %s", f.ID, lag.SystemID, got.status)
				}
			}
		}
	}
	if !mapsEqual(plantedBounces, bounces) {
		t.Errorf("bounced-but-subscribed people in the data (%d) differ from the planted ones (%d): extra %v",
			len(bounces), len(plantedBounces), minus(bounces, plantedBounces))
	}
}

func mapsEqual(a, b map[string]bool) bool {
	return len(minus(a, b)) == 0 && len(minus(b, a)) == 0
}

// minus lists a's keys missing from b, sorted, at most five.
func minus(a, b map[string]bool) []string {
	var out []string
	for k := range a {
		if !b[k] {
			out = append(out, k)
		}
	}
	slices.Sort(out)
	return out[:min(len(out), 5)]
}
