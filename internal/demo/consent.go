package demo

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"time"
)

// consentRow is one consent.csv row.
type consentRow struct {
	system                  int
	systemID, email         string
	channel, status, reason string
	at                      time.Time
}

var subscribeReasons = [3][]string{
	sysCRM: {"Contact created (Email Opt Out unchecked)", "Converted from lead (Email Opt Out unchecked)"},
	sysMAP: {"Web form opt-in: demo request", "Web form opt-in: content download", "Event registration opt-in", "Trial signup opt-in"},
	sysESP: {"Synced from MAP (opted in)", "List import: opted-in contacts"},
}

// subscribedRows is the opt-in every record starts with, at its creation.
func subscribedRows(r *rand.Rand, h *human) []consentRow {
	var rows []consentRow
	for s := 0; s < 3; s++ {
		if h.in[s] {
			rows = append(rows, consentRow{system: s, systemID: h.ids[s], channel: "email",
				status: "subscribed", reason: pick(r, subscribeReasons[s]), at: h.sysCreated[s]})
		}
	}
	return rows
}

// lastCreated is when the human's newest record was created: planted
// opt-outs come after it so they really are the newest fact.
func lastCreated(h *human) time.Time {
	var t time.Time
	for s := 0; s < 3; s++ {
		if h.in[s] && h.sysCreated[s].After(t) {
			t = h.sysCreated[s]
		}
	}
	return t
}

// latestEmail returns the newest e-mail row per system, by system order.
func latestEmail(rows []consentRow) []consentRow {
	var best [3]*consentRow
	for i := range rows {
		row := &rows[i]
		if row.channel != "email" || row.systemID == "" {
			continue
		}
		if b := best[row.system]; b == nil || !row.at.Before(b.at) {
			best[row.system] = row
		}
	}
	var out []consentRow
	for _, b := range best {
		if b != nil {
			out = append(out, *b)
		}
	}
	return out
}

func state(row consentRow) ConsentState {
	return ConsentState{System: systemNames[row.system], SystemID: row.systemID, Status: row.status, Reason: row.reason, At: stamp(row.at)}
}

func states(rows []consentRow) []ConsentState {
	out := make([]ConsentState, len(rows))
	for i, row := range rows {
		out[i] = state(row)
	}
	return out
}

// syncedRows copies an opt-out to the human's other systems a few minutes
// later, as a healthy sync does.
func syncedRows(r *rand.Rand, h *human, origin consentRow, now time.Time) []consentRow {
	var rows []consentRow
	for s := 0; s < 3; s++ {
		if !h.in[s] || s == origin.system {
			continue
		}
		at := minTime(origin.at.Add(time.Duration(2+r.IntN(28))*time.Minute), now.Add(-time.Second))
		rows = append(rows, consentRow{system: s, systemID: h.ids[s], channel: "email", status: origin.status,
			reason: "Synced from " + systemNames[origin.system] + ": " + origin.reason, at: at})
	}
	return rows
}

// genConsent writes the consent history of every human not already given
// one by a planted fact: an opt-in per record, then for a few an opt-out
// or bounce that was propagated properly, and some single-system soft
// bounces. SMS and phone facts add channels that never conflict.
func genConsent(r *rand.Rand, w *world) {
	for _, h := range w.humans {
		if !h.consentDone {
			rows := subscribedRows(r, h)
			if !h.reserved {
				rows = append(rows, baselineOutcome(r, w, h)...)
			}
			w.consent = append(w.consent, rows...)
		}
		if h.in[sysMAP] && h.phone != "" && chance(r, 0.08) {
			at := h.sysCreated[sysMAP].Add(time.Duration(r.IntN(600)) * time.Second)
			w.consent = append(w.consent, consentRow{system: sysMAP, systemID: h.ids[sysMAP], channel: "sms",
				status: "subscribed", reason: "SMS keyword opt-in (TALLY)", at: at})
			if chance(r, 0.25) {
				w.consent = append(w.consent, consentRow{system: sysMAP, systemID: h.ids[sysMAP], channel: "sms",
					status: "unsubscribed", reason: "Replied STOP", at: between(r, at, w.now)})
			}
		}
		if h.in[sysCRM] && h.phone != "" && chance(r, 0.04) {
			w.consent = append(w.consent, consentRow{system: sysCRM, systemID: h.ids[sysCRM], channel: "phone",
				status: "do_not_contact", reason: "Do Not Call set by sales", at: between(r, h.sysCreated[sysCRM], w.now)})
		}
	}
	for _, d := range w.dups {
		w.consent = append(w.consent, consentRow{system: d.system, systemID: d.id, channel: "email",
			status: "subscribed", reason: pick(r, subscribeReasons[d.system]), at: d.created})
	}
	addressOnly(r, w)
	slices.SortStableFunc(w.consent, func(a, b consentRow) int {
		if c := a.at.Compare(b.at); c != 0 {
			return c
		}
		if a.system != b.system {
			return a.system - b.system
		}
		if a.systemID != b.systemID {
			if a.systemID < b.systemID {
				return -1
			}
			return 1
		}
		if a.email < b.email {
			return -1
		} else if a.email > b.email {
			return 1
		}
		return 0
	})
}

// baselineOutcome is what happened to an ordinary human after opting in.
func baselineOutcome(r *rand.Rand, w *world, h *human) []consentRow {
	from := lastCreated(h).Add(time.Hour)
	if !from.Before(w.now.Add(-2 * time.Hour)) {
		return nil
	}
	at := between(r, from, w.now.Add(-time.Hour))
	origin := consentRow{channel: "email", at: at}
	deliverySystem := sysESP
	if !h.in[sysESP] {
		deliverySystem = sysMAP
	}
	roll := r.Float64()
	switch {
	case roll < 0.035:
		origin.system = present(r, h)
		origin.status, origin.reason = "unsubscribed", pick(r, unsubReasons[origin.system])
	case roll < 0.038:
		origin.system = deliverySystem
		origin.status, origin.reason = "complaint", "Spam complaint via feedback loop (ARF)"
	case roll < 0.050:
		origin.system = deliverySystem
		origin.status, origin.reason = "hard_bounce", hardBounceReason(origin.system, h.email)
	case roll < 0.052:
		origin.system = present(r, h)
		origin.status, origin.reason = "do_not_contact", fmt.Sprintf("Legal request: do not contact (ticket LEGAL-%04d)", r.IntN(10000))
	case roll < 0.072:
		if !h.in[deliverySystem] {
			return nil
		}
		w.noise.SoftBounces++
		return []consentRow{{system: deliverySystem, systemID: h.ids[deliverySystem], channel: "email",
			status: "soft_bounce", reason: "452 4.2.2 Mailbox full", at: at}}
	default:
		return nil
	}
	if !h.in[origin.system] {
		return nil
	}
	origin.systemID = h.ids[origin.system]
	w.noise.PropagatedOptOuts++
	return append([]consentRow{origin}, syncedRows(r, h, origin, w.now)...)
}

var unsubReasons = [3][]string{
	sysCRM: {"Email Opt Out checked by sales rep (asked on a call)"},
	sysMAP: {"Unsubscribed via email footer link", "Unsubscribed via preference centre (all email)"},
	sysESP: {"List-Unsubscribe one-click (RFC 8058)", "Unsubscribed via email footer link"},
}

func hardBounceReason(system int, email string) string {
	if system == sysMAP {
		return "Email Invalid: 550 5.1.1 The email account that you tried to reach does not exist"
	}
	return "550 5.1.1 <" + email + ">: Recipient address rejected: User unknown"
}

// present picks one of the systems the human is in.
func present(r *rand.Rand, h *human) int {
	var in []int
	for s := 0; s < 3; s++ {
		if h.in[s] {
			in = append(in, s)
		}
	}
	return pick(r, in)
}

// addressOnly adds ESP suppression-list entries keyed by address for
// people no system holds any more: they import unlinked.
func addressOnly(r *rand.Rand, w *world) {
	n := scaled(w.cfg.People, 0.002, 5)
	for i := 0; i < n; i++ {
		a := w.accounts[r.IntN(len(w.accounts))]
		email := w.people.unique(emailLocal(pick(r, firstNames), pick(r, lastNames), a.emailPattern), a.domain)
		status := pick(r, []string{"unsubscribed", "hard_bounce"})
		w.consent = append(w.consent, consentRow{system: sysESP, email: email, channel: "email", status: status,
			reason: "Imported from previous ESP suppression list",
			at:     between(r, w.now.AddDate(-3, 0, 0), w.now.AddDate(0, 0, -200))})
	}
	w.noise.AddressOnlySuppressions = n
}
