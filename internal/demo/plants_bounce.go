package demo

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"time"
)

// streamHygiene is the random stream of the list-hygiene plants. They are
// planted after every other part of the world exists and draw from their
// own stream, so adding them moved no earlier fact, row or event.
const streamHygiene uint64 = 0x4879

// softReasons are transient failures as ESPs report them (DOMAIN §2.1).
var softReasons = []string{
	"452 4.2.2 Mailbox full",
	"421 4.4.2 Connection timed out",
	"450 4.2.1 Mailbox temporarily disabled",
}

// invalidVariants turn a good address into one that passes the import's
// loose check (foundation.ValidEmailSyntax: one "@", a dotted domain, no
// spaces) but that no mailbox provider accepts; the last three are unusual
// yet valid, to catch a checker that is too strict.
var invalidVariants = []struct {
	name string
	flag bool
	make func(local, domain string) string
}{
	{"double_dot_local", true, func(l, d string) string { return strings.Replace(l, ".", "..", 1) + "@" + d }},
	{"leading_dot_local", true, func(l, d string) string { return "." + l + "@" + d }},
	{"trailing_dot_local", true, func(l, d string) string { return l + ".@" + d }},
	{"one_letter_tld", true, func(l, d string) string { return l + "@" + d[:strings.LastIndexByte(d, '.')+2] }},
	{"numeric_tld", true, func(l, d string) string { return l + "@" + d[:strings.LastIndexByte(d, '.')+1] + "123" }},
	{"hyphen_starts_domain", true, func(l, d string) string { return l + "@-" + d }},
	{"underscore_in_domain", true, func(l, d string) string { return l + "@" + strings.Replace(d, ".", "_", 1) + ".com" }},
	{"plus_tag", false, func(l, d string) string { return l + "+news@" + d }},
	{"apostrophe", false, func(l, d string) string { return "o'" + l + "@" + d }},
	{"subdomain", false, func(l, d string) string { return l + "@mail." + d }},
}

// hygienePlanter plants repeated soft bounces and malformed addresses.
type hygienePlanter struct {
	r         *rand.Rand
	w         *world
	lastEvent map[string]time.Time // by userId
	touched   map[string]bool      // record keys with a non-subscribed e-mail fact
}

// plantHygiene adds the list-hygiene facts. It runs after the events, so
// it knows when each human last engaged.
func plantHygiene(r *rand.Rand, w *world) {
	p := &hygienePlanter{r: r, w: w, lastEvent: map[string]time.Time{}, touched: map[string]bool{}}
	for _, e := range w.events {
		var m struct {
			UserID string `json:"userId"`
		}
		if json.Unmarshal(e.line, &m) == nil && m.UserID != "" && e.ts.After(p.lastEvent[m.UserID]) {
			p.lastEvent[m.UserID] = e.ts
		}
	}
	for _, c := range w.consent {
		if c.channel == "email" && c.status != "subscribed" {
			p.touched[systemNames[c.system]+":"+c.systemID] = true
		}
	}
	n := w.cfg.People
	for i := 0; i < scaled(n, 0.002, 6); i++ {
		p.softBounces("repeated_no_engagement", true)
	}
	for i := 0; i < scaled(n, 0.0007, 3); i++ {
		p.softBounces("engaged_since", false)
	}
	for i := 0; i < scaled(n, 0.0007, 3); i++ {
		p.softBounces("short_span", false)
	}
	for i := 0; i < max(1, n/1500)*len(invalidVariants); i++ {
		p.invalid(i % len(invalidVariants))
	}
	sortRecords(w.records)
	slices.SortStableFunc(w.consent, func(a, b consentRow) int {
		if c := a.at.Compare(b.at); c != 0 {
			return c
		}
		if a.system != b.system {
			return a.system - b.system
		}
		if c := strings.Compare(a.systemID, b.systemID); c != 0 {
			return c
		}
		return strings.Compare(a.email, b.email)
	})
}

// clean reports whether every e-mail fact of the human's records is an
// opt-in: nothing else has happened to them.
func (p *hygienePlanter) clean(h *human) bool {
	for s := 0; s < 3; s++ {
		if h.in[s] && (h.stored[s] == "" || p.touched[systemNames[s]+":"+h.ids[s]]) {
			return false
		}
	}
	return true
}

// softBounces plants three or four soft bounces on a human's ESP record.
// Variant repeated_no_engagement spreads them over 16+ days after the
// human's last event (flag); engaged_since puts them before the last event
// (the engagement resets the count); short_span packs them into four days.
func (p *hygienePlanter) softBounces(variant string, flag bool) {
	now := p.w.now
	for tries := 0; tries < 5000; tries++ {
		h := p.w.humans[p.r.IntN(len(p.w.humans))]
		if h.reserved || h.role || !h.in[sysESP] || h.systemCount() < 2 || !p.clean(h) {
			continue
		}
		last := p.lastEvent[h.userID()]
		from := maxTime(lastCreated(h), now.AddDate(0, 0, -100)).Add(24 * time.Hour)
		var times []time.Time
		switch variant {
		case "engaged_since":
			if last.IsZero() || last.Sub(from) < 20*24*time.Hour {
				continue
			}
			times = spread(p.r, from, last.Add(-time.Hour), 16*24*time.Hour)
		default:
			from = maxTime(from, last.Add(24*time.Hour))
			span := 16 * 24 * time.Hour
			if variant == "short_span" {
				span = 0
			}
			if now.Sub(from) < span+4*24*time.Hour {
				continue
			}
			times = spread(p.r, from, now.Add(-24*time.Hour), span)
			if variant == "short_span" {
				times = []time.Time{times[0], times[0].Add(26 * time.Hour), times[0].Add(50 * time.Hour)}
			}
		}
		h.reserved, h.consentDone = true, true
		p.record(h, variant, flag, times, last)
		return
	}
}

// spread returns three or four times in [from, to) whose first and last
// are at least minSpan apart, oldest first, on distinct days.
func spread(r *rand.Rand, from, to time.Time, minSpan time.Duration) []time.Time {
	first := between(r, from, to.Add(-minSpan-48*time.Hour))
	last := between(r, first.Add(minSpan+48*time.Hour), to)
	out := []time.Time{first}
	k := 3 + r.IntN(2)
	step := last.Sub(first) / time.Duration(k-1)
	for i := 1; i < k-1; i++ {
		out = append(out, first.Add(step*time.Duration(i)).Truncate(time.Second))
	}
	return append(out, last)
}

func (p *hygienePlanter) record(h *human, variant string, flag bool, times []time.Time, last time.Time) {
	var bounces []ConsentState
	for _, at := range times {
		row := consentRow{system: sysESP, systemID: h.ids[sysESP], channel: "email", status: "soft_bounce",
			reason: pick(p.r, softReasons), at: at}
		p.w.consent = append(p.w.consent, row)
		bounces = append(bounces, state(row))
	}
	f := &HygieneFact{Email: h.stored[sysESP], Variant: variant, ShouldFlag: flag, Bounces: bounces,
		Record: RecordRef{System: "esp", SystemID: h.ids[sysESP], Email: h.stored[sysESP], FirstName: h.first, LastName: h.last}}
	if !last.IsZero() {
		f.LastEvent = stamp(last)
	}
	if flag {
		for s := 0; s < 2; s++ { // the CRM and MAP records, still subscribed
			if h.in[s] {
				f.Lagging = append(f.Lagging, ConsentState{System: systemNames[s], SystemID: h.ids[s], Status: "subscribed", At: stamp(h.sysCreated[s])})
			}
		}
	}
	p.w.addFact(KindRepeatedSoftBounce, fmt.Sprintf("%s soft-bounced %d times in esp between %s and %s (%s)",
		h.email, len(times), date(times[0]), date(times[len(times)-1]), variant), &Fact{Hygiene: f})
}

// invalid adds a MAP lead typed into a web form with a malformed (or, for
// the control variants, unusual but valid) address. The lead is nobody
// else's record and has no account, so it is a person of its own.
func (p *hygienePlanter) invalid(i int) {
	v := invalidVariants[i]
	w := p.w
	a := w.accounts[p.r.IntN(len(w.accounts))]
	first, last := pick(p.r, firstNames), pick(p.r, lastNames)
	good := w.people.unique(emailLocal(first, last, 0), a.domain)
	local, domain, _ := strings.Cut(good, "@")
	email := v.make(local, domain)
	w.mapNext += 1 + int64(p.r.IntN(3))
	created := between(p.r, w.now.AddDate(0, 0, -300), w.now.AddDate(0, 0, -20))
	other := pick(p.r, w.humans)
	rec := &record{system: sysMAP, id: mapID(w.mapNext), email: email, first: first, last: last,
		country: other.country, region: other.region, created: created, updated: created, human: -1}
	w.records = append(w.records, rec)
	w.consent = append(w.consent, consentRow{system: sysMAP, systemID: rec.id, channel: "email", status: "subscribed",
		reason: "Web form opt-in: content download", at: created})
	verdict := "malformed"
	if !v.flag {
		verdict = "unusual but valid"
	}
	w.addFact(KindInvalidAddress, fmt.Sprintf("map lead %s holds %q: %s (%s)", rec.id, email, verdict, v.name),
		&Fact{Hygiene: &HygieneFact{Email: email, Variant: v.name, ShouldFlag: v.flag,
			Record: RecordRef{System: "map", SystemID: rec.id, Email: email, FirstName: first, LastName: last}}})
}
