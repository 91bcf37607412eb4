package web

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/towerops/tower/internal/store"
)

// browsePages are the agents, policies, audit log, foundation browser
// (people and accounts), briefing, scorecards and value pages.
func (s *Server) browsePages() []page {
	return []page{
		{Pattern: "GET /agents", Role: store.RoleViewer, Handler: s.agentsPage},
		{Pattern: "GET /agents/{name}", Role: store.RoleViewer, Handler: s.agentPage},
		{Pattern: "POST /agents/{name}/pause", Role: store.RoleArchitect, Handler: s.agentPause},
		{Pattern: "POST /agents/{name}/resume", Role: store.RoleArchitect, Handler: s.agentResume},
		{Pattern: "POST /agents/{name}/reset", Role: store.RoleArchitect, Handler: s.agentReset},
		{Pattern: "POST /agents/{name}/run", Role: store.RoleMarketer, Handler: s.agentRun},
		{Pattern: "GET /policies", Role: store.RoleViewer, Handler: s.policiesPage},
		{Pattern: "GET /audit", Role: store.RoleViewer, Handler: s.auditPage},
		{Pattern: "GET /people", Role: store.RoleViewer, Handler: s.peoplePage},
		{Pattern: "GET /people/{id}", Role: store.RoleViewer, Handler: s.personPage},
		{Pattern: "GET /accounts", Role: store.RoleViewer, Handler: s.accountsPage},
		{Pattern: "GET /accounts/{id}", Role: store.RoleViewer, Handler: s.accountPage},
		{Pattern: "GET /briefing", Role: store.RoleViewer, Handler: s.briefingPage},
		{Pattern: "GET /scorecards", Role: store.RoleViewer, Handler: s.scorecardsPage},
		{Pattern: "GET /value", Role: store.RoleViewer, Handler: s.valuePage},
	}
}

// listPage is how many rows the list pages show at a time.
const listPage = 50

// pager is the "newer / older" or "previous / next" navigation of a
// list page: the query of each link, "" when there is none.
type pager struct {
	Prev, Next string
	From, To   int // 1-based rows shown
}

// offsetPager pages a list read with Offset: more says a row beyond
// this page exists. q is the page's query, kept in the links.
func offsetPager(q url.Values, offset, shown int, more bool) pager {
	p := pager{From: offset + 1, To: offset + shown}
	if shown == 0 {
		p.From = offset
	}
	link := func(off int) string {
		v := url.Values{}
		for k, vs := range q {
			v[k] = vs
		}
		if off > 0 {
			v.Set("offset", strconv.Itoa(off))
		} else {
			v.Del("offset")
		}
		return "?" + v.Encode()
	}
	if offset > 0 {
		p.Prev = link(max(0, offset-listPage))
	}
	if more {
		p.Next = link(offset + listPage)
	}
	return p
}

// intParam reads a non-negative integer from the query; def when absent
// or not a number.
func intParam(r *http.Request, name string, def int64) int64 {
	v, err := strconv.ParseInt(strings.TrimSpace(r.URL.Query().Get(name)), 10, 64)
	if err != nil || v < 0 {
		return def
	}
	return v
}

// done redirects after a successful form post, with a one-line message.
func done(w http.ResponseWriter, r *http.Request, path, msg string) {
	http.Redirect(w, r, path+"?done="+url.QueryEscape(msg), http.StatusSeeOther)
}

// readFailed answers a failed read: 404 for what does not exist, else a
// logged 500.
func (s *Server) readFailed(w http.ResponseWriter, r *http.Request, what string, err error) {
	if errors.Is(err, store.ErrNotFound) {
		s.fail(w, r, http.StatusNotFound, "There is no "+what+" here. It may have been removed, or the link is wrong.")
		return
	}
	s.Logger.ErrorContext(r.Context(), "console read failed", "what", what, "err", err)
	s.fail(w, r, http.StatusInternalServerError, "Tower could not read the "+what+". Try again in a moment; the error is in the server log.")
}
