package staleconsent

import (
	"context"
	"fmt"
	"slices"
	"strconv"

	"github.com/towerops/tower/internal/foundation"
	"github.com/towerops/tower/internal/skill"
	"github.com/towerops/tower/internal/store"
)

// personState folds a person's e-mail consent facts: the latest fact per
// system decides that system's state.
type personState struct {
	latest  map[string]foundation.Consent // by system
	newest  foundation.Consent            // newest opt-in over all systems
	systems []string
	blocked bool // some system's latest fact is not sendable
}

const page = 5000

// latestEmailFacts reads every e-mail consent fact up to the view's now,
// in time order, and folds them per person.
func latestEmailFacts(ctx context.Context, v skill.View) (map[int64]*personState, error) {
	byPerson := map[int64]*personState{}
	for offset := 0; ; offset += page {
		facts, err := v.ConsentList(ctx, &store.ConsentListParams{
			Page: store.Page{Limit: page, Offset: offset}, Channel: foundation.ChannelEmail})
		if err != nil {
			return nil, fmt.Errorf("read consent: %w", err)
		}
		for _, c := range facts {
			if c.PersonID == 0 {
				continue // an address-only list entry: nobody to tag
			}
			st := byPerson[c.PersonID]
			if st == nil {
				st = &personState{latest: map[string]foundation.Consent{}}
				byPerson[c.PersonID] = st
			}
			st.latest[c.System] = c // facts arrive in time order
		}
		if len(facts) < page {
			break
		}
	}
	for _, st := range byPerson {
		for sys, c := range st.latest {
			if !c.Status.Sendable() {
				st.blocked = true
			}
			st.systems = append(st.systems, sys)
			if c.Status == foundation.StatusSubscribed && c.At.After(st.newest.At) {
				st.newest = c
			}
		}
		slices.Sort(st.systems)
	}
	return byPerson, nil
}

// taggedPeople returns the people that already carry tag.
func taggedPeople(ctx context.Context, v skill.View, tag string) (map[int64]bool, error) {
	out := map[int64]bool{}
	for offset := 0; ; offset += page {
		tags, err := v.TagsList(ctx, &store.TagsListParams{Page: store.Page{Limit: page, Offset: offset},
			Entity: store.EntityPerson, Tag: tag})
		if err != nil {
			return nil, fmt.Errorf("read tags: %w", err)
		}
		for _, t := range tags {
			if id, err := strconv.ParseInt(t.ID, 10, 64); err == nil {
				out[id] = true
			}
		}
		if len(tags) < page {
			return out, nil
		}
	}
}

// inScope reports whether a person is in the agent's scope, and returns
// the person's e-mail (facts keyed by system id carry none). Only scopes
// by region or account list, or a missing e-mail, need the person read.
func inScope(ctx context.Context, v skill.View, sc store.Scope, person int64, email string) (bool, string, error) {
	all := sc.Kind == "" || sc.Kind == "all"
	if all && email != "" {
		return true, email, nil
	}
	d, err := v.PersonGet(ctx, &store.PersonGetParams{ID: person})
	if err != nil {
		return false, "", fmt.Errorf("read person %d: %w", person, err)
	}
	if email == "" {
		email = d.Person.Email
	}
	switch sc.Kind {
	case "", "all":
		return true, email, nil
	case "region":
		return slices.Contains(sc.Values, d.Person.Region), email, nil
	case "accounts":
		return slices.Contains(sc.Values, d.Person.AccountID), email, nil
	}
	return false, email, nil // campaign and segment scopes do not apply to this skill
}
