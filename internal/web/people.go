package web

import (
	"context"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/towerops/tower/internal/foundation"
	"github.com/towerops/tower/internal/store"
)

type peopleData struct {
	Search string
	People []store.PersonSummary
	Pager  pager
}

// peoplePage searches people by e-mail or name, a page at a time.
func (s *Server) peoplePage(w http.ResponseWriter, r *http.Request) {
	d := peopleData{Search: strings.TrimSpace(r.URL.Query().Get("search"))}
	off := int(intParam(r, "offset", 0))
	ps, err := s.Store.PeopleList(r.Context(), &store.PeopleListParams{Search: d.Search, Page: store.Page{Limit: listPage + 1, Offset: off}})
	if err != nil {
		s.readFailed(w, r, "people", err)
		return
	}
	more := len(ps) > listPage
	d.People = ps[:min(len(ps), listPage)]
	q := r.URL.Query()
	q.Del("done")
	d.Pager = offsetPager(q, off, len(d.People), more)
	s.render(w, r, http.StatusOK, "people", "People", d)
}

// consentState is the latest consent fact for one system and channel.
type consentState struct {
	System  string
	Channel foundation.Channel
	Latest  foundation.Consent
}

type personData struct {
	Person  foundation.Person
	Records []foundation.Record
	// Current is the latest fact per system and channel; History every
	// fact, newest first.
	Current []consentState
	History []foundation.Consent
	Tags    []store.Tag
	Account *foundation.Account
	Events  []foundation.Event
}

// personPage shows one person as every system sees them: records,
// consent per system and channel (now and its history), tags, account
// and recent events.
func (s *Server) personPage(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		s.fail(w, r, http.StatusNotFound, "There is no person here: people are numbered, and this link has no number.")
		return
	}
	p, err := s.Store.PersonGet(ctx, &store.PersonGetParams{ID: id})
	if err != nil {
		s.readFailed(w, r, "person", err)
		return
	}
	d := personData{Person: p.Person, Records: p.Records, History: slices.Clone(p.Consent)}
	slices.Reverse(d.History)
	latest := map[string]int{}
	for _, c := range p.Consent { // oldest first: later facts replace earlier ones
		k := c.System + "\x00" + string(c.Channel)
		if i, ok := latest[k]; ok {
			d.Current[i].Latest = c
			continue
		}
		latest[k] = len(d.Current)
		d.Current = append(d.Current, consentState{System: c.System, Channel: c.Channel, Latest: c})
	}
	slices.SortFunc(d.Current, func(a, b consentState) int {
		if c := strings.Compare(a.System, b.System); c != 0 {
			return c
		}
		return strings.Compare(string(a.Channel), string(b.Channel))
	})
	if d.Tags, err = s.Store.TagsList(ctx, &store.TagsListParams{Entity: store.EntityPerson, ID: strconv.FormatInt(id, 10)}); err != nil {
		s.readFailed(w, r, "person's tags", err)
		return
	}
	if p.Person.AccountID != "" {
		if a, err := s.Store.AccountGet(ctx, &store.AccountGetParams{ID: p.Person.AccountID}); err == nil {
			d.Account = &a.Account
		}
	}
	if d.Events, err = recentEvents(ctx, s.Store, id, 20); err != nil {
		s.readFailed(w, r, "person's events", err)
		return
	}
	r = r.WithContext(context.WithValue(ctx, navKey{}, "people"))
	title := p.Person.Name()
	if title == "" {
		title = "Person " + strconv.FormatInt(id, 10)
	}
	s.render(w, r, http.StatusOK, "person", title, d)
}

// recentEvents returns a person's newest n events, newest first (the
// store lists events oldest first).
func recentEvents(ctx context.Context, q store.Queries, person int64, n int) ([]foundation.Event, error) {
	var all []foundation.Event
	for off := 0; ; off += 1000 {
		es, err := q.EventsList(ctx, &store.EventsListParams{PersonID: person, Page: store.Page{Limit: 1000, Offset: off}})
		if err != nil {
			return nil, err
		}
		all = append(all, es...)
		if len(all) > 5*n {
			all = all[len(all)-n:]
		}
		if len(es) < 1000 {
			break
		}
	}
	if len(all) > n {
		all = all[len(all)-n:]
	}
	slices.Reverse(all)
	return all, nil
}
