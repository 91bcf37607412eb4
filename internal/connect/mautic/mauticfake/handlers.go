package mauticfake

import (
	"encoding/json"
	"io"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"time"

	"github.com/towerops/tower/internal/connect/mautic"
)

const (
	msgNotFound = "Item was not found."
	msgDenied   = "You do not have access to the requested area/action."
)

func (s *Server) render(id int64, c *contact) mautic.Contact {
	all := map[string]any{"id": strconv.FormatInt(id, 10)}
	for k, v := range c.fields {
		all[k] = v
	}
	out := mautic.Contact{ID: id, DateAdded: c.added.Format(time.RFC3339), DateModified: c.modified.Format(time.RFC3339),
		Fields: mautic.ContactFields{All: all}, DoNotContact: []mautic.DoNotContact{}}
	for _, ch := range slices.Sorted(maps.Keys(c.dnc)) {
		d := c.dnc[ch]
		out.DoNotContact = append(out.DoNotContact, mautic.DoNotContact{ID: d.id, Reason: d.reason, Comments: d.comments, Channel: ch})
	}
	return out
}

// list answers GET /api/contacts?start&limit&orderBy=id: contacts keyed
// by id, total as a string (as Mautic sends it), [] when the page is empty.
func (s *Server) list(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	start, _ := strconv.Atoi(q.Get("start"))
	limit, err := strconv.Atoi(q.Get("limit"))
	if err != nil || limit <= 0 {
		limit = 30 // Mautic's default_pagelimit
	}
	ids := make([]int64, 0, len(s.contacts))
	for id := range s.contacts {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	if q.Get("orderByDir") == "desc" {
		slices.Reverse(ids)
	}
	page := map[string]mautic.Contact{}
	for i := start; i < len(ids) && i < start+limit; i++ {
		page[strconv.FormatInt(ids[i], 10)] = s.render(ids[i], s.contacts[ids[i]])
	}
	var contacts any = page
	if len(page) == 0 {
		contacts = []any{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"total": strconv.Itoa(len(ids)), "contacts": contacts})
}

// contactFor finds the contact of a path, answering the error itself.
func (s *Server) contactFor(w http.ResponseWriter, r *http.Request) (int64, *contact, bool) {
	id := atoi(r.PathValue("id"))
	c := s.contacts[id]
	switch {
	case c == nil:
		writeError(w, http.StatusNotFound, msgNotFound)
		return 0, nil, false
	case s.rejected[id]:
		writeError(w, http.StatusForbidden, msgDenied)
		return 0, nil, false
	}
	return id, c, true
}

// dncParams reads reason and comments from a JSON or form body.
func dncParams(r *http.Request) (reason int, comments string, err error) {
	b, err := io.ReadAll(r.Body)
	if err != nil {
		return 0, "", err
	}
	reason = mautic.ReasonManual
	if r.Header.Get("Content-Type") == "application/json" {
		var p struct {
			Reason   *int   `json:"reason"`
			Comments string `json:"comments"`
		}
		if len(b) > 0 {
			if err := json.Unmarshal(b, &p); err != nil {
				return 0, "", err
			}
		}
		if p.Reason != nil {
			reason = *p.Reason
		}
		return reason, p.Comments, nil
	}
	v, err := url.ParseQuery(string(b))
	if err != nil {
		return 0, "", err
	}
	if rs := v.Get("reason"); rs != "" {
		reason, _ = strconv.Atoi(rs)
	}
	return reason, v.Get("comments"), nil
}

func (s *Server) dncAdd(w http.ResponseWriter, r *http.Request) {
	id, c, ok := s.contactFor(w, r)
	if !ok {
		return
	}
	reason, comments, err := dncParams(r)
	if err != nil {
		writeError(w, http.StatusBadRequest, "Request body is not valid.")
		return
	}
	if reason == mautic.ReasonContactable {
		writeJSON(w, http.StatusBadRequest, mautic.ErrorBody{Errors: []mautic.ErrorItem{{Code: 400,
			Message: "Invalid reason code given", Details: json.RawMessage(`["Reason code needs to be an integer and higher than 0."]`)}}})
		return
	}
	ch := r.PathValue("channel")
	d, had := c.dnc[ch]
	changed := false
	switch {
	case !had:
		c.dnc[ch], changed = dnc{id: id, reason: reason, comments: comments}, true
	case d.reason != reason && d.reason == mautic.ReasonUnsubscribed:
		// Mautic never lets another reason overwrite the contact's own unsubscribe.
	case d.reason != reason:
		c.dnc[ch], changed = dnc{id: d.id, reason: reason, comments: comments}, true
	}
	if changed {
		c.modified = s.clock.Now()
		s.mutations++
	}
	writeJSON(w, http.StatusOK, map[string]any{"contact": s.render(id, c)})
}

func (s *Server) dncRemove(w http.ResponseWriter, r *http.Request) {
	id, c, ok := s.contactFor(w, r)
	if !ok {
		return
	}
	ch := r.PathValue("channel")
	_, had := c.dnc[ch]
	if had {
		delete(c.dnc, ch)
		c.modified = s.clock.Now()
		s.mutations++
	}
	writeJSON(w, http.StatusOK, map[string]any{"recordFound": had, "contact": s.render(id, c)})
}

// batchEdit answers PATCH /api/contacts/batch/edit: each entry is edited
// on its own; statusCodes has one code per entry, errors only the failed
// ones, keyed by their index (an object, as PHP sends a list with gaps).
func (s *Server) batchEdit(w http.ResponseWriter, r *http.Request) {
	var entries []map[string]any
	if err := json.NewDecoder(r.Body).Decode(&entries); err != nil || len(entries) == 0 {
		writeError(w, http.StatusBadRequest, "Request body is not valid.")
		return
	}
	if len(entries) > mautic.MaxBatch {
		writeError(w, http.StatusBadRequest, "A maximum of 200 entities are supported at a time.")
		return
	}
	codes := make([]int, len(entries))
	errs := map[string]mautic.ErrorItem{}
	var out []mautic.Contact
	for i, e := range entries {
		idf, _ := e["id"].(float64)
		id := int64(idf)
		c := s.contacts[id]
		fail := func(code int, msg string) {
			codes[i] = code
			errs[strconv.Itoa(i)] = mautic.ErrorItem{Code: code, Message: msg, Details: json.RawMessage("[]")}
		}
		switch {
		case c == nil:
			fail(http.StatusNotFound, msgNotFound)
			continue
		case s.rejected[id]:
			fail(http.StatusForbidden, msgDenied)
			continue
		}
		changed := false
		for k, v := range e {
			if k == "id" {
				continue
			}
			sv, _ := v.(string)
			if c.fields[k] != sv {
				c.fields[k] = sv
				changed = true
			}
		}
		if changed {
			c.modified = s.clock.Now()
			s.mutations++
		}
		codes[i] = http.StatusOK
		out = append(out, s.render(id, c))
	}
	ans := map[string]any{"contacts": out, "statusCodes": codes}
	if len(errs) > 0 {
		ans["errors"] = errs
	}
	writeJSON(w, http.StatusOK, ans)
}
