package salesforcefake

import (
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"strings"
)

type cursor struct {
	ids    []string
	fields []string
	size   int
}

var soql = regexp.MustCompile(`(?is)^\s*SELECT\s+(.+?)\s+FROM\s+(\w+)(?:\s+ORDER\s+BY\s+\w+(?:\s+(?:ASC|DESC))?)?\s*$`)

// query is GET /services/data/vXX.X/query?q=SELECT … FROM Object. It
// honours the Sforce-Query-Options batchSize header (200 to 2000).
func (f *Fake) query(w http.ResponseWriter, r *http.Request) {
	m := soql.FindStringSubmatch(r.URL.Query().Get("q"))
	if m == nil {
		writeError(w, http.StatusBadRequest, "MALFORMED_QUERY", fmt.Sprintf("unexpected token: %q", r.URL.Query().Get("q")))
		return
	}
	if !strings.EqualFold(m[2], f.object) {
		writeError(w, http.StatusBadRequest, "INVALID_TYPE", fmt.Sprintf("sObject type '%s' is not supported.", m[2]))
		return
	}
	var fields []string
	for raw := range strings.SplitSeq(m[1], ",") {
		name, ok := f.hasField(strings.TrimSpace(raw))
		if !ok {
			writeError(w, http.StatusBadRequest, "INVALID_FIELD", fmt.Sprintf("No such column '%s' on entity '%s'.", strings.TrimSpace(raw), f.object))
			return
		}
		fields = append(fields, name)
	}
	f.mu.Lock()
	size := f.pageSize
	if opt := r.Header.Get("Sforce-Query-Options"); opt != "" {
		if v, ok := strings.CutPrefix(strings.TrimSpace(opt), "batchSize="); ok {
			if n, err := strconv.Atoi(v); err == nil && n >= 200 && n <= 2000 {
				size = n
			}
		}
	}
	c := cursor{ids: append([]string(nil), f.order...), fields: fields, size: size}
	f.mu.Unlock()
	f.page(w, r.PathValue("version"), c, 0)
}

// more is GET /services/data/vXX.X/query/{locator}-{offset}.
func (f *Fake) more(w http.ResponseWriter, r *http.Request) {
	loc, off, _ := strings.Cut(r.PathValue("locator"), "-")
	n, err := strconv.Atoi(off)
	f.mu.Lock()
	c, ok := f.cursors[loc]
	f.mu.Unlock()
	if !ok || err != nil || n < 0 || n > len(c.ids) {
		writeError(w, http.StatusNotFound, "INVALID_QUERY_LOCATOR", "invalid query locator")
		return
	}
	f.page(w, r.PathValue("version"), c, n)
}

func (f *Fake) page(w http.ResponseWriter, version string, c cursor, from int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	to := min(from+c.size, len(c.ids))
	records := []map[string]any{}
	for _, id := range c.ids[from:to] {
		rec := f.records[id]
		out := map[string]any{"attributes": map[string]any{"type": f.object, "url": fmt.Sprintf("/services/data/%s/sobjects/%s/%s", version, f.object, id)}}
		for _, name := range c.fields {
			out[name] = rec[name]
		}
		records = append(records, out)
	}
	body := map[string]any{"totalSize": len(c.ids), "done": to == len(c.ids), "records": records}
	if to < len(c.ids) {
		loc := fmt.Sprintf("01gFK%013d", len(f.cursors)+1)
		f.cursors[loc] = c
		body["nextRecordsUrl"] = fmt.Sprintf("/services/data/%s/query/%s-%d", version, loc, to)
	}
	writeJSON(w, http.StatusOK, body)
}
