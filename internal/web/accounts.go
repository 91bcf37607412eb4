package web

import (
	"context"
	"net/http"
	"strings"

	"github.com/towerops/tower/internal/foundation"
	"github.com/towerops/tower/internal/store"
)

type accountsData struct {
	Search   string
	Accounts []foundation.Account
	Pager    pager
}

// accountsPage searches accounts by name or domain, a page at a time.
func (s *Server) accountsPage(w http.ResponseWriter, r *http.Request) {
	d := accountsData{Search: strings.TrimSpace(r.URL.Query().Get("search"))}
	off := int(intParam(r, "offset", 0))
	as, err := s.Store.AccountsList(r.Context(), &store.AccountsListParams{Search: d.Search, Page: store.Page{Limit: listPage + 1, Offset: off}})
	if err != nil {
		s.readFailed(w, r, "accounts", err)
		return
	}
	more := len(as) > listPage
	d.Accounts = as[:min(len(as), listPage)]
	q := r.URL.Query()
	q.Del("done")
	d.Pager = offsetPager(q, off, len(d.Accounts), more)
	s.render(w, r, http.StatusOK, "accounts", "Accounts", d)
}

type accountData struct {
	store.AccountDetail
	// Contacts are the first people of the account (People counts all).
	Contacts []store.PersonSummary
	Tags     []store.Tag
}

// accountPage shows one account: owner, region, what it holds and its
// people.
func (s *Server) accountPage(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	a, err := s.Store.AccountGet(ctx, &store.AccountGetParams{ID: r.PathValue("id")})
	if err != nil {
		s.readFailed(w, r, "account", err)
		return
	}
	d := accountData{AccountDetail: *a}
	if d.Contacts, err = s.Store.PeopleList(ctx, &store.PeopleListParams{AccountID: a.Account.ID, Page: store.Page{Limit: listPage}}); err != nil {
		s.readFailed(w, r, "account's people", err)
		return
	}
	if d.Tags, err = s.Store.TagsList(ctx, &store.TagsListParams{Entity: store.EntityAccount, ID: a.Account.ID}); err != nil {
		s.readFailed(w, r, "account's tags", err)
		return
	}
	r = r.WithContext(context.WithValue(ctx, navKey{}, "accounts"))
	s.render(w, r, http.StatusOK, "account", a.Account.Name, d)
}
