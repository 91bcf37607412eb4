package postgres

import (
	"cmp"
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/towerops/tower/internal/foundation"
	"github.com/towerops/tower/internal/store"
)

// ingestRun applies the fresh messages of one EventsIngest call in order.
// Everything they may look up is read first, set-wise (newIngestRun); what
// they change — people, identities, links of stored events — is kept here
// and written once at the end (writePeople), so a call of ten thousand
// tracks costs a handful of queries, and a later message sees what an
// earlier one did because both read the same maps. (The SQLite store
// runs the same steps; only the statements differ.)
type ingestRun struct {
	tx     pgx.Tx
	es     []foundation.Event
	fresh  []int
	res    *store.EventsIngestResult
	person []int64  // the person of each event, by input index
	emails []string // normalised addresses, by input index

	byEmail  map[string]int64        // the lowest-id unmerged person with an address
	idents   map[string]int64        // identities: a userId or anonymousId → its person
	records  map[string]int64        // a record's system_id → its person
	mergedTo map[int64]int64         // a merged person → the person it was merged into
	accounts map[string]bool         // which group ids name an account
	people   map[int64]*ingestPerson // people identify and group read or change

	links   []identityLink   // ids newly linked to people, in order
	waiting map[string][]int // fresh events without a person, by their userId and anonymousId
}

// identityLink is an id a message linked to a person.
type identityLink struct {
	id     string
	person int64
	kind   string // identify, alias
}

// apply runs the messages in order.
func (r *ingestRun) apply(ctx context.Context) error {
	for _, i := range r.fresh {
		var err error
		switch r.es[i].Type {
		case "identify":
			err = r.identify(ctx, i)
		case "group":
			err = r.group(ctx, i)
		case "alias":
			r.alias(i)
		}
		if err != nil {
			return fmt.Errorf("event %q: %w", r.es[i].MessageID, err)
		}
		r.person[i] = r.resolve(i)
		if r.person[i] == 0 {
			r.wait(i)
		}
	}
	return nil
}

// resolve finds the person of event i: by e-mail, else by userId (an
// identity, else a record), else by anonymousId (an identity).
func (r *ingestRun) resolve(i int) int64 {
	e := &r.es[i]
	if p := r.byEmail[r.emails[i]]; p != 0 && r.emails[i] != "" {
		return p
	}
	if e.UserID != "" {
		if p := r.idents[e.UserID]; p != 0 {
			return r.final(p)
		}
		if p := r.records[e.UserID]; p != 0 {
			return r.final(p)
		}
	}
	if e.AnonymousID != "" {
		if p := r.idents[e.AnonymousID]; p != 0 {
			return r.final(p)
		}
	}
	return 0
}

// owner is the person an id already belongs to: by an identity, else by
// a record whose system_id it is; 0 when it is free.
func (r *ingestRun) owner(id string) int64 {
	if p := r.idents[id]; p != 0 {
		return r.final(p)
	}
	return r.final(r.records[id])
}

// final follows merges to the person that remains.
func (r *ingestRun) final(p int64) int64 {
	for hops := 0; p != 0 && hops < 64; hops++ {
		into, ok := r.mergedTo[p]
		if !ok {
			break
		}
		p = into
	}
	return p
}

// wait remembers an event stored without a person, so that an identify or
// alias later in the call that links one of its ids links it too.
func (r *ingestRun) wait(i int) {
	for _, id := range [2]string{r.es[i].UserID, r.es[i].AnonymousID} {
		if id != "" {
			r.waiting[id] = append(r.waiting[id], i)
		}
	}
}

// link makes id an identity of person p, and gives p the events of the
// call that carry id and have no person yet. The stored ones are linked
// when the run is written.
func (r *ingestRun) link(id string, p int64, kind string) {
	r.idents[id] = p
	r.links = append(r.links, identityLink{id: id, person: p, kind: kind})
	r.res.IdentitiesLinked++
	for _, j := range r.waiting[id] {
		if r.person[j] == 0 {
			r.person[j] = p
			r.res.EventsLinked++
		}
	}
	delete(r.waiting, id)
}

// claim links id to p unless it belongs to someone else (a conflict,
// counted and left alone).
func (r *ingestRun) claim(id string, p int64, kind string) {
	if id == "" {
		return
	}
	switch o := r.owner(id); {
	case o == 0:
		r.link(id, p, kind)
	case o != p:
		r.res.IdentityConflicts++
	}
}

// alias links UserID and PreviousID when exactly one of them belongs to
// someone; two different people are a conflict, never a merge. A message
// without a userId names the new id by its anonymousId.
func (r *ingestRun) alias(i int) {
	e := &r.es[i]
	id := cmp.Or(e.UserID, e.AnonymousID)
	a, b := r.owner(id), r.owner(e.PreviousID)
	switch {
	case a != 0 && b == 0:
		r.link(e.PreviousID, a, "alias")
	case a == 0 && b != 0:
		r.link(id, b, "alias")
	case a != 0 && b != 0 && a != b:
		r.res.IdentityConflicts++
	}
}
