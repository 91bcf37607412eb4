package suppressionsync

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/towerops/tower/internal/foundation"
	"github.com/towerops/tower/internal/proposal"
	"github.com/towerops/tower/internal/skill"
	"github.com/towerops/tower/internal/skills/suppressionsync/consentstate"
)

// minutesPerRecord is the manual work a propagation replaces: find the
// opt-out in one system, look the person up in another, set the flag and
// note why. Three minutes is a conservative figure for a practised
// operator with both systems open.
const minutesPerRecord = 3.0

const day = 24 * time.Hour

// origin describes where the governing fact came from.
func origin(g foundation.Consent) string {
	if g.RecordID == 0 {
		return g.System + " (address list entry for " + g.Email + ")"
	}
	return g.System
}

func suppressDraft(a skill.Agent, ch foundation.Channel, p *consentstate.Person, g foundation.Consent,
	lag []foundation.Record, over []consentstate.Override, now time.Time) proposal.Draft {
	when := g.At.UTC().Format(time.DateOnly)
	reason := fmt.Sprintf("%s in %s on %s", g.Status, g.System, when)
	if g.Reason != "" {
		reason += " (" + g.Reason + ")"
	}
	targets := make([]proposal.Target, len(lag))
	systems := make([]string, len(lag))
	facts := []proposal.Fact{
		{Name: "governing status", Value: string(g.Status), Source: g.System + " consent, " + when},
		{Name: "opted out in", Value: origin(g)},
		{Name: "opted out at", Value: g.At.UTC().Format(time.RFC3339)},
		{Name: "original reason", Value: nonEmpty(g.Reason)},
		{Name: "hours since the opt-out", Value: int(now.Sub(g.At).Hours()), Unit: "hours"},
	}
	facts = append(facts, deadlines(g, now)...)
	for i, r := range lag {
		targets[i] = proposal.RecordTarget(r.System, r.SystemID, r.Email)
		systems[i] = consentstate.Key(r)
		facts = append(facts, proposal.Fact{Name: "record " + consentstate.Key(r), Value: stateOf(p, r)})
	}
	for _, o := range over {
		facts = append(facts, proposal.Fact{Name: "overridden earlier",
			Value: fmt.Sprintf("%s in %s on %s, cleared by an opt-in in %s on %s", o.Old.Status, o.Old.System,
				o.Old.At.UTC().Format(time.DateOnly), o.By.System, o.By.At.UTC().Format(time.DateOnly))})
	}
	confidence := 0.95
	if g.RecordID == 0 {
		confidence = 0.85 // matched to the person by address alone
	}
	who := nonEmpty(p.Email)
	return proposal.Draft{
		Agent: a.Name,
		Title: fmt.Sprintf("Propagate %s of %s to %s", g.Status, who, strings.Join(systems, ", ")),
		Rationale: fmt.Sprintf("%s is %s on %s since %s (%s). %d of their records can still receive %s: %s. "+
			"The most restrictive consent wins across systems, and opt-outs have legal deadlines.",
			who, g.Status, ch, g.At.UTC().Format("2 Jan 2006 15:04 MST"), origin(g), len(lag), ch, strings.Join(systems, ", ")),
		Actions: []proposal.Action{{Kind: proposal.Suppress, Targets: targets,
			Params: map[string]any{"channel": string(ch), "status": string(g.Status), "reason": reason}}},
		Evidence: proposal.Evidence{Facts: facts},
		ExpectedValue: proposal.Value{HoursSaved: minutesPerRecord / 60 * float64(len(lag)),
			Assumptions: []string{fmt.Sprintf("%.0f minutes of manual work per record propagated (find the opt-out, look the person up in the other system, set the flag, note why)", minutesPerRecord)}},
		Confidence: confidence,
		Key:        "suppress:" + string(ch) + ":person:" + strconv.FormatInt(p.ID, 10),
		TTL:        2 * day, // the 48-hour clock: a stale proposal should not linger
	}
}

// deadlines states the legal clocks that apply to an opt-out (DOMAIN
// §1.3). A do-not-contact is a staff or legal stop with no statutory
// clock: it applies at once.
func deadlines(g foundation.Consent, now time.Time) []proposal.Fact {
	if g.Status == foundation.StatusDoNotContact {
		return []proposal.Fact{{Name: "deadline", Value: "staff or legal stop: no statutory clock; apply at once"}}
	}
	bulk := g.At.Add(48 * time.Hour)
	canSpam := addBusinessDays(g.At, 10)
	return []proposal.Fact{
		{Name: "Gmail/Yahoo bulk-sender deadline (48 h / 2 days)", Value: bulk.UTC().Format("2006-01-02 15:04 UTC") + " (" + left(bulk, now) + ")", Source: "DOMAIN §1.3"},
		{Name: "CAN-SPAM deadline (10 business days)", Value: canSpam.UTC().Format(time.DateOnly) + " (" + left(canSpam, now) + ")", Source: "DOMAIN §1.3"},
		{Name: "GDPR/PECR", Value: "no grace period: stop on objection", Source: "DOMAIN §1.3"},
	}
}

// left says how long until a deadline, or how long it is overdue.
func left(due, now time.Time) string {
	d := due.Sub(now)
	if d >= 0 {
		return fmt.Sprintf("%d h left", int(d.Hours()))
	}
	return fmt.Sprintf("overdue by %d h", int(-d.Hours()))
}

// addBusinessDays adds n weekdays (Saturdays and Sundays do not count;
// public holidays are not known to Tower and are ignored, which makes the
// deadline earlier, never later).
func addBusinessDays(t time.Time, n int) time.Time {
	for n > 0 {
		t = t.Add(day)
		if wd := t.UTC().Weekday(); wd != time.Saturday && wd != time.Sunday {
			n--
		}
	}
	return t
}

// stateOf says what a record currently holds on the channel.
func stateOf(p *consentstate.Person, r foundation.Record) string {
	c, ok := p.Latest[r.ID]
	if !ok {
		return "no consent fact on this channel"
	}
	s := fmt.Sprintf("%s since %s", c.Status, c.At.UTC().Format(time.DateOnly))
	if c.Reason != "" {
		s += " (" + c.Reason + ")"
	}
	return s
}

func unsuppressDraft(a skill.Agent, ch foundation.Channel, p *consentstate.Person, bl []blocked) proposal.Draft {
	opt := bl[0].opt
	targets := make([]proposal.Target, len(bl))
	facts := []proposal.Fact{
		{Name: "newest opt-in", Value: opt.At.UTC().Format(time.RFC3339), Source: opt.System + " consent"},
		{Name: "opt-in reason", Value: nonEmpty(opt.Reason)},
	}
	confidence := 0.6
	var olds []string
	for i, b := range bl {
		targets[i] = proposal.RecordTarget(b.rec.System, b.rec.SystemID, b.rec.Email)
		facts = append(facts, proposal.Fact{Name: "record " + consentstate.Key(b.rec),
			Value: fmt.Sprintf("%s since %s (%s), before the opt-in", b.old.Status, b.old.At.UTC().Format(time.DateOnly), nonEmpty(b.old.Reason))})
		olds = append(olds, fmt.Sprintf("%s in %s on %s", b.old.Status, b.rec.System, b.old.At.UTC().Format(time.DateOnly)))
		if b.old.Status == foundation.StatusComplaint {
			confidence = 0.5 // a complaint needs a provable opt-in: a person should look
		}
	}
	who := nonEmpty(p.Email)
	return proposal.Draft{
		Agent: a.Name,
		Title: fmt.Sprintf("Lift the old opt-out of %s: opted in again in %s on %s", who, opt.System, opt.At.UTC().Format(time.DateOnly)),
		Rationale: fmt.Sprintf("%s was %s, then opted in again in %s on %s (%s). The newer explicit opt-in governs, "+
			"but the older stop still blocks them in %d record(s). Check the opt-in is provable before approving.",
			who, strings.Join(olds, ", "), opt.System, opt.At.UTC().Format("2 Jan 2006"), nonEmpty(opt.Reason), len(bl)),
		Actions: []proposal.Action{{Kind: proposal.Unsuppress, Targets: targets,
			Params: map[string]any{"channel": string(ch),
				"reason": fmt.Sprintf("opted in again in %s on %s (%s), after %s", opt.System, opt.At.UTC().Format(time.DateOnly), nonEmpty(opt.Reason), strings.Join(olds, ", "))}}},
		Evidence: proposal.Evidence{Facts: facts},
		ExpectedValue: proposal.Value{HoursSaved: minutesPerRecord / 60 * float64(len(bl)),
			Assumptions: []string{fmt.Sprintf("%.0f minutes of manual work per record (compare the two systems' histories, clear the old flag)", minutesPerRecord)}},
		Confidence: confidence,
		Key:        "unsuppress:" + string(ch) + ":person:" + strconv.FormatInt(p.ID, 10),
		TTL:        14 * day,
	}
}

func nonEmpty(s string) string {
	if strings.TrimSpace(s) == "" {
		return "(not given)"
	}
	return s
}
