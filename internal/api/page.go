package api

import (
	"encoding/base64"
	"encoding/json"
	"strings"
)

// Every list answers {"items":[…],"next_cursor":"…"} and takes
// ?limit=N&cursor=C. The cursor is opaque to clients: base64url of a small
// JSON object naming the list it belongs to and where the next page
// starts — a key where the store pages by key (agents by name, the audit
// log by entry number, so a page never shifts when rows are added before
// it) and an offset elsewhere. A cursor of one list is refused by another.

// Limits of a page.
const (
	defaultLimit = 50
	maxLimit     = 500
)

// PageParams are the query parameters of every list.
type PageParams struct {
	Limit  int    `query:"limit" minimum:"1" maximum:"500" default:"50" doc:"How many items per page (1 to 500)."`
	Cursor string `query:"cursor" doc:"Where to continue: the next_cursor of the previous page. Leave out for the first page."`
}

// Page is one page of a list.
type Page[T any] struct {
	Items []T `json:"items" nullable:"false"`
	// NextCursor is empty on the last page.
	NextCursor string `json:"next_cursor,omitempty" doc:"Pass as ?cursor= to get the next page; absent on the last page."`
}

// cursor is what a cursor says.
type cursor struct {
	List   string `json:"l"`
	Offset int    `json:"o,omitempty"`
	After  string `json:"a,omitempty"` // the last key of the previous page
	Seq    int64  `json:"s,omitempty"`
}

func (c cursor) encode() string {
	b, _ := json.Marshal(c)
	return base64.RawURLEncoding.EncodeToString(b)
}

// decodeCursor reads the cursor of list; the zero cursor when s is empty.
func decodeCursor(list, s string) (cursor, error) {
	if s == "" {
		return cursor{List: list}, nil
	}
	var c cursor
	b, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(s, "="))
	if err == nil {
		err = json.Unmarshal(b, &c)
	}
	if err != nil || c.List != list || c.Offset < 0 || c.Seq < 0 {
		return c, invalid("query.cursor", "the cursor is not one this list gave out; pass next_cursor as it was, or leave it out to start again")
	}
	return c, nil
}

// limit is the page size asked for, within bounds.
func (p PageParams) limit() int {
	switch {
	case p.Limit <= 0:
		return defaultLimit
	case p.Limit > maxLimit:
		return maxLimit
	}
	return p.Limit
}

// offsetPage reads the offset cursor of list.
func (p PageParams) offsetPage(list string) (offset, limit int, err error) {
	c, err := decodeCursor(list, p.Cursor)
	return c.Offset, p.limit(), err
}

// pageAt builds the page of rows read at offset with one row more than
// limit asked for: that extra row only says there is a next page.
func pageAt[T any](list string, rows []T, offset, limit int) Page[T] {
	out := Page[T]{Items: rows}
	if len(rows) > limit {
		out.Items = rows[:limit]
		out.NextCursor = cursor{List: list, Offset: offset + limit}.encode()
	}
	if out.Items == nil {
		out.Items = []T{}
	}
	return out
}

// pageOfSlice pages a list Tower holds in memory (skills, policies).
func pageOfSlice[T any](list string, all []T, p PageParams) (Page[T], error) {
	offset, limit, err := p.offsetPage(list)
	if err != nil {
		return Page[T]{}, err
	}
	if offset > len(all) {
		offset = len(all)
	}
	end := min(offset+limit+1, len(all))
	return pageAt(list, all[offset:end], offset, limit), nil
}

// mapItems converts a page's rows to their views.
func mapItems[S, T any](rows []S, f func(S) T) []T {
	out := make([]T, len(rows))
	for i, r := range rows {
		out[i] = f(r)
	}
	return out
}
