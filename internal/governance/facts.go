package governance

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/towerops/tower/internal/foundation"
	"github.com/towerops/tower/internal/proposal"
	"github.com/towerops/tower/internal/store"
)

// ActionFacts computes the rule variables of one action that need the
// foundation: which people it touches, in which systems, whether it
// e-mails them and how many of them have no e-mail consent anywhere.
//
// Lookups happen only where a rule needs them: people are resolved for
// actions that can e-mail people (a notify to people, an unsuppress of
// e-mail) — for the others Records, People and Systems come from the
// targets alone, counting each record as one person.
func ActionFacts(ctx context.Context, r store.Reader, act proposal.Action) (ActionVars, error) {
	v := ActionVars{Kind: string(act.Kind), Records: distinctTargets(act.Targets)}
	if c, ok := act.Params["channel"].(string); ok {
		v.Channel = c
	}
	if f, ok := act.Params["field"].(string); ok && f != "" {
		v.Fields = []string{f}
	}
	if amt, ok := number(act.Params["amount"]); ok {
		v.Amount = amt
	}
	if act.Kind == proposal.PauseCampaign {
		v.HardLimit, _ = act.Params["hard_limit"].(string)
	}
	systems := map[string]bool{}
	people := map[string]bool{}
	for _, t := range act.Targets {
		switch t.Type {
		case proposal.TargetRecord:
			sys, _, _ := strings.Cut(t.ID, ":")
			systems[sys] = true
			people[t.ID] = true
		case proposal.TargetPerson:
			people[t.ID] = true
		}
	}
	v.People = len(people)
	v.AudienceSize = v.People
	v.EmailsPeople = emailsPeople(act)
	if v.EmailsPeople {
		ids, err := personIDs(ctx, r, act.Targets)
		if err != nil {
			return v, err
		}
		v.People = len(ids)
		v.AudienceSize = v.People
		for _, id := range ids {
			ok, sys, err := consentedSomewhere(ctx, r, id)
			if err != nil {
				return v, err
			}
			for _, s := range sys {
				systems[s] = true
			}
			if !ok {
				v.WithoutConsent++
			}
		}
	}
	for _, t := range act.Targets {
		if t.Type != proposal.TargetCampaign {
			continue
		}
		d, err := r.CampaignGet(ctx, &store.CampaignGetParams{ID: t.ID})
		if err != nil {
			return v, fmt.Errorf("campaign %s: %w", t.ID, err)
		}
		if v.Channel == "" {
			v.Channel = string(d.Campaign.Channel)
		}
		v.AudienceSize += audienceOf(d)
		if act.Kind == proposal.ResumeCampaign && d.Campaign.Channel == foundation.CampaignChannel(foundation.ChannelEmail) {
			v.EmailsPeople = true
		}
	}
	for s := range systems {
		v.Systems = append(v.Systems, s)
	}
	slices.Sort(v.Systems)
	return v, nil
}

// emailsPeople reports whether carrying out act leads to e-mail reaching
// people directly: telling people by e-mail, or making records sendable on
// e-mail again. Campaigns are decided from their channel by the caller.
func emailsPeople(act proposal.Action) bool {
	ch, _ := act.Params["channel"].(string)
	switch act.Kind {
	case proposal.Unsuppress:
		return ch == "email" || ch == "all"
	case proposal.Notify:
		if ch != "" && ch != "email" {
			return false
		}
		for _, t := range act.Targets {
			if t.Type == proposal.TargetPerson {
				return true
			}
		}
	}
	return false
}

// personIDs resolves person and record targets to distinct person ids.
func personIDs(ctx context.Context, r store.Reader, targets []proposal.Target) ([]int64, error) {
	seen := map[int64]bool{}
	var out []int64
	add := func(id int64) {
		if id != 0 && !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	for _, t := range targets {
		switch t.Type {
		case proposal.TargetPerson:
			id, err := strconv.ParseInt(t.ID, 10, 64)
			if err != nil {
				return nil, fmt.Errorf("person target %q is not a person id", t.ID)
			}
			add(id)
		case proposal.TargetRecord:
			sys, sid, _ := strings.Cut(t.ID, ":")
			recs, err := r.RecordsList(ctx, &store.RecordsListParams{System: sys, SystemID: sid, Page: store.Page{Limit: 1}})
			if err != nil {
				return nil, fmt.Errorf("record %s: %w", t.ID, err)
			}
			if len(recs) > 0 {
				add(recs[0].PersonID)
			}
		}
	}
	return out, nil
}

// consentedSomewhere reports whether some system's latest e-mail fact for
// the person is "subscribed", and the systems the person has records in.
func consentedSomewhere(ctx context.Context, r store.Reader, personID int64) (bool, []string, error) {
	d, err := r.PersonGet(ctx, &store.PersonGetParams{ID: personID})
	if err != nil {
		return false, nil, fmt.Errorf("person %d: %w", personID, err)
	}
	latest := map[string]foundation.Consent{}
	for _, c := range d.Consent { // ordered by time: later facts win
		if c.Channel == foundation.ChannelEmail {
			latest[c.System] = c
		}
	}
	ok := false
	for _, c := range latest {
		if c.Status.Sendable() {
			ok = true
		}
	}
	var systems []string
	for _, rec := range d.Records {
		systems = append(systems, rec.System)
	}
	return ok, systems, nil
}

// audienceOf estimates a campaign's audience as its largest daily send.
func audienceOf(d *store.CampaignDetail) int {
	best := 0
	for _, day := range d.Days {
		if int(day.Sends) > best {
			best = int(day.Sends)
		}
	}
	return best
}

func distinctTargets(ts []proposal.Target) int {
	if len(ts) < 2 {
		return len(ts)
	}
	seen := make(map[proposal.Target]struct{}, len(ts))
	for _, t := range ts {
		seen[proposal.Target{Type: t.Type, ID: t.ID}] = struct{}{}
	}
	return len(seen)
}

func number(v any) (float64, bool) {
	switch n := v.(type) {
	case float64:
		return n, true
	case int:
		return float64(n), true
	case int64:
		return float64(n), true
	}
	return 0, false
}
