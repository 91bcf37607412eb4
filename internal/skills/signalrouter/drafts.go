package signalrouter

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/towerops/tower/internal/proposal"
	"github.com/towerops/tower/internal/skill"
)

// clock formats an instant for people: minutes, UTC.
func clock(t time.Time) string { return t.UTC().Format("2006-01-02 15:04 UTC") }

// span writes a duration as people say it: "1h", "90m", "2d".
func span(d time.Duration) string {
	switch {
	case d >= 24*time.Hour && d%(24*time.Hour) == 0:
		return fmt.Sprintf("%dd", d/(24*time.Hour))
	case d >= time.Hour && d%time.Hour == 0:
		return fmt.Sprintf("%dh", d/time.Hour)
	}
	return fmt.Sprintf("%dm", d/time.Minute)
}

// describe says what a signal is: "demo request at 2026-10-31 14:05 UTC".
func (s signal) describe() string {
	if s.Count > 1 {
		return fmt.Sprintf("%s (%d %q within %s) at %s", s.Kind.label(), s.Count, s.Event, span(s.Window), clock(s.At))
	}
	return fmt.Sprintf("%s (%q) at %s", s.Kind.label(), s.Event, clock(s.At))
}

// who is "Jane Doe <jane@acme.com>".
func (l lead) who() string {
	name := l.Person.Name()
	if l.Person.Email != "" && name != l.Person.Email {
		return name + " <" + l.Person.Email + ">"
	}
	if name == "" {
		return "person " + strconv.FormatInt(l.Person.ID, 10)
	}
	return name
}

// context is the account line of a note: "Acme Corp (prospect, NA)".
func (l lead) context() string {
	if l.Account == nil {
		region := l.Person.Region
		if region == "" {
			region = "region unknown"
		}
		return "no account (" + region + ")"
	}
	stage := l.Account.LifecycleStage
	if stage == "" {
		stage = "stage unknown"
	}
	return fmt.Sprintf("%s (%s, %s)", l.Account.Name, stage, l.Account.Region)
}

func (l lead) targets() []proposal.Target {
	t := []proposal.Target{{Type: proposal.TargetPerson, ID: strconv.FormatInt(l.Person.ID, 10), Label: l.Person.Email}}
	if l.Account != nil {
		t = append(t, proposal.Target{Type: proposal.TargetAccount, ID: l.Account.ID, Label: l.Account.Name})
	}
	return t
}

// refLines are the note's last lines: how the skill knows, on later runs,
// which signals this task covers.
func refLines(sigs []signal) string {
	var b strings.Builder
	for _, s := range sigs {
		b.WriteString("\n" + refPrefix + s.ref().String())
	}
	return b.String()
}

// routeDraft proposes the follow-up task for one lead.
func routeDraft(a skill.Agent, l lead, d decision) proposal.Draft {
	u := l.Urgent()
	var sigs []string
	for _, s := range l.Signals {
		sigs = append(sigs, s.describe())
	}
	title := fmt.Sprintf("Follow up %s's %s — %s", l.Person.Name(), u.Kind.label(), l.context())
	note := fmt.Sprintf("%s, %s.\nSignals: %s.\nAct by %s (%s: within %s).\nWhy you: %s.\n%s",
		l.who(), l.context(), strings.Join(sigs, "; "), clock(u.Due()), u.Kind.label(), span(u.SLA), d.Why, refLines(l.Signals))
	facts := []proposal.Fact{
		{Name: "signal", Value: u.Kind.label(), Source: "events: " + u.Event},
		{Name: "signal at", Value: clock(u.At), Source: "events"},
		{Name: "act by", Value: clock(u.Due()), Source: "SLA " + span(u.SLA)},
		{Name: "person", Value: l.who()},
		{Name: "account", Value: l.context()},
		{Name: "routed by", Value: d.Rule},
		{Name: "owner", Value: d.Seat.Name + " (" + string(d.Seat.Team) + ", " + d.Seat.Region + ")"},
		{Name: "owner load before this", Value: d.Seat.loadText()},
	}
	if d.PassedOver != nil {
		facts = append(facts, proposal.Fact{Name: "account owner passed over", Value: d.PassedOver.Name + ", at capacity (" + d.PassedOver.loadText() + ")"})
	}
	if len(l.Signals) > 1 {
		facts = append(facts, proposal.Fact{Name: "signals covered", Value: len(l.Signals)})
	}
	confidence := map[string]float64{RuleAccountOwner: 0.9, RuleTerritory: 0.8, RuleRoundRobin: 0.7}[d.Rule]
	return proposal.Draft{
		Agent:     a.Name,
		Title:     fmt.Sprintf("%s from %s: to %s (%s), act by %s", capitalize(u.Kind.label()), l.who(), d.Seat.Name, strings.ReplaceAll(d.Rule, "_", " "), clock(u.Due())),
		Rationale: fmt.Sprintf("%s sent a %s. %s. Leads answered within the hour qualify far more often than those answered later, so the follow-up is due %s.", l.who(), u.describe(), capitalize(d.Why), clock(u.Due())),
		Actions: []proposal.Action{{Kind: proposal.CreateTask, Targets: l.targets(), Params: map[string]any{
			"title": title, "owner_id": d.Seat.ID, "due": dueDate(u.Due()), "note": note}}},
		Evidence: proposal.Evidence{Facts: facts},
		ExpectedValue: proposal.Value{HoursSaved: 5.0 / 60,
			Assumptions: []string{"5 minutes to look up the account, its owner and who has room, by hand"}},
		Confidence: confidence,
		Key:        "person:" + strconv.FormatInt(l.Person.ID, 10),
		TTL:        24 * time.Hour,
	}
}

// assignDraft proposes giving an unowned account to the owner chosen for
// its lead, so the next signal goes to them by the first rule.
func assignDraft(a skill.Agent, l lead, d decision) proposal.Draft {
	return proposal.Draft{
		Agent:     a.Name,
		Title:     fmt.Sprintf("Give %s (no owner) to %s", l.Account.Name, d.Seat.Name),
		Rationale: fmt.Sprintf("%s has no owner and %s just sent a %s. %s. Owning the account means its next signal goes straight to them.", l.Account.Name, l.who(), l.Urgent().Kind.label(), capitalize(d.Why)),
		Actions: []proposal.Action{{Kind: proposal.AssignOwner,
			Targets: []proposal.Target{{Type: proposal.TargetAccount, ID: l.Account.ID, Label: l.Account.Name}},
			Params:  map[string]any{"owner_id": d.Seat.ID}}},
		Evidence: proposal.Evidence{Facts: []proposal.Fact{
			{Name: "account", Value: l.context()},
			{Name: "current owner", Value: "none"},
			{Name: "proposed owner", Value: d.Seat.Name + " (" + string(d.Seat.Team) + ", " + d.Seat.Region + ")", Source: d.Rule},
			{Name: "signal", Value: l.Urgent().describe(), Source: "events"},
		}},
		Confidence: 0.7,
		Key:        "account:" + l.Account.ID,
	}
}

// nobodyDraft tells the escalation contact that a signal has nobody with
// room: DOMAIN §7's catch-all queue, watched by a person.
func nobodyDraft(a skill.Agent, l lead) proposal.Draft {
	u := l.Urgent()
	msg := fmt.Sprintf("Nobody has room for %s's %s (%s): every owner who could take it is at capacity. Act by %s.", l.who(), u.describe(), l.context(), clock(u.Due()))
	return proposal.Draft{
		Agent:     a.Name,
		Title:     fmt.Sprintf("%s from %s: nobody has room", capitalize(u.Kind.label()), l.who()),
		Rationale: msg,
		Actions: []proposal.Action{{Kind: proposal.Notify, Targets: l.targets()[:1],
			Params: map[string]any{"message": msg, "to": a.Params.String("escalate_to")}}},
		Evidence:   proposal.Evidence{Facts: []proposal.Fact{{Name: "signal", Value: u.describe(), Source: "events"}, {Name: "account", Value: l.context()}}},
		Confidence: 0.9,
		Key:        "person:" + strconv.FormatInt(l.Person.ID, 10),
		TTL:        24 * time.Hour,
	}
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
