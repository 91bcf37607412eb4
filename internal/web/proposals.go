package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/towerops/tower/internal/proposal"
	"github.com/towerops/tower/internal/store"
)

// proposalsPageSize is how many proposals one page of the list shows.
const proposalsPageSize = 50

// proposalsData is what proposals.html shows.
type proposalsData struct {
	Rows   []proposal.Proposal
	Counts []statusCount
	Total  int // proposals matching skill and agent, any status
	Status string
	Skill  string
	Agent  string
	Offset int
	// PrevURL and NextURL page through the list ("" at either end).
	PrevURL, NextURL string
	// Statuses lists every status for the filter.
	Statuses []proposal.Status
}

// statusCount is one chip above the list: a status, how many, its link.
type statusCount struct {
	Status  proposal.Status
	N       int
	URL     string
	Current bool
}

// proposalsPage lists every proposal, newest first, with filters by
// status, skill and agent and counts by status for the same skill and
// agent.
func (s *Server) proposalsPage(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	d := proposalsData{Status: q.Get("status"), Skill: strings.TrimSpace(q.Get("skill")), Agent: strings.TrimSpace(q.Get("agent")),
		Statuses: proposal.Statuses()}
	if n, err := strconv.Atoi(q.Get("offset")); err == nil && n > 0 {
		d.Offset = n
	}
	params := &store.ProposalsListParams{Skill: d.Skill, Agent: d.Agent}
	counts, err := s.Store.ProposalsCount(r.Context(), params)
	if err != nil {
		s.Logger.ErrorContext(r.Context(), "counting proposals failed", "err", err)
		s.fail(w, r, http.StatusInternalServerError, "Tower could not read the proposals. Try again in a moment.")
		return
	}
	for _, st := range proposal.Statuses() {
		if n := counts[st]; n > 0 || string(st) == d.Status {
			d.Counts = append(d.Counts, statusCount{Status: st, N: n, URL: d.url(string(st), 0), Current: string(st) == d.Status})
		}
		d.Total += counts[st]
	}
	if st := proposal.Status(d.Status); st.Valid() {
		params.Statuses = []proposal.Status{st}
	} else {
		d.Status = ""
	}
	params.Page = store.Page{Limit: proposalsPageSize + 1, Offset: d.Offset}
	rows, err := s.Store.ProposalsList(r.Context(), params)
	if err != nil {
		s.Logger.ErrorContext(r.Context(), "listing proposals failed", "err", err)
		s.fail(w, r, http.StatusInternalServerError, "Tower could not read the proposals. Try again in a moment.")
		return
	}
	if len(rows) > proposalsPageSize {
		rows = rows[:proposalsPageSize]
		d.NextURL = d.url(d.Status, d.Offset+proposalsPageSize)
	}
	if d.Offset > 0 {
		d.PrevURL = d.url(d.Status, max(d.Offset-proposalsPageSize, 0))
	}
	d.Rows = rows
	s.render(w, r, http.StatusOK, "proposals", "Proposals", d)
}

// url is the list with the same skill and agent, status and offset.
func (d proposalsData) url(status string, offset int) string {
	q := url.Values{}
	for k, v := range map[string]string{"status": status, "skill": d.Skill, "agent": d.Agent} {
		if v != "" {
			q.Set(k, v)
		}
	}
	if offset > 0 {
		q.Set("offset", strconv.Itoa(offset))
	}
	if len(q) == 0 {
		return "/proposals"
	}
	return "/proposals?" + q.Encode()
}

// AllURL is the list without a status filter.
func (d proposalsData) AllURL() string { return d.url("", 0) }
