package signalrouter

import (
	"context"
	"fmt"
	"time"

	"github.com/towerops/tower/internal/proposal"
	"github.com/towerops/tower/internal/skill"
)

// deadline is when a routing task had to be done: the earliest of its
// signals' times plus their kind's SLA. The task's due is only a date
// (create_task takes YYYY-MM-DD), too coarse for a one-hour SLA, so the
// deadline comes from the refs and today's SLA parameters.
func deadline(t routerTask, cfgs []kindConfig) (time.Time, bool) {
	var best time.Time
	for _, r := range t.Refs {
		sla := slaOf(cfgs, r.Kind)
		if sla == 0 {
			continue
		}
		if d := r.At.Add(sla); best.IsZero() || d.Before(best) {
			best = d
		}
	}
	if best.IsZero() && !t.Due.IsZero() {
		best = t.Due.Add(24 * time.Hour) // the end of the due day
	}
	return best, !best.IsZero()
}

// escalations proposes, for each routing task still open past its
// deadline, to tell escalate_to and to give the follow-up to the next
// owner in line. Each task is escalated once: the escalation's own task
// names the task it escalates, and escalation tasks are not escalated
// again (the person told is already watching).
func escalations(ctx context.Context, v skill.View, a skill.Agent, cfgs []kindConfig, ros *roster, rd *reader, mine []routerTask) ([]proposal.Draft, error) {
	now := v.Now()
	escalated := map[string]bool{}
	for _, t := range mine {
		if t.Escalates != "" {
			escalated[t.Escalates] = true
		}
	}
	var drafts []proposal.Draft
	for _, t := range mine {
		if t.Escalates != "" || t.Status == "done" || escalated[t.ID] || t.Person() == 0 {
			continue
		}
		due, ok := deadline(t, cfgs)
		if !ok || !now.After(due) {
			continue
		}
		var sigs []signal
		for _, r := range t.Refs {
			sigs = append(sigs, signal{Kind: r.Kind, Person: r.Person, At: r.At, SLA: slaOf(cfgs, r.Kind)})
		}
		l, ok, err := rd.lead(ctx, t.Person(), sigs)
		if err != nil {
			return nil, err
		}
		if !ok || !inScope(a.Scope, l) {
			continue
		}
		current := "owner " + t.OwnerID
		if s := ros.byID[t.OwnerID]; s != nil {
			current = s.Name
		}
		var next *seat
		if a.Params.Bool("reassign") {
			if d, ok := ros.route(l.Person, l.Account, t.OwnerID); ok {
				next = d.Seat
				ros.give(next)
			}
		}
		drafts = append(drafts, escalationDraft(a, t, l, current, next, due, now))
	}
	return drafts, nil
}

func escalationDraft(a skill.Agent, t routerTask, l lead, current string, next *seat, due, now time.Time) proposal.Draft {
	late := now.Sub(due).Truncate(time.Minute)
	msg := fmt.Sprintf("Overdue follow-up: %q for %s was due %s and is still open (%s late).", t.Title, current, clock(due), span(late))
	taskOwner, taskTitle := "", "Overdue: "+t.Title
	if next != nil {
		taskOwner = next.ID
		msg += " Proposed: " + next.Name + " takes it over."
	} else {
		msg += " Nobody else has room to take it over."
	}
	note := fmt.Sprintf("%s, %s.\n%s\n\n%s%s%s", l.who(), l.context(), msg, escalatesPrefix, t.ID, refLines(l.Signals))
	targets := append(l.targets(), proposal.Target{Type: proposal.TargetOwner, ID: t.OwnerID, Label: current})
	facts := []proposal.Fact{
		{Name: "task", Value: t.Title},
		{Name: "owner", Value: current},
		{Name: "deadline", Value: clock(due), Source: "signal time + SLA"},
		{Name: "late by", Value: span(late)},
		{Name: "task created", Value: clock(t.CreatedAt)},
	}
	if next != nil {
		facts = append(facts, proposal.Fact{Name: "next owner in line", Value: next.Name + " (" + next.loadText() + " before this)"})
	}
	return proposal.Draft{
		Agent:     a.Name,
		Title:     fmt.Sprintf("Escalate overdue follow-up of %s (%s, %s late)", l.who(), current, span(late)),
		Rationale: msg + " A lead left waiting goes cold: one first called after a day is more than sixty times less likely to qualify than one called within the hour.",
		Actions: []proposal.Action{
			{Kind: proposal.Notify, Targets: targets[len(targets)-1:], Params: map[string]any{"message": msg, "to": a.Params.String("escalate_to")}},
			{Kind: proposal.CreateTask, Targets: l.targets(), Params: map[string]any{"title": taskTitle, "owner_id": taskOwner, "due": dueDate(now), "note": note}},
		},
		Evidence:   proposal.Evidence{Facts: facts},
		Confidence: 0.9,
		Key:        "escalate:" + t.ID,
	}
}
