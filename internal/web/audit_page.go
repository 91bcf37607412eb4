package web

import (
	"bytes"
	"context"
	"encoding/hex"
	"encoding/json"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/towerops/tower/internal/audit"
	"github.com/towerops/tower/internal/auth"
	"github.com/towerops/tower/internal/store"
)

func init() {
	addFuncs(template.FuncMap{
		// subjectLink is the console page of an audit subject, "" when it
		// has none.
		"subjectLink": func(subject string) string {
			kind, id, _ := strings.Cut(subject, ":")
			switch kind {
			case "proposal":
				return "/proposals/" + url.PathEscape(id)
			case "agent":
				return "/agents/" + url.PathEscape(id)
			case "person":
				return "/people/" + url.PathEscape(id)
			case "account":
				return "/accounts/" + url.PathEscape(id)
			}
			return ""
		},
		// auditDetails is an entry's data as indented JSON, "" for none.
		"auditDetails": func(b []byte) string {
			var buf bytes.Buffer
			if len(b) == 0 || string(b) == "null" || json.Indent(&buf, b, "", "  ") != nil {
				return ""
			}
			return buf.String()
		},
		"shortHash": func(b []byte) string {
			h := hex.EncodeToString(b)
			if len(h) > 12 {
				h = h[:12]
			}
			return h
		},
	})
}

// auditScanBudget bounds how many entries one page reads looking for
// entries that match the filters; the "older" link carries on from
// where it stopped.
const auditScanBudget = 20000

// auditFilter is what the list is narrowed to: each a case-insensitive
// part of the actor, action or subject.
type auditFilter struct{ Actor, Action, Subject string }

func (f auditFilter) match(e store.AuditEntry) bool {
	has := func(s, part string) bool {
		return part == "" || strings.Contains(strings.ToLower(s), strings.ToLower(part))
	}
	return has(e.Actor, f.Actor) && has(e.Action, f.Action) && has(e.Subject, f.Subject)
}

func (f auditFilter) query() url.Values {
	v := url.Values{}
	for k, s := range map[string]string{"actor": f.Actor, "action": f.Action, "subject": f.Subject} {
		if s != "" {
			v.Set(k, s)
		}
	}
	return v
}

type auditData struct {
	Verify   *audit.VerifyReport
	CanList  bool
	Filter   auditFilter
	Entries  []store.AuditEntry
	Newer    string
	Older    string
	Scanned  int
	Budgeted bool // the scan stopped at its budget; older entries may match
}

// auditPage shows whether the audit log's hash chain is intact (to
// everyone) and the log itself, newest first, to architects and admins —
// the same split as the API.
func (s *Server) auditPage(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	rep, err := audit.Verify(ctx, s.Store)
	if err != nil {
		s.readFailed(w, r, "audit log", err)
		return
	}
	d := auditData{Verify: rep, CanList: auth.Allows(sessionFrom(ctx).Principal.Role, store.RoleArchitect)}
	q := r.URL.Query()
	d.Filter = auditFilter{Actor: strings.TrimSpace(q.Get("actor")), Action: strings.TrimSpace(q.Get("action")), Subject: strings.TrimSpace(q.Get("subject"))}
	if d.CanList {
		if err := s.auditEntries(ctx, r, &d); err != nil {
			s.readFailed(w, r, "audit log", err)
			return
		}
	}
	s.render(w, r, http.StatusOK, "audit", "Audit log", d)
}

// auditEntries fills one page of the log: entries before ?before= (the
// newest when absent), or just after ?after= when paging back to newer.
func (s *Server) auditEntries(ctx context.Context, r *http.Request, d *auditData) error {
	after := intParam(r, "after", 0)
	link := func(key string, seq int64) string {
		v := d.Filter.query()
		v.Set(key, strconv.FormatInt(seq, 10))
		return "?" + v.Encode()
	}
	if after > 0 {
		// Forward from after, then shown newest first.
		from, head := after, false
		for !head && d.Scanned < auditScanBudget && len(d.Entries) < listPage {
			es, err := s.Store.AuditList(ctx, &store.AuditListParams{AfterSeq: from, Limit: 500})
			if err != nil {
				return err
			}
			head = len(es) < 500
			for _, e := range es {
				if len(d.Entries) == listPage {
					head = false
					break
				}
				d.Scanned++
				from = e.Seq
				if d.Filter.match(e) {
					d.Entries = append(d.Entries, e)
				}
			}
		}
		slices.Reverse(d.Entries)
		if !head {
			d.Newer = link("after", from)
		}
		d.Older = link("before", after+1)
		return nil
	}
	before := intParam(r, "before", 0)
	if before == 0 {
		head, err := auditHead(ctx, s.Store)
		if err != nil {
			return err
		}
		before = head + 1
	}
	// Every entry at or after low has been looked at; the next read
	// covers the (at most 500) seqs just below it.
	low := before
	for low > 1 && d.Scanned < auditScanBudget && len(d.Entries) < listPage {
		from := max(0, low-1-500)
		es, err := s.Store.AuditList(ctx, &store.AuditListParams{AfterSeq: from, Limit: 500})
		if err != nil {
			return err
		}
		full := false
		for i := len(es) - 1; i >= 0 && !full; i-- {
			e := es[i]
			if e.Seq >= low {
				continue
			}
			d.Scanned++
			if d.Filter.match(e) {
				d.Entries = append(d.Entries, e)
				if full = len(d.Entries) == listPage; full {
					low = e.Seq
				}
			}
		}
		if !full {
			low = from + 1
		}
	}
	d.Budgeted = d.Scanned >= auditScanBudget && len(d.Entries) < listPage
	if low > 1 {
		d.Older = link("before", low)
	}
	if r.URL.Query().Has("before") && len(d.Entries) > 0 {
		d.Newer = link("after", d.Entries[0].Seq)
	}
	return nil
}

// auditHead finds the newest entry's Seq with a few probes (the log is
// read in Seq order only): double until nothing follows, then bisect.
func auditHead(ctx context.Context, q store.Queries) (int64, error) {
	exists := func(after int64) (bool, error) {
		es, err := q.AuditList(ctx, &store.AuditListParams{AfterSeq: after, Limit: 1})
		return len(es) > 0, err
	}
	lo, hi := int64(0), int64(1024)
	for {
		ok, err := exists(hi)
		if err != nil {
			return 0, err
		}
		if !ok {
			break
		}
		lo, hi = hi+1, hi*2
	}
	// The head is the least x in [lo, hi] that nothing follows.
	for lo < hi {
		mid := lo + (hi-lo)/2
		ok, err := exists(mid)
		if err != nil {
			return 0, err
		}
		if ok {
			lo = mid + 1
		} else {
			hi = mid
		}
	}
	return lo, nil
}
