// Package consentstate folds every consent fact Tower holds into one
// answer per person and channel: which restrictive consent fact governs,
// which older ones a newer opt-in overrode, and each record's latest
// state. suppression-sync and bounce-hygiene both read it, so they agree
// on who is opted out and never propose the same change (DOMAIN §1.1).
package consentstate

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/towerops/tower/internal/foundation"
	"github.com/towerops/tower/internal/store"
)

// Person is one person's consent on one channel.
type Person struct {
	ID      int64
	Email   string              // normalised, from the person's records
	Records []foundation.Record // ordered by (system, system_id)
	// Facts are every fact about the person on the channel, in time order:
	// the records' facts and address-only facts for the person's address.
	Facts []foundation.Consent
	// Latest is each record's newest fact, by record id; a record with no
	// fact on the channel is absent.
	Latest map[int64]foundation.Consent
}

// Key is "system:system_id", the form proposal record targets use.
func Key(r foundation.Record) string { return r.System + ":" + r.SystemID }

const page = 5000

// Load reads every record and every fact on channel up to the reader's
// now (a skill.View cuts dated reads there) and folds them per person.
// A fact keyed by e-mail only that the store could not link counts for
// the person whose records hold that address (an old ESP's suppression
// list still binds that person).
func Load(ctx context.Context, r store.Reader, ch foundation.Channel) (map[int64]*Person, error) {
	people := map[int64]*Person{}
	byEmail := map[string]int64{}
	recs := map[int64]foundation.Record{}
	for offset := 0; ; offset += page {
		rows, err := r.RecordsList(ctx, &store.RecordsListParams{Page: store.Page{Limit: page, Offset: offset}})
		if err != nil {
			return nil, fmt.Errorf("read records: %w", err)
		}
		for _, rec := range rows {
			if rec.PersonID == 0 {
				continue
			}
			p := people[rec.PersonID]
			if p == nil {
				p = &Person{ID: rec.PersonID, Latest: map[int64]foundation.Consent{}}
				people[rec.PersonID] = p
			}
			p.Records = append(p.Records, rec)
			recs[rec.ID] = rec
			if e := foundation.NormalizeEmail(rec.Email); e != "" {
				if p.Email == "" {
					p.Email = e
				}
				if _, taken := byEmail[e]; !taken {
					byEmail[e] = rec.PersonID
				}
			}
		}
		if len(rows) < page {
			break
		}
	}
	for offset := 0; ; offset += page {
		facts, err := r.ConsentList(ctx, &store.ConsentListParams{Page: store.Page{Limit: page, Offset: offset}, Channel: ch})
		if err != nil {
			return nil, fmt.Errorf("read consent: %w", err)
		}
		for _, c := range facts {
			id := c.PersonID
			if id == 0 && c.SystemID == "" {
				id = byEmail[foundation.NormalizeEmail(c.Email)]
			}
			p := people[id]
			if p == nil {
				continue // nobody Tower knows holds this address
			}
			p.Facts = append(p.Facts, c) // facts arrive in time order
			if _, ok := recs[c.RecordID]; ok && c.RecordID != 0 {
				p.Latest[c.RecordID] = c
			}
		}
		if len(facts) < page {
			break
		}
	}
	return people, nil
}

// IsConsent reports whether a status is a consent state (complaint,
// unsubscribed, do_not_contact): one that only the person, or staff for
// do-not-contact, can clear. Bounces are deliverability states.
func IsConsent(s foundation.ConsentStatus) bool {
	return s == foundation.StatusComplaint || s == foundation.StatusUnsubscribed || s == foundation.StatusDoNotContact
}

// Override is an older restrictive fact that a newer explicit opt-in
// superseded.
type Override struct {
	Old, By foundation.Consent
}

// Verdict is a person's effective consent on the channel.
type Verdict struct {
	// Governing is the live restrictive consent fact that decides, nil when
	// the person is contactable as far as consent goes. Among live facts
	// the most restrictive wins (complaint > unsubscribed > do_not_contact);
	// among equals the oldest, which is the original (later ones are
	// usually copies made by a sync).
	Governing *foundation.Consent
	// Overridden are the restrictive facts a newer opt-in cleared.
	Overridden []Override
}

// OptInRule says which subscribed facts are explicit opt-ins able to clear
// an older unsubscribe or complaint.
type OptInRule struct {
	// Systems that capture consent (a preference centre, a form); empty
	// means every system.
	Systems []string
}

// copyPrefixes mark a subscribed fact that repeats an opt-in made
// elsewhere (a sync, or Tower's own unsuppress): the original counts, the
// copy does not, so an opt-in cannot be made newer by being copied.
var copyPrefixes = []string{"tower:", "synced from"}

// OptIn reports whether c is an explicit opt-in under the rule.
func (o OptInRule) OptIn(c foundation.Consent) bool {
	if c.Status != foundation.StatusSubscribed {
		return false
	}
	if len(o.Systems) > 0 && !slices.Contains(o.Systems, c.System) {
		return false
	}
	reason := strings.ToLower(strings.TrimSpace(c.Reason))
	for _, p := range copyPrefixes {
		if strings.HasPrefix(reason, p) {
			return false
		}
	}
	return true
}

// Decide folds the person's facts. A complaint or unsubscribe is cleared
// by any newer explicit opt-in (DOMAIN §1.1: only the person re-opting in
// clears it; a complaint needs a fresh, provable one, which a newer opt-in
// in a system that captures consent is). A do-not-contact is a staff or
// legal stop and clears only by hand, so no opt-in overrides it. Bounces
// are ignored: deliverability never overrides consent.
func (p *Person) Decide(rule OptInRule) Verdict {
	var newestOptIn *foundation.Consent
	for i := len(p.Facts) - 1; i >= 0; i-- {
		if rule.OptIn(p.Facts[i]) {
			newestOptIn = &p.Facts[i]
			break
		}
	}
	var v Verdict
	for i := range p.Facts {
		c := p.Facts[i]
		if !IsConsent(c.Status) {
			continue
		}
		if c.Status != foundation.StatusDoNotContact && newestOptIn != nil && newestOptIn.At.After(c.At) {
			v.Overridden = append(v.Overridden, Override{Old: c, By: *newestOptIn})
			continue
		}
		if v.Governing == nil || c.Status.Rank() < v.Governing.Status.Rank() {
			v.Governing = &p.Facts[i]
		}
	}
	return v
}

// InScope reports whether any of the person's records is in the scope
// (kind "region" or "accounts"; "" and "all" take everyone).
func (p *Person) InScope(sc store.Scope) bool {
	switch sc.Kind {
	case "", "all":
		return true
	case "region":
		return slices.ContainsFunc(p.Records, func(r foundation.Record) bool { return slices.Contains(sc.Values, r.Region) })
	case "accounts":
		return slices.ContainsFunc(p.Records, func(r foundation.Record) bool { return slices.Contains(sc.Values, r.AccountID) })
	}
	return false
}
