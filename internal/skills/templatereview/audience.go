package templatereview

import (
	"context"
	"errors"
	"fmt"

	"github.com/towerops/tower/internal/foundation"
	"github.com/towerops/tower/internal/store"
	"github.com/towerops/tower/internal/templateqa"
)

// StandardFields are the canonical person fields every workspace has, as
// templateqa names them.
var StandardFields = []string{"email", "first_name", "last_name", "title", "phone", "country", "region", "company"}

// scanLimit caps how many people are read to learn which trait keys exist;
// a key on none of the first 20,000 people is as good as absent for a
// template.
const scanLimit = 20000

// Audience reads the foundation once: the field names that exist
// (standard fields plus every trait key seen) and up to sample recipients
// spread evenly over the people (every k-th by id, so the sample is the
// same on every run and not just the oldest records).
func Audience(ctx context.Context, r store.Reader, sample int) (map[string]bool, []templateqa.Recipient, error) {
	fields := map[string]bool{}
	for _, f := range StandardFields {
		fields[f] = true
	}
	n, err := r.Counts(ctx)
	if err != nil {
		return nil, nil, fmt.Errorf("count people: %w", err)
	}
	total := min(int(n.People), scanLimit)
	step := 1
	if sample > 0 && total > sample {
		step = total / sample
	}
	accounts := map[string]string{}
	var recips []templateqa.Recipient
	for off, i := 0, 0; off < total; {
		page, err := r.PeopleList(ctx, &store.PeopleListParams{Page: store.Page{Limit: 1000, Offset: off}})
		if err != nil {
			return nil, nil, fmt.Errorf("read people: %w", err)
		}
		if len(page) == 0 {
			break
		}
		off += len(page)
		for _, p := range page {
			for k := range p.Traits {
				fields[k] = true
			}
			if i%step == 0 && len(recips) < sample {
				company, err := accountName(ctx, r, accounts, p.AccountID)
				if err != nil {
					return nil, nil, err
				}
				recips = append(recips, recipient(p.Person, company))
			}
			i++
		}
	}
	return fields, recips, nil
}

func accountName(ctx context.Context, r store.Reader, cache map[string]string, id string) (string, error) {
	if id == "" {
		return "", nil
	}
	if name, ok := cache[id]; ok {
		return name, nil
	}
	d, err := r.AccountGet(ctx, &store.AccountGetParams{ID: id})
	if err != nil {
		if errors.Is(err, store.ErrNotFound) {
			cache[id] = ""
			return "", nil
		}
		return "", fmt.Errorf("read account %s: %w", id, err)
	}
	cache[id] = d.Account.Name
	return d.Account.Name, nil
}

// recipient is a person as templateqa's canonical fields; empty values are
// left out, as a platform's profile has no value for them.
func recipient(p foundation.Person, company string) templateqa.Recipient {
	rc := templateqa.Recipient{}
	for k, v := range p.Traits {
		rc[k] = v
	}
	for k, v := range map[string]string{"email": p.Email, "first_name": p.FirstName, "last_name": p.LastName, "title": p.Title,
		"phone": p.Phone, "country": p.Country, "region": p.Region, "company": company} {
		if v != "" { // whitespace-only is kept: some platforms print it
			rc[k] = v
		}
	}
	return rc
}
