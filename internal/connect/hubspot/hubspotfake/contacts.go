package hubspotfake

import (
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

func stamp(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000Z") }

// properties reads the properties query parameter, comma-separated or
// repeated, as HubSpot accepts both.
func properties(r *http.Request) []string {
	var out []string
	for _, v := range r.URL.Query()["properties"] {
		for p := range strings.SplitSeq(v, ",") {
			if p = strings.TrimSpace(p); p != "" {
				out = append(out, p)
			}
		}
	}
	return out
}

// list is GET /crm/v3/objects/contacts: limit (default 10, at most 100),
// after (the cursor the previous page gave), properties.
func (f *Fake) list(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	limit := 10
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > BatchLimit {
			writeError(w, http.StatusBadRequest, "VALIDATION_ERROR", fmt.Sprintf("limit must be between 1 and %d, got %q", BatchLimit, v))
			return
		}
		limit = n
	}
	after := 0
	if v := q.Get("after"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			writeError(w, http.StatusBadRequest, "VALIDATION_ERROR", fmt.Sprintf("invalid paging cursor %q", v))
			return
		}
		after = n
	}
	props := properties(r)
	f.mu.Lock()
	defer f.mu.Unlock()
	var results []map[string]any
	next := ""
	for _, id := range f.order {
		c := f.contacts[id]
		n, _ := strconv.Atoi(id)
		if c.mergedInto != "" || n < after {
			continue
		}
		if len(results) == limit {
			next = id
			break
		}
		results = append(results, f.object(c, props))
	}
	body := map[string]any{"results": results}
	if results == nil {
		body["results"] = []any{}
	}
	if next != "" {
		body["paging"] = map[string]any{"next": map[string]any{"after": next,
			"link": "https://api.hubapi.com/crm/v3/objects/contacts?after=" + next}}
	}
	writeJSON(w, http.StatusOK, body)
}

// get is GET /crm/v3/objects/contacts/{id}; a merged id answers with the
// contact it was merged into.
func (f *Fake) get(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	c := f.resolve(r.PathValue("id"))
	if c == nil {
		writeError(w, http.StatusNotFound, "OBJECT_NOT_FOUND", "resource not found")
		return
	}
	writeJSON(w, http.StatusOK, f.object(c, properties(r)))
}

var propertyName = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)

// readOnly are properties HubSpot computes; writing them fails the batch.
var readOnly = map[string]bool{"hs_email_optout": true, "hs_object_id": true, "createdate": true,
	"lastmodifieddate": true, "hs_merged_object_ids": true}

// batchUpdate is POST /crm/v3/objects/contacts/batch/update.
func (f *Fake) batchUpdate(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Inputs []struct {
			ID         string            `json:"id"`
			Properties map[string]string `json:"properties"`
		} `json:"inputs"`
	}
	if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
		writeError(w, http.StatusBadRequest, "VALIDATION_ERROR", "Invalid input JSON on line 1: "+err.Error())
		return
	}
	if len(body.Inputs) > BatchLimit {
		writeError(w, http.StatusBadRequest, "VALIDATION_ERROR", fmt.Sprintf("Batch input has %d items; the maximum is %d", len(body.Inputs), BatchLimit))
		return
	}
	var seen []string
	for _, in := range body.Inputs {
		if slices.Contains(seen, in.ID) {
			writeError(w, http.StatusBadRequest, "VALIDATION_ERROR", fmt.Sprintf("Duplicate IDs found in batch input: [%s]. IDs must be unique", in.ID))
			return
		}
		seen = append(seen, in.ID)
		for name := range in.Properties {
			if readOnly[name] {
				writeError(w, http.StatusBadRequest, "VALIDATION_ERROR", fmt.Sprintf("Property values were not valid: %q is a read only property; its value cannot be set.", name))
				return
			}
			if !propertyName.MatchString(name) {
				writeError(w, http.StatusBadRequest, "VALIDATION_ERROR", fmt.Sprintf("Property values were not valid: Property %q does not exist", name))
				return
			}
		}
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	now := f.clock.Now()
	var results []map[string]any
	var missing []string
	var errs []map[string]any
	for _, in := range body.Inputs {
		c := f.resolve(in.ID)
		switch {
		case c == nil:
			missing = append(missing, in.ID)
			continue
		case f.rejected[c.id]:
			errs = append(errs, map[string]any{"status": "error", "category": "VALIDATION_ERROR",
				"message": fmt.Sprintf("Contact %s cannot be edited: it is locked by a running workflow", in.ID), "context": map[string]any{"ids": []string{in.ID}}})
			continue
		}
		changed := false
		for k, v := range in.Properties {
			if c.props[k] != v {
				c.props[k], changed = v, true
			}
		}
		if changed {
			c.updated = now
			f.mutations++
		}
		results = append(results, f.object(c, slices.Sorted(maps.Keys(in.Properties))))
	}
	if len(missing) > 0 {
		errs = append(errs, map[string]any{"status": "error", "category": "OBJECT_NOT_FOUND",
			"message": "Could not get some CONTACT objects, they may be deleted or not exist. Check that ids are valid.",
			"context": map[string]any{"ids": missing}})
	}
	writeBatch(w, results, errs, now)
}

// writeBatch answers a batch call: 200 when every input succeeded, 207
// Multi-Status with HubSpot's errors array otherwise.
func writeBatch(w http.ResponseWriter, results []map[string]any, errs []map[string]any, now time.Time) {
	body := map[string]any{"status": "COMPLETE", "results": results, "startedAt": stamp(now), "completedAt": stamp(now)}
	if results == nil {
		body["results"] = []any{}
	}
	status := http.StatusOK
	if len(errs) > 0 {
		status = http.StatusMultiStatus
		body["numErrors"] = len(errs)
		body["errors"] = errs
	}
	writeJSON(w, status, body)
}

// merge is POST /crm/v3/objects/contacts/merge.
func (f *Fake) merge(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Primary string `json:"primaryObjectId"`
		ToMerge string `json:"objectIdToMerge"`
	}
	if err := json.NewDecoder(r.Body).Decode(&body); err != nil || body.Primary == "" || body.ToMerge == "" {
		writeError(w, http.StatusBadRequest, "VALIDATION_ERROR", "primaryObjectId and objectIdToMerge are required")
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	p, m := f.contacts[body.Primary], f.contacts[body.ToMerge]
	switch {
	case p == nil || m == nil:
		writeError(w, http.StatusNotFound, "OBJECT_NOT_FOUND", "resource not found")
		return
	case body.Primary == body.ToMerge:
		writeError(w, http.StatusBadRequest, "VALIDATION_ERROR", "Cannot merge an object with itself")
		return
	case m.mergedInto != "" || p.mergedInto != "":
		writeError(w, http.StatusBadRequest, "VALIDATION_ERROR", "Cannot merge objects that were already merged")
		return
	case f.rejected[p.id] || f.rejected[m.id]:
		writeError(w, http.StatusBadRequest, "VALIDATION_ERROR", "Contacts locked by a running workflow cannot be merged")
		return
	}
	for k, v := range m.props {
		if p.props[k] == "" {
			p.props[k] = v
		}
	}
	m.mergedInto = p.id
	p.mergedIDs = append(p.mergedIDs, m.id)
	p.updated = f.clock.Now()
	f.mutations++
	writeJSON(w, http.StatusOK, f.object(p, []string{"email", "firstname", "lastname"}))
}
