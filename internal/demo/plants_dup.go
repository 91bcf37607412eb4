package demo

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"time"
)

// dupPlanter adds duplicate records: the same human entered a second time
// under an address that does not normalise to the first, so the import
// makes two people of them.
type dupPlanter struct {
	r        *rand.Rand
	w        *world
	eligible []int // company humans with a name, not yet reserved
}

// plantDuplicates reserves humans and appends their duplicate records to
// w.records, and records each true pair as a fact.
func plantDuplicates(r *rand.Rand, w *world) {
	p := &dupPlanter{r: r, w: w}
	for i, h := range w.humans {
		if h.account >= 0 && !h.role && !h.personal {
			p.eligible = append(p.eligible, i)
		}
	}
	n := w.cfg.People
	p.plant("email_typo", scaled(n, 0.0015, 3), nil, p.typo)
	p.plant("nickname", scaled(n, 0.0015, 3), func(h *human) bool { return nicknames[h.first] != nil }, p.nickname)
	p.plant("swapped_names", scaled(n, 0.001, 3), nil, p.swapped)
	p.plant("case_variant", scaled(n, 0.001, 3), nil, p.caseVariant)
	p.plant("personal_email", scaled(n, 0.0015, 3), nil, p.personal)
	p.plant("crm_no_email", scaled(n, 0.003, 3), func(h *human) bool {
		return h.in[sysCRM] && h.in[sysMAP]
	}, nil)
}

// plant draws count humans that pass ok and applies make to each.
func (p *dupPlanter) plant(variant string, count int, ok func(*human) bool, make func(i int, h *human) (*record, string)) {
	w := p.w
	for done, tries := 0, 0; done < count && tries < count*200; tries++ {
		i := pick(p.r, p.eligible)
		h := w.humans[i]
		if h.reserved || (ok != nil && !ok(h)) {
			continue
		}
		h.reserved = true
		done++
		if variant == "crm_no_email" {
			// The CRM contact was keyed in by a seller without an address.
			h.stored[sysCRM] = ""
			if h.phone == "" {
				h.phone = phoneFor(p.r, h.country)
			}
			other := sysMAP
			a, b := h.record(i, other, w.accounts), h.record(i, sysCRM, w.accounts)
			w.addFact(KindDuplicate, fmt.Sprintf("CRM contact %s has no e-mail; it is %s %s, also %s record %s",
				b.id, h.first, h.last, systemNames[other], a.id),
				&Fact{Duplicate: &DuplicateFact{Variant: variant, A: ref(a), B: ref(b),
					Evidence: "same name, account and phone; the CRM row has no address"}})
			w.noise.CRMWithoutEmail++
			continue
		}
		dup, evidence := make(i, h)
		dup.human, dup.duplicate = i, true
		dup.created = between(p.r, h.created.Add(24*time.Hour), w.now.Add(-time.Hour))
		dup.updated = dup.created
		switch dup.system {
		case sysCRM:
			w.crmNext += 1 + int64(p.r.IntN(9))
			dup.id = sfID("003", w.crmNext)
			dup.persona = pick(p.r, personas)
		case sysMAP:
			w.mapNext += 1 + int64(p.r.IntN(3))
			dup.id = mapID(w.mapNext)
			dup.leadScore = fmt.Sprint(p.r.IntN(40))
			dup.utmSource = pick(p.r, leadSources)
		case sysESP:
			dup.id = espID(dup.email)
		}
		w.dups = append(w.dups, dup)
		orig := h.record(i, firstWithEmail(h, dup.system), w.accounts)
		w.addFact(KindDuplicate, fmt.Sprintf("%s %s (%s %s) is the same person as %s %s (%s %s)",
			dup.first, dup.last, systemNames[dup.system], dup.id, orig.first, orig.last, systemNames[orig.system], orig.id),
			&Fact{Duplicate: &DuplicateFact{Variant: variant, A: ref(orig), B: ref(dup), Evidence: evidence}})
	}
}

// firstWithEmail prefers the human's record in the duplicate's own system.
func firstWithEmail(h *human, prefer int) int {
	if h.in[prefer] && h.stored[prefer] != "" {
		return prefer
	}
	for _, s := range []int{sysCRM, sysMAP, sysESP} {
		if h.in[s] && h.stored[s] != "" {
			return s
		}
	}
	return prefer
}

// base copies the human into a new record of system s.
func (p *dupPlanter) base(i int, h *human, s int) *record {
	rec := h.record(i, s, p.w.accounts)
	if s == sysESP {
		rec.title, rec.phone, rec.accountID = "", "", ""
	}
	return rec
}

func (p *dupPlanter) domain(h *human) (string, string) {
	local, domain, _ := strings.Cut(h.email, "@")
	return local, domain
}

// claim makes addr unique and marks it used.
func (p *dupPlanter) claim(local, domain string) string {
	return p.w.people.unique(local, domain)
}

func (p *dupPlanter) typo(i int, h *human) (*record, string) {
	local, domain := p.domain(h)
	rec := p.base(i, h, sysMAP)
	rec.email = p.claim(typoOf(p.r, local), domain)
	ev := "address one typo away, same name and account"
	if chance(p.r, 0.5) {
		rec.last = typoOf(p.r, h.last)
		ev = "address and last name one typo away, same account"
	}
	return rec, ev
}

func (p *dupPlanter) nickname(i int, h *human) (*record, string) {
	_, domain := p.domain(h)
	nick := pick(p.r, nicknames[h.first])
	rec := p.base(i, h, pick(p.r, []int{sysCRM, sysMAP}))
	rec.first = nick
	rec.email = p.claim(emailLocal(nick, h.last, p.w.accounts[h.account].emailPattern), domain)
	return rec, fmt.Sprintf("%s is a nickname of %s; same last name and account", nick, h.first)
}

func (p *dupPlanter) swapped(i int, h *human) (*record, string) {
	_, domain := p.domain(h)
	rec := p.base(i, h, sysCRM)
	rec.first, rec.last = h.last, h.first
	rec.email = p.claim(emailLocal(h.last, h.first, 0), domain)
	return rec, "first and last name swapped; same account"
}

func (p *dupPlanter) caseVariant(i int, h *human) (*record, string) {
	_, domain := p.domain(h)
	rec := p.base(i, h, sysMAP)
	rec.first, rec.last = strings.ToUpper(h.first), strings.ToUpper(h.last)
	pattern := (p.w.accounts[h.account].emailPattern + 1) % 4
	rec.email = strings.ToUpper(p.claim(emailLocal(h.first, h.last, pattern), domain))
	return rec, "same name in capitals, address in another format at the same domain"
}

func (p *dupPlanter) personal(i int, h *human) (*record, string) {
	rec := p.base(i, h, pick(p.r, []int{sysMAP, sysESP}))
	if h.phone == "" {
		h.phone = phoneFor(p.r, h.country)
	}
	rec.phone = h.phone
	if rec.system == sysESP {
		rec.phone = ""
	}
	rec.accountID = ""
	rec.email = p.claim(emailLocal(h.first, h.last, 3)+fmt.Sprint(p.r.IntN(90)+10), pick(p.r, personalDomains))
	return rec, "same name; personal address instead of the work one"
}

// typoOf swaps two adjacent letters, or drops one, in s.
func typoOf(r *rand.Rand, s string) string {
	b := []rune(s)
	if len(b) < 4 {
		return s + string(b[len(b)-1])
	}
	i := 1 + r.IntN(len(b)-2)
	if chance(r, 0.5) && b[i] != b[i+1] {
		b[i], b[i+1] = b[i+1], b[i]
		return string(b)
	}
	return string(slices.Delete(b, i, i+1))
}

func ref(rec *record) RecordRef {
	return RecordRef{
		System: systemNames[rec.system], SystemID: rec.id, Email: rec.email,
		FirstName: rec.first, LastName: rec.last, AccountID: rec.accountID, Phone: rec.phone,
	}
}
