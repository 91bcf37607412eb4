package web

import (
	"cmp"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/towerops/tower/internal/auth"
	"github.com/towerops/tower/internal/governance"
	"github.com/towerops/tower/internal/store"
)

// inboxPageSize is how many rows the inbox shows before "Show more".
const inboxPageSize = 25

// inboxScan is how many items the inbox reads to filter, sort and count
// them; beyond it the page says the list is longer than shown.
const inboxScan = 5000

// inboxFilter is the inbox's query string: a plain GET form, so a
// filtered inbox is a link people can bookmark and share.
type inboxFilter struct {
	Sort  string // "value" (default), "newest", "due"
	Skill string
	Agent string
	Min   float64 // minimum value in dollars (pipeline + savings)
	Limit int
}

func parseInboxFilter(q url.Values) inboxFilter {
	f := inboxFilter{Sort: q.Get("sort"), Skill: q.Get("skill"), Agent: q.Get("agent"), Limit: inboxPageSize}
	if !slices.Contains([]string{"value", "newest", "due"}, f.Sort) {
		f.Sort = "value"
	}
	if v, err := strconv.ParseFloat(strings.TrimSpace(strings.ReplaceAll(strings.TrimPrefix(q.Get("min"), "$"), ",", "")), 64); err == nil && v > 0 {
		f.Min = v
	}
	if n, err := strconv.Atoi(q.Get("limit")); err == nil && n > 0 {
		f.Limit = min(n, 500)
	}
	return f
}

// query is the filter as a query string, with limit changed to n.
func (f inboxFilter) query(n int) string {
	q := url.Values{}
	if f.Sort != "value" {
		q.Set("sort", f.Sort)
	}
	if f.Skill != "" {
		q.Set("skill", f.Skill)
	}
	if f.Agent != "" {
		q.Set("agent", f.Agent)
	}
	if f.Min > 0 {
		q.Set("min", strconv.FormatFloat(f.Min, 'f', -1, 64))
	}
	if n != inboxPageSize {
		q.Set("limit", strconv.Itoa(n))
	}
	if len(q) == 0 {
		return "/"
	}
	return "/?" + q.Encode()
}

// MinText is the minimum value as typed back into the form.
func (f inboxFilter) MinText() string {
	if f.Min == 0 {
		return ""
	}
	return strconv.FormatFloat(f.Min, 'f', -1, 64)
}

// inboxData is what inbox.html shows.
type inboxData struct {
	// Approves: the person's role may approve. A viewer or marketer sees
	// a friendly explanation instead of an empty list (unless someone
	// delegated approvals to them, then their items show anyway).
	Approves bool
	Rows     []governance.InboxItem
	Shown    int
	Matching int  // items the filters let through
	Total    int  // items waiting for this person, before filters
	Capped   bool // more than inboxScan items wait
	Skills   []string
	Agents   []string
	Filter   inboxFilter
	MoreURL  string
	Self     string // this page's URL, where forms come back to
	Now      time.Time

	CanPause  bool
	CanResume bool
	// PauseError is set when the kill switch form was sent without a reason.
	PauseError string
	// BulkError is set when a bulk decision could not start (nothing
	// selected, a rejection without reason).
	BulkError string
	Bulk      *bulkResult
}

func (s *Server) inboxPage(w http.ResponseWriter, r *http.Request) {
	d, err := s.inboxData(r, parseInboxFilter(r.URL.Query()))
	if err != nil {
		s.Logger.ErrorContext(r.Context(), "reading the inbox failed", "err", err)
		s.fail(w, r, http.StatusInternalServerError, "Tower could not read your inbox. Try again in a moment.")
		return
	}
	s.render(w, r, http.StatusOK, "inbox", "Inbox", d)
}

// inboxData reads what the person may decide now, then filters, sorts
// and cuts it for the page.
func (s *Server) inboxData(r *http.Request, f inboxFilter) (*inboxData, error) {
	now := s.now()
	items, err := governance.Inbox(r.Context(), s.Store, user(r), now, inboxScan)
	if err != nil {
		return nil, err
	}
	rl := role(r)
	d := &inboxData{Approves: auth.Allows(rl, store.RoleApprover) || len(items) > 0, Total: len(items),
		Capped: len(items) >= inboxScan, Filter: f, Now: now, Self: f.query(f.Limit),
		CanPause: auth.Allows(rl, store.RoleApprover), CanResume: auth.Allows(rl, store.RoleArchitect)}
	for _, it := range items {
		if !slices.Contains(d.Skills, it.Proposal.Skill) {
			d.Skills = append(d.Skills, it.Proposal.Skill)
		}
		if !slices.Contains(d.Agents, it.Proposal.Agent) {
			d.Agents = append(d.Agents, it.Proposal.Agent)
		}
	}
	slices.Sort(d.Skills)
	slices.Sort(d.Agents)
	items = slices.DeleteFunc(items, func(it governance.InboxItem) bool {
		p := it.Proposal
		return (f.Skill != "" && p.Skill != f.Skill) || (f.Agent != "" && p.Agent != f.Agent) || (f.Min > 0 && worthOf(p) < f.Min)
	})
	sortInbox(items, f.Sort)
	d.Matching = len(items)
	if len(items) > f.Limit {
		items = items[:f.Limit]
		d.MoreURL = f.query(f.Limit + inboxPageSize)
	}
	d.Rows, d.Shown = items, len(items)
	return d, nil
}

// sortInbox orders items. Governance already orders by value, then
// newest; the other orders keep value as the tie-break so the most
// valuable of equals stays on top.
func sortInbox(items []governance.InboxItem, by string) {
	switch by {
	case "newest":
		slices.SortStableFunc(items, func(a, b governance.InboxItem) int {
			return b.Proposal.CreatedAt.Compare(a.Proposal.CreatedAt)
		})
	case "due":
		slices.SortStableFunc(items, func(a, b governance.InboxItem) int {
			return cmp.Compare(dueOf(a).UnixNano(), dueOf(b).UnixNano())
		})
	}
}

// dueOf is when an item needs a decision: the escalation deadline, else
// the proposal's expiry.
func dueOf(it governance.InboxItem) time.Time {
	if it.DueAt.IsZero() || (!it.Proposal.ExpiresAt.IsZero() && it.Proposal.ExpiresAt.Before(it.DueAt)) {
		return it.Proposal.ExpiresAt
	}
	return it.DueAt
}

// now is the clock decisions use (the lifecycle's, so tests agree).
func (s *Server) now() time.Time {
	if s.Lifecycle != nil && s.Lifecycle.Now != nil {
		return s.Lifecycle.Now().UTC()
	}
	return time.Now().UTC()
}
