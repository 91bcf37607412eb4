package staleconsent

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/towerops/tower/internal/foundation"
	"github.com/towerops/tower/internal/proposal"
	"github.com/towerops/tower/internal/skill"
	"github.com/towerops/tower/internal/store"
)

// Name is the skill's name.
const Name = "stale-consent"

func init() { skill.Register(Skill{}) }

// Skill implements stale-consent.
type Skill struct{}

var _ skill.Skill = Skill{}

// Manifest declares the skill.
func (Skill) Manifest() skill.Manifest {
	return skill.Manifest{
		Name:        Name,
		Team:        "marketing-ops",
		Description: "Finds people whose e-mail opt-in is old and who have not engaged since, and proposes tagging them for a re-permission campaign.",
		Triggers:    skill.Triggers{Schedule: "0 6 * * 1", Events: []string{"import:consent"}},
		Actions:     []proposal.Kind{proposal.Tag},
		Scopes:      []string{"region", "accounts"},
		Params: []skill.Param{
			{Name: "older_than", Type: skill.Duration, Default: "540d", Description: "how old the newest opt-in must be (540d ≈ 18 months)"},
			{Name: "quiet_for", Type: skill.Duration, Default: "180d", Description: "no events from the person for this long"},
			{Name: "tag", Type: skill.String, Default: "re-permission", Description: "the tag the re-permission campaign targets"},
			{Name: "max_proposals", Type: skill.Int, Default: 1000, Min: skill.Bound(1), Max: skill.Bound(100000), Description: "at most this many people per agent per run, oldest opt-ins first"},
		},
	}
}

// candidate is a person whose consent qualifies by age.
type candidate struct {
	person   int64
	email    string
	optIn    foundation.Consent // the newest opt-in
	systems  []string
	lastSeen time.Time
}

// Run finds the candidates once for the batch (they do not depend on the
// agent), then filters them per agent by its parameters and scope.
func (s Skill) Run(ctx context.Context, v skill.View, batch []skill.Agent) ([]proposal.Draft, error) {
	states, err := latestEmailFacts(ctx, v)
	if err != nil {
		return nil, err
	}
	var drafts []proposal.Draft
	for _, a := range batch {
		got, err := s.forAgent(ctx, v, a, states)
		if err != nil {
			return nil, fmt.Errorf("agent %s: %w", a.Name, err)
		}
		drafts = append(drafts, got...)
	}
	return drafts, nil
}

func (s Skill) forAgent(ctx context.Context, v skill.View, a skill.Agent, states map[int64]*personState) ([]proposal.Draft, error) {
	now := v.Now()
	optInBefore := now.Add(-a.Params.Duration("older_than"))
	quietSince := now.Add(-a.Params.Duration("quiet_for"))
	tag := a.Params.String("tag")

	var cands []candidate
	for id, st := range states {
		if st.blocked || st.newest.At.IsZero() || !st.newest.At.Before(optInBefore) {
			continue
		}
		cands = append(cands, candidate{person: id, email: st.newest.Email, optIn: st.newest, systems: st.systems})
	}
	slices.SortFunc(cands, func(x, y candidate) int {
		if c := x.optIn.At.Compare(y.optIn.At); c != 0 {
			return c
		}
		return int(x.person - y.person)
	})
	tagged, err := taggedPeople(ctx, v, tag)
	if err != nil {
		return nil, err
	}
	var drafts []proposal.Draft
	limit := int(a.Params.Int("max_proposals"))
	for start := 0; start < len(cands) && len(drafts) < limit; start += 1000 {
		chunk := cands[start:min(start+1000, len(cands))]
		ids := make([]int64, len(chunk))
		for i, c := range chunk {
			ids[i] = c.person
		}
		seen, err := v.LastActivity(ctx, &store.LastActivityParams{PersonIDs: ids})
		if err != nil {
			return nil, fmt.Errorf("read activity: %w", err)
		}
		for _, c := range chunk {
			if len(drafts) >= limit {
				break
			}
			c.lastSeen = seen[c.person]
			if !c.lastSeen.IsZero() && !c.lastSeen.Before(quietSince) || tagged[c.person] {
				continue
			}
			ok, email, err := inScope(ctx, v, a.Scope, c.person, c.email)
			if err != nil {
				return nil, err
			}
			if ok {
				c.email = email
				drafts = append(drafts, draft(a, c, tag, now))
			}
		}
	}
	return drafts, nil
}

func draft(a skill.Agent, c candidate, tag string, now time.Time) proposal.Draft {
	months := int(now.Sub(c.optIn.At).Hours() / 24 / 30.44)
	facts := []proposal.Fact{
		{Name: "newest e-mail opt-in", Value: c.optIn.At.Format("2006-01-02"), Source: c.optIn.System + " consent"},
		{Name: "months since opt-in", Value: months, Unit: "months"},
		{Name: "systems holding an opt-in", Value: len(c.systems)},
	}
	confidence := 0.9
	lastSeen := "never"
	if !c.lastSeen.IsZero() {
		lastSeen = c.lastSeen.Format("2006-01-02")
		confidence = 0.75 // engaged once, so the address is alive
	}
	facts = append(facts, proposal.Fact{Name: "last event seen", Value: lastSeen, Source: "events"})
	return proposal.Draft{
		Agent: a.Name,
		Title: fmt.Sprintf("Re-permission %s: opted in %d months ago, no engagement since", c.email, months),
		Rationale: fmt.Sprintf("%s opted in to e-mail on %s (%s) and %s. "+
			"Old, silent opt-ins are the likeliest to complain or bounce; tagging them %q puts them in the re-permission campaign instead of regular sends.",
			c.email, c.optIn.At.Format("2 Jan 2006"), c.optIn.System, lastSeenPhrase(c.lastSeen), tag),
		Actions: []proposal.Action{{Kind: proposal.Tag,
			Targets: []proposal.Target{{Type: proposal.TargetPerson, ID: strconv.FormatInt(c.person, 10), Label: c.email}},
			Params:  map[string]any{"tag": tag}}},
		Evidence: proposal.Evidence{Facts: facts},
		ExpectedValue: proposal.Value{HoursSaved: 2.0 / 60,
			Assumptions: []string{"2 minutes of list work per person when done by hand (export, check engagement, tag)"}},
		Confidence: confidence,
		Key:        "person:" + strconv.FormatInt(c.person, 10),
		TTL:        14 * 24 * time.Hour,
	}
}

func lastSeenPhrase(t time.Time) string {
	if t.IsZero() {
		return "Tower has never seen any activity from them"
	}
	return "their last activity Tower saw was on " + t.Format("2 Jan 2006")
}
