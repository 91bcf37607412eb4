package bouncehygiene

import (
	"slices"
	"time"

	"github.com/towerops/tower/internal/foundation"
	"github.com/towerops/tower/internal/proposal"
	"github.com/towerops/tower/internal/skill"
	"github.com/towerops/tower/internal/skills/suppressionsync/consentstate"
	"github.com/towerops/tower/internal/store"
)

// bounce is one bounce fact, read.
type bounce struct {
	fact    foundation.Consent
	key     string // the record "system:system_id", or "address:EMAIL" for a list entry
	email   string
	code    string
	class   Class
	meaning string
}

// bouncesOf returns the person's bounces that still stand: every soft
// bounce (the history is what the repeated-bounce rule counts) and each
// hard bounce that is still its record's latest state (a later opt-in or
// manual reset cleared the others). A soft bounce with a policy code
// (4.7.x) is classed as policy: it is the sender's problem too.
func bouncesOf(p *consentstate.Person) []bounce {
	recs := map[int64]foundation.Record{}
	for _, r := range p.Records {
		recs[r.ID] = r
	}
	var out []bounce
	for _, c := range p.Facts {
		if c.Status != foundation.StatusHardBounce && c.Status != foundation.StatusSoftBounce {
			continue
		}
		b := bounce{fact: c, key: "address:" + c.Email, email: c.Email}
		if r, ok := recs[c.RecordID]; ok {
			b.key, b.email = consentstate.Key(r), r.Email
			if c.Status == foundation.StatusHardBounce && p.Latest[r.ID].ID != c.ID {
				continue
			}
		}
		if b.email == "" {
			b.email = p.Email
		}
		b.code, b.class, b.meaning = Classify(c.Reason)
		if c.Status == foundation.StatusSoftBounce && b.class != Policy && b.class != Content {
			b.class = Soft
		}
		out = append(out, b)
	}
	return out
}

// sendable are the person's records that can still be mailed: their
// latest fact is an opt-in, or there is none.
func sendable(p *consentstate.Person) []foundation.Record {
	var out []foundation.Record
	for _, r := range p.Records {
		if c, ok := p.Latest[r.ID]; !ok || c.Status.Sendable() {
			out = append(out, r)
		}
	}
	return out
}

// repeatedSoft returns the soft bounces after the person's last activity
// when they are at least count, on distinct days, with the first and last
// at least span apart (DOMAIN §2.2: Salesforce Marketing Cloud holds an
// address after 3 bounces over 15+ days; Tower's own rule resets on
// engagement). nil when the rule is not met.
func repeatedSoft(bs []bounce, lastSeen time.Time, count int, span time.Duration) []bounce {
	var since []bounce
	days := map[string]bool{}
	for _, b := range bs {
		if b.class == Soft && b.fact.At.After(lastSeen) {
			since = append(since, b)
			days[b.fact.At.UTC().Format(time.DateOnly)] = true
		}
	}
	if len(days) < count || since[len(since)-1].fact.At.Sub(since[0].fact.At) < span {
		return nil
	}
	return since
}

// forAgent builds one agent's proposals, in the order max_proposals keeps
// them: owner notices, hard bounces, soft bounces, malformed addresses,
// role addresses.
func forAgent(a skill.Agent, w *world, now time.Time) []proposal.Draft {
	roles := prefixSet(a.Params.String("role_prefixes"))
	roleTag, invalidTag := a.Params.String("role_tag"), a.Params.String("invalid_tag")
	window := a.Params.Duration("policy_window")
	dns := int(a.Params.Int("dns_suspect"))
	var hards, softs, invalids, roleTags []proposal.Draft
	var policy []bounce
	suspects := map[string][]bounce{}
	for _, id := range w.ids {
		p := w.people[id]
		if !p.InScope(a.Scope) {
			continue
		}
		bs := bouncesOf(p)
		for _, b := range bs {
			if b.class == Policy && now.Sub(b.fact.At) <= window {
				policy = append(policy, b)
			}
		}
		// Anyone opted out is suppression-sync's: the opt-out outranks a
		// bounce and reaches every record, so proposing a bounce too would
		// be a second, weaker change to the same records.
		if p.Decide(consentstate.OptInRule{}).Governing == nil {
			targets := sendable(p)
			var hard []bounce
			for _, b := range bs {
				switch {
				case b.class == Hard, b.class == Unclassified && b.fact.Status == foundation.StatusHardBounce:
					hard = append(hard, b)
				case b.class == DomainHard:
					k := domainOf(b.email) + " " + b.fact.At.UTC().Format(time.DateOnly)
					if len(w.domains[k]) >= dns {
						suspects[k] = append(suspects[k], b)
					} else {
						hard = append(hard, b)
					}
				}
			}
			switch {
			case len(targets) == 0:
			case len(hard) > 0:
				hards = append(hards, hardDraft(a, p, hard, targets))
			default:
				if soft := repeatedSoft(bs, w.activity[id], int(a.Params.Int("soft_count")), a.Params.Duration("soft_span")); soft != nil {
					softs = append(softs, softDraft(a, p, soft, w.activity[id], targets))
				}
			}
		}
		for _, r := range p.Records {
			if problem := AddressProblem(r.Email); r.Email != "" && problem != "" && !w.tags[store.EntityRecord+"/"+invalidTag][consentstate.Key(r)] {
				invalids = append(invalids, invalidDraft(a, r, problem, invalidTag))
			}
		}
		if role := RolePrefix(p.Email, roles); role != "" && !w.tags[store.EntityPerson+"/"+roleTag][idString(id)] {
			roleTags = append(roleTags, roleDraft(a, p, role, roleTag))
		}
	}
	var out []proposal.Draft
	if len(policy) > 0 {
		out = append(out, policyNotice(a, policy, window))
	}
	keys := make([]string, 0, len(suspects))
	for k := range suspects {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		out = append(out, dnsTask(a, k, suspects[k]))
	}
	out = append(out, hards...)
	out = append(out, softs...)
	out = append(out, invalids...)
	out = append(out, roleTags...)
	return out[:min(len(out), int(a.Params.Int("max_proposals")))]
}
