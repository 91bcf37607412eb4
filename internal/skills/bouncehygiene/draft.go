package bouncehygiene

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/towerops/tower/internal/foundation"
	"github.com/towerops/tower/internal/proposal"
	"github.com/towerops/tower/internal/skill"
	"github.com/towerops/tower/internal/skills/suppressionsync/consentstate"
)

// The manual work each proposal replaces, stated on every proposal so the
// expected value can be checked. Practised-operator figures, kept low.
const (
	minutesPerSuppress = 3.0  // find the bounce, look the person up in each other system, set the flag
	minutesPerTag      = 1.0  // spot the address in an export and tag it
	minutesPerReport   = 20.0 // pull bounce reports, group them by code, write to whoever owns sending
)

const day = 24 * time.Hour

func idString(id int64) string { return strconv.FormatInt(id, 10) }

func dayOf(t time.Time) string { return t.UTC().Format(time.DateOnly) }

// bounceFacts are the evidence lines of bounces: code, meaning, when, where.
func bounceFacts(bs []bounce) []proposal.Fact {
	out := make([]proposal.Fact, 0, len(bs))
	for _, b := range bs {
		code := b.code
		if code == "" {
			code = "no code"
		}
		out = append(out, proposal.Fact{Name: fmt.Sprintf("%s %s on %s", b.fact.Status, code, dayOf(b.fact.At)),
			Value: b.meaning + "; reason: " + b.fact.Reason, Source: b.fact.System + " consent, " + b.key})
	}
	return out
}

func recordTargets(rs []foundation.Record) ([]proposal.Target, []string) {
	ts := make([]proposal.Target, len(rs))
	keys := make([]string, len(rs))
	for i, r := range rs {
		ts[i] = proposal.RecordTarget(r.System, r.SystemID, r.Email)
		keys[i] = consentstate.Key(r)
	}
	return ts, keys
}

func hardDraft(a skill.Agent, p *consentstate.Person, hard []bounce, targets []foundation.Record) proposal.Draft {
	b := hard[len(hard)-1]
	ts, keys := recordTargets(targets)
	confidence := 0.9
	if b.class == Unclassified {
		confidence = 0.7 // the system called it hard but gave no code to check
	}
	code := b.code
	if code == "" {
		code = "without a code"
	}
	reason := fmt.Sprintf("hard bounce %s in %s on %s (%s)", code, b.fact.System, dayOf(b.fact.At), b.meaning)
	return proposal.Draft{
		Agent: a.Name,
		Title: fmt.Sprintf("Propagate the hard bounce of %s to %s", p.Email, strings.Join(keys, ", ")),
		Rationale: fmt.Sprintf("%s bounced permanently in %s on %s: %s. The address cannot receive mail; %d other record(s) would keep sending to it and every bounce counts against the sender's reputation.",
			p.Email, b.fact.System, dayOf(b.fact.At), b.meaning, len(targets)),
		Actions: []proposal.Action{{Kind: proposal.Suppress, Targets: ts,
			Params: map[string]any{"channel": "email", "status": string(foundation.StatusHardBounce), "reason": reason}}},
		Evidence: proposal.Evidence{Facts: bounceFacts(hard)},
		ExpectedValue: proposal.Value{HoursSaved: minutesPerSuppress / 60 * float64(len(targets)),
			Assumptions: []string{fmt.Sprintf("%.0f minutes per record by hand (find the bounce, look the person up in the other system, set the flag)", minutesPerSuppress)}},
		Confidence: confidence,
		Key:        personKey("hard-bounce", p.ID),
		TTL:        7 * day,
	}
}

func softDraft(a skill.Agent, p *consentstate.Person, soft []bounce, lastSeen time.Time, targets []foundation.Record) proposal.Draft {
	ts, keys := recordTargets(targets)
	first, last := soft[0].fact.At, soft[len(soft)-1].fact.At
	seen := "no activity from them ever"
	if !lastSeen.IsZero() {
		seen = "no activity from them since " + dayOf(lastSeen)
	}
	reason := fmt.Sprintf("%d soft bounces between %s and %s, %s", len(soft), dayOf(first), dayOf(last), seen)
	facts := append(bounceFacts(soft),
		proposal.Fact{Name: "days between first and last bounce", Value: int(last.Sub(first).Hours() / 24), Unit: "days"},
		proposal.Fact{Name: "last activity", Value: seen, Source: "events"})
	return proposal.Draft{
		Agent: a.Name,
		Title: fmt.Sprintf("Suppress %s after %d soft bounces over %d days", p.Email, len(soft), int(last.Sub(first).Hours()/24)),
		Rationale: fmt.Sprintf("%s bounced %d times between %s and %s with transient codes, and nothing since shows the address alive (%s). "+
			"Repeated soft bounces over weeks mean an abandoned or full mailbox; suppressing it as a soft bounce keeps it out of sends and can be lifted when it engages.",
			p.Email, len(soft), dayOf(first), dayOf(last), seen),
		Actions: []proposal.Action{{Kind: proposal.Suppress, Targets: ts,
			Params: map[string]any{"channel": "email", "status": string(foundation.StatusSoftBounce), "reason": reason}}},
		Evidence: proposal.Evidence{Facts: facts},
		ExpectedValue: proposal.Value{HoursSaved: minutesPerSuppress / 60 * float64(len(keys)),
			Assumptions: []string{fmt.Sprintf("%.0f minutes per record by hand (count the bounces, check engagement, set the flag)", minutesPerSuppress)}},
		Confidence: 0.8,
		Key:        personKey("soft-bounce", p.ID),
		TTL:        7 * day,
	}
}

// invalidDraft tags a record with a malformed address rather than
// suppressing it: no consent was expressed, the address cannot receive
// mail anyway, and the fix is to correct a typo (the name and company are
// usually enough to), which a suppression would outlive.
func invalidDraft(a skill.Agent, r foundation.Record, problem, tag string) proposal.Draft {
	key := consentstate.Key(r)
	return proposal.Draft{
		Agent: a.Name,
		Title: fmt.Sprintf("Tag %q in %s as a malformed address", r.Email, key),
		Rationale: fmt.Sprintf("The address %q held by %s %s: no mailbox provider will accept it. Tagging it %q lets campaigns exclude it and someone correct it.",
			r.Email, key, problem, tag),
		Actions:  []proposal.Action{{Kind: proposal.Tag, Targets: []proposal.Target{proposal.RecordTarget(r.System, r.SystemID, r.Email)}, Params: map[string]any{"tag": tag}}},
		Evidence: proposal.Evidence{Facts: []proposal.Fact{{Name: "address", Value: r.Email, Source: key}, {Name: "problem", Value: problem}}},
		ExpectedValue: proposal.Value{HoursSaved: minutesPerTag / 60,
			Assumptions: []string{fmt.Sprintf("%.0f minute to spot the address in an export and tag it", minutesPerTag)}},
		Confidence: 0.9,
		Key:        "invalid-address:record:" + key,
		TTL:        14 * day,
	}
}

// roleDraft tags a role address; it never suppresses one, because people
// do sign up with them on purpose (DOMAIN §2.3).
func roleDraft(a skill.Agent, p *consentstate.Person, role, tag string) proposal.Draft {
	return proposal.Draft{
		Agent: a.Name,
		Title: fmt.Sprintf("Tag %s as a role address", p.Email),
		Rationale: fmt.Sprintf("%s is a %q mailbox, read by a team rather than one person: role addresses complain and bounce more, and many platforms refuse them on import. "+
			"Tagging it %q lets campaigns exclude it; it is not suppressed, since it may be a real sign-up.", p.Email, role, tag),
		Actions: []proposal.Action{{Kind: proposal.Tag, Targets: []proposal.Target{{Type: proposal.TargetPerson, ID: idString(p.ID), Label: p.Email}},
			Params: map[string]any{"tag": tag}}},
		Evidence: proposal.Evidence{Facts: []proposal.Fact{{Name: "role mailbox", Value: role, Source: "Mailchimp role-address list, RFC 2142"}}},
		ExpectedValue: proposal.Value{HoursSaved: minutesPerTag / 60,
			Assumptions: []string{fmt.Sprintf("%.0f minute to spot the address in an export and tag it", minutesPerTag)}},
		Confidence: 0.85,
		Key:        personKey("role-address", p.ID),
		TTL:        14 * day,
	}
}

// policyNotice tells the agent's owner about sender-side bounces, grouped
// by code, in one notice per run.
func policyNotice(a skill.Agent, bs []bounce, window time.Duration) proposal.Draft {
	byCode := map[string][]bounce{}
	var newest time.Time
	for _, b := range bs {
		byCode[b.code] = append(byCode[b.code], b)
		if b.fact.At.After(newest) {
			newest = b.fact.At
		}
	}
	codes := make([]string, 0, len(byCode))
	for c := range byCode {
		codes = append(codes, c)
	}
	slices.Sort(codes)
	var facts []proposal.Fact
	var lines []string
	for _, c := range codes {
		group := byCode[c]
		var systems, examples []string
		for _, b := range group {
			if !slices.Contains(systems, b.fact.System) {
				systems = append(systems, b.fact.System)
			}
			if len(examples) < 3 {
				examples = append(examples, b.email)
			}
		}
		facts = append(facts, proposal.Fact{Name: c + ": " + group[0].meaning,
			Value: fmt.Sprintf("%d bounce(s) in %s, %s to %s; e.g. %s", len(group), strings.Join(systems, ", "),
				dayOf(group[0].fact.At), dayOf(group[len(group)-1].fact.At), strings.Join(examples, ", ")),
			Source: "consent facts"})
		lines = append(lines, fmt.Sprintf("%s (%s): %d", c, group[0].meaning, len(group)))
	}
	msg := fmt.Sprintf("%d bounce(s) in the last %d days were refused for sender-side reasons: %s. "+
		"These recipients are not at fault and were not suppressed; check SPF, DKIM, DMARC alignment and PTR for the sending domain, "+
		"then reset the affected records marked as bounced.", len(bs), int(window.Hours()/24), strings.Join(lines, "; "))
	return proposal.Draft{
		Agent:      a.Name,
		Title:      fmt.Sprintf("Sender-side bounces: %d refused for policy or authentication (%s)", len(bs), strings.Join(codes, ", ")),
		Rationale:  "Codes x.7.x (and 5.1.7/5.1.8) mean the receiving server refused the sender, not the address (RFC 3463; DOMAIN §2.1). Suppressing these recipients would punish them for our configuration; the fix is on the sending side.",
		Actions:    []proposal.Action{{Kind: proposal.Notify, Params: map[string]any{"message": msg}}},
		Evidence:   proposal.Evidence{Facts: facts},
		Confidence: 0.9,
		ExpectedValue: proposal.Value{HoursSaved: minutesPerReport / 60,
			Assumptions: []string{fmt.Sprintf("%.0f minutes to pull the bounce reports, group them by code and write to whoever owns sending", minutesPerReport)}},
		Key: "policy-bounces:" + dayOf(newest),
		TTL: 3 * day,
	}
}

// dnsTask asks a person to check a domain whose addresses all bounced
// 5.1.2 on one day: a DNS outage at the recipient looks exactly like that.
func dnsTask(a skill.Agent, k string, bs []bounce) proposal.Draft {
	domain, when, _ := strings.Cut(k, " ")
	var ts []proposal.Target
	for _, b := range bs {
		if sys, id, ok := proposal.SplitRecordID(b.key); ok {
			ts = append(ts, proposal.RecordTarget(sys, id, b.email))
		}
	}
	note := fmt.Sprintf("%d addresses at %s bounced 5.1.2 (destination domain invalid) on %s. One domain failing for many people at once is more likely a DNS outage than a dead domain: "+
		"check its MX records and retry before suppressing anyone.", len(bs), domain, when)
	return proposal.Draft{
		Agent:      a.Name,
		Title:      fmt.Sprintf("Check %s before suppressing: %d addresses bounced 5.1.2 on %s", domain, len(bs), when),
		Rationale:  note,
		Actions:    []proposal.Action{{Kind: proposal.CreateTask, Targets: ts, Params: map[string]any{"title": "Check " + domain + " for a DNS outage on " + when, "note": note}}},
		Evidence:   proposal.Evidence{Facts: append([]proposal.Fact{{Name: "5.1.2 bounces on " + domain + " on " + when, Value: len(bs)}}, bounceFacts(bs)...)},
		Confidence: 0.7,
		ExpectedValue: proposal.Value{HoursSaved: minutesPerSuppress / 60 * float64(len(bs)),
			Assumptions: []string{"the suppressions a bulk purge would have made by hand and a person would have had to undo, at 3 minutes each"}},
		Key: "dns-suspect:" + k,
		TTL: 3 * day,
	}
}
