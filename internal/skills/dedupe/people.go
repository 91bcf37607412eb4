package dedupe

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/towerops/tower/internal/linkage"
	"github.com/towerops/tower/internal/skill"
	"github.com/towerops/tower/internal/store"
)

// population is every unmerged person, as linkage records and by id.
type population struct {
	recs []linkage.Record
	byID map[int64]store.PersonSummary
}

// loadPeople reads every unmerged person. A person's fields are the best
// identity Tower knows from all its records, so one linkage record per
// person compares like with like.
func loadPeople(ctx context.Context, v skill.View) (*population, error) {
	pop := &population{byID: map[int64]store.PersonSummary{}}
	for off := 0; ; off += page.Limit {
		ps, err := v.PeopleList(ctx, &store.PeopleListParams{Page: store.Page{Limit: page.Limit, Offset: off}})
		if err != nil {
			return nil, fmt.Errorf("read people: %w", err)
		}
		for _, p := range ps {
			pop.byID[p.ID] = p
			f := map[linkage.Role]string{}
			set := func(r linkage.Role, s string) {
				if s != "" {
					f[r] = s
				}
			}
			set(linkage.GivenName, p.FirstName)
			set(linkage.Surname, p.LastName)
			set(linkage.Email, p.Email)
			set(linkage.Phone, p.Phone)
			if len(f) > 0 {
				pop.recs = append(pop.recs, linkage.Record{ID: strconv.FormatInt(p.ID, 10), Fields: f})
			}
		}
		if len(ps) < page.Limit {
			return pop, nil
		}
	}
}

// mergeable is the skill's rule on top of the match probability: the two
// are at the same account or one has none, and something besides the
// name agrees — the phone, the address (or a typo of it), or the account.
// A full name alone is shared by different people far more often than a
// duplicate is entered (a few hundred name twins among 50,000 people), so
// a pair that only shares a name is left alone however likely the model
// finds it. A contact belongs to one account, so people at two different
// accounts are never merged (a job change makes a new contact). The
// account is not a compared field: colleagues share it, so agreeing on it
// says little, and letting the model learn from it teaches it that
// colleagues are duplicates.
func (pop *population) mergeable(p linkage.Pair) bool {
	x, y := pop.byID[personID(p.A)].AccountID, pop.byID[personID(p.B)].AccountID
	if x != "" && y != "" && x != y {
		return false
	}
	if x != "" && x == y {
		return true
	}
	ea, eb := pop.byID[personID(p.A)].Email, pop.byID[personID(p.B)].Email
	for _, f := range p.Fields {
		switch {
		case f.Field == linkage.Phone && f.Weight > 0:
			return true
		case f.Field == linkage.Email && f.Weight > 0 && domain(ea) == domain(eb):
			// jsmith@one.com and jsmith@two.com are two people: the local
			// part agrees only within one domain.
			return true
		}
	}
	return false
}

func domain(email string) string {
	if i := strings.LastIndexByte(email, '@'); i >= 0 {
		return strings.ToLower(email[i+1:])
	}
	return ""
}
