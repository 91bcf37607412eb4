package demo

import (
	"fmt"
	"math/rand/v2"
	"time"
)

// conflictVariant is one way an opt-out failed to reach other systems.
type conflictVariant struct {
	name    string
	origin  int
	status  string
	reason  string
	needs   []int
	partial int // a system the opt-out did reach (-1: none)
}

var conflictVariants = []conflictVariant{
	{"map_unsubscribed_esp_subscribed", sysMAP, "unsubscribed", "Unsubscribed via email footer link", []int{sysMAP, sysESP}, -1},
	{"esp_complaint_crm_subscribed", sysESP, "complaint", "Spam complaint via feedback loop (ARF)", []int{sysESP, sysCRM}, -1},
	{"crm_opted_out_others_subscribed", sysCRM, "unsubscribed", "Email Opt Out checked by sales rep (asked on a call)", []int{sysCRM, sysMAP}, -1},
	{"esp_unsubscribed_map_subscribed", sysESP, "unsubscribed", "List-Unsubscribe one-click (RFC 8058)", []int{sysESP, sysMAP}, -1},
	{"map_unsubscribed_synced_to_crm_not_esp", sysMAP, "unsubscribed", "Unsubscribed via preference centre (all email)", []int{sysMAP, sysCRM, sysESP}, sysCRM},
}

// overrideVariant: system older unsubscribed; system newer opted in again.
var overrideVariants = []struct {
	name         string
	older, newer int
}{
	{"map_unsubscribed_then_esp_opt_in", sysMAP, sysESP},
	{"esp_unsubscribed_then_map_opt_in", sysESP, sysMAP},
	{"crm_opted_out_then_map_opt_in", sysCRM, sysMAP},
}

const reoptinReason = "Re-subscribed via preference centre (double opt-in confirmed)"

// consentPlanter picks humans for consent facts and writes their history.
type consentPlanter struct {
	r *rand.Rand
	w *world
}

// candidate reports whether h can carry a consent fact needing systems:
// every record has an address, it was created long enough ago, and no
// other fact uses it.
func (p *consentPlanter) candidate(h *human, needs []int, before time.Time) bool {
	if h.reserved || h.role || h.systemCount() < 2 {
		return false
	}
	for _, s := range needs {
		if !h.in[s] {
			return false
		}
	}
	for s := 0; s < 3; s++ {
		if h.in[s] && h.stored[s] == "" {
			return false
		}
	}
	return lastCreated(h).Before(before)
}

// draw returns a fresh human passing candidate, reserved; nil if none.
func (p *consentPlanter) draw(needs []int, before time.Time) *human {
	for tries := 0; tries < 5000; tries++ {
		h := p.w.humans[p.r.IntN(len(p.w.humans))]
		if p.candidate(h, needs, before) {
			h.reserved, h.consentDone = true, true
			return h
		}
	}
	return nil
}

func plantConsent(r *rand.Rand, w *world) {
	p := &consentPlanter{r: r, w: w}
	n := w.cfg.People
	for i := 0; i < scaled(n, 0.006, 10); i++ {
		p.conflict(conflictVariants[i%len(conflictVariants)])
	}
	for i := 0; i < scaled(n, 0.0012, 4); i++ {
		v := overrideVariants[i%len(overrideVariants)]
		p.override(v.name, v.older, v.newer)
	}
	for i := 0; i < scaled(n, 0.005, 8); i++ {
		p.bounce(i%10 < 7, false)
	}
	for i := 0; i < scaled(n, 0.0008, 3); i++ {
		p.bounce(true, true)
	}
}

func (p *consentPlanter) conflict(v conflictVariant) {
	now := p.w.now
	h := p.draw(v.needs, now.AddDate(0, 0, -130))
	if h == nil {
		return
	}
	rows := subscribedRows(p.r, h)
	from := maxTime(lastCreated(h).Add(24*time.Hour), now.AddDate(0, 0, -120))
	origin := consentRow{system: v.origin, systemID: h.ids[v.origin], channel: "email", status: v.status,
		reason: v.reason, at: between(p.r, from, now.Add(-24*time.Hour))}
	rows = append(rows, origin)
	if v.partial >= 0 {
		rows = append(rows, consentRow{system: v.partial, systemID: h.ids[v.partial], channel: "email", status: v.status,
			reason: "Synced from " + systemNames[v.origin] + ": " + v.reason, at: origin.at.Add(7 * time.Minute)})
	}
	p.w.consent = append(p.w.consent, rows...)
	latest := latestEmail(rows)
	var lagging []ConsentState
	var names []string
	for _, row := range latest {
		if row.status == "subscribed" {
			lagging = append(lagging, state(row))
			names = append(names, systemNames[row.system])
		}
	}
	p.w.addFact(KindSuppressionConflict,
		fmt.Sprintf("%s: %s in %s on %s, still subscribed in %v", h.email, v.status, systemNames[v.origin], date(origin.at), names),
		&Fact{Suppression: &SuppressionFact{Email: h.email, Variant: v.name, ShouldFlag: true, Governing: state(origin),
			Latest: states(latest), Lagging: lagging, ExpectedStatus: v.status}})
}

func (p *consentPlanter) override(name string, older, newer int) {
	now := p.w.now
	h := p.draw([]int{older, newer}, now.AddDate(0, 0, -200))
	if h == nil {
		return
	}
	rows := subscribedRows(p.r, h)
	from := maxTime(lastCreated(h).Add(24*time.Hour), now.AddDate(0, 0, -300))
	out := consentRow{system: older, systemID: h.ids[older], channel: "email", status: "unsubscribed",
		reason: pick(p.r, unsubReasons[older]), at: between(p.r, from, now.AddDate(0, 0, -150))}
	in := consentRow{system: newer, systemID: h.ids[newer], channel: "email", status: "subscribed",
		reason: reoptinReason, at: between(p.r, now.AddDate(0, 0, -90), now.AddDate(0, 0, -2))}
	rows = append(rows, out, in)
	p.w.consent = append(p.w.consent, rows...)
	overridden := state(out)
	p.w.addFact(KindConsentOverride,
		fmt.Sprintf("%s: unsubscribed in %s on %s, then opted in again in %s on %s; do not suppress",
			h.email, systemNames[older], date(out.at), systemNames[newer], date(in.at)),
		&Fact{Suppression: &SuppressionFact{Email: h.email, Variant: name, ShouldFlag: false, Governing: state(in),
			Overridden: &overridden, Latest: states(latestEmail(rows)), Lagging: []ConsentState{}}})
}

// bounce plants a hard bounce held by one system. A policy bounce carries a
// 5.7.x code: the sender's authentication failed, the address is fine.
func (p *consentPlanter) bounce(inESP, policy bool) {
	now := p.w.now
	origin := sysESP
	if !inESP {
		origin = sysMAP
	}
	h := p.draw([]int{origin}, now.AddDate(0, 0, -130))
	if h == nil {
		return
	}
	rows := subscribedRows(p.r, h)
	from := maxTime(lastCreated(h).Add(24*time.Hour), now.AddDate(0, 0, -120))
	b := consentRow{system: origin, systemID: h.ids[origin], channel: "email", status: "hard_bounce",
		reason: hardBounceReason(origin, h.email), at: between(p.r, from, now.Add(-24*time.Hour))}
	code := "5.1.1"
	if policy {
		code = "5.7.26"
		b.reason = "550 5.7.26 Unauthenticated email from " + companyDomain + " is not accepted due to domain's DMARC policy"
	}
	rows = append(rows, b)
	p.w.consent = append(p.w.consent, rows...)
	var lagging []ConsentState
	for _, row := range latestEmail(rows) {
		if row.system != origin {
			lagging = append(lagging, state(row))
		}
	}
	kind, summary := KindUnpropagatedBounce, fmt.Sprintf("%s hard-bounced (%s) in %s on %s; other systems still subscribed",
		h.email, code, systemNames[origin], date(b.at))
	if policy {
		kind, summary = KindPolicyBounce, fmt.Sprintf("%s bounced with policy code %s in %s on %s; do not suppress elsewhere",
			h.email, code, systemNames[origin], date(b.at))
	}
	p.w.addFact(kind, summary, &Fact{Bounce: &BounceFact{Email: h.email, Code: code, Bounced: state(b),
		Lagging: lagging, ShouldPropagate: !policy}})
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}
