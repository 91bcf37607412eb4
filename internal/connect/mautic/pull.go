package mautic

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/towerops/tower/internal/connect"
	"github.com/towerops/tower/internal/foundation"
)

// ContactList is Mautic's answer to GET /api/contacts. Contacts is an
// object keyed by contact id — or an empty JSON array when there are none
// (PHP serialises an empty array so), which is why it is kept raw.
type ContactList struct {
	Total    json.RawMessage `json:"total"` // a number or a numeric string
	Contacts json.RawMessage `json:"contacts"`
}

// Contact is the part of a Mautic contact Tower reads.
type Contact struct {
	ID           int64          `json:"id"`
	DateAdded    string         `json:"dateAdded,omitempty"`
	DateModified string         `json:"dateModified,omitempty"`
	Fields       ContactFields  `json:"fields"`
	DoNotContact []DoNotContact `json:"doNotContact"`
}

// ContactFields holds every field by alias under "all".
type ContactFields struct {
	All map[string]any `json:"all"`
}

// DoNotContact is one lead_donotcontact entry.
type DoNotContact struct {
	ID        int64  `json:"id,omitempty"`
	Reason    int    `json:"reason"`
	Comments  string `json:"comments,omitempty"`
	Channel   string `json:"channel"`
	DateAdded string `json:"dateAdded,omitempty"`
}

// Pull reads every contact, PageSize at a time ordered by id, each page
// tried again with backoff while Mautic rate-limits or fails. It moves on
// by what a page held, not by what it asked for, so a Mautic that caps
// the page size lower still gets read to the end (its total says where
// that is).
func (c *Connector) Pull(ctx context.Context, emit func(context.Context, connect.Batch) error) error {
	for start := 0; ; {
		var page []Contact
		total := -1
		err := connect.Retry(ctx, c.env.Clock, c.backoff, pullAttempts, func(ctx context.Context) error {
			var err error
			page, total, err = c.listPage(ctx, start)
			return err
		})
		if err != nil {
			return err
		}
		if len(page) == 0 {
			return nil
		}
		if err := emit(ctx, c.batchOf(page)); err != nil {
			return err
		}
		start += len(page)
		if (total >= 0 && start >= total) || (total < 0 && len(page) < PageSize) {
			return nil
		}
	}
}

// listPage reads one page and the total Mautic reports (-1 if it did not).
func (c *Connector) listPage(ctx context.Context, start int) ([]Contact, int, error) {
	q := url.Values{"start": {strconv.Itoa(start)}, "limit": {strconv.Itoa(PageSize)},
		"orderBy": {"id"}, "orderByDir": {"asc"}}
	var list ContactList
	if err := c.client.Do(ctx, "GET", "/api/contacts?"+q.Encode(), nil, &list); err != nil {
		return nil, 0, explain(fmt.Sprintf("list contacts from %d", start), err)
	}
	page, err := decodeContacts(list.Contacts)
	if err != nil {
		return nil, 0, fmt.Errorf("mautic: list contacts from %d: %w", start, err)
	}
	total := -1
	if t := strings.Trim(string(bytes.TrimSpace(list.Total)), `"`); t != "" {
		if n, err := strconv.Atoi(t); err == nil {
			total = n
		}
	}
	return page, total, nil
}

// decodeContacts reads the contacts object (or empty array), in id order.
func decodeContacts(raw json.RawMessage) ([]Contact, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || raw[0] == '[' || string(raw) == "null" {
		var list []Contact
		if len(raw) > 0 && raw[0] == '[' {
			if err := json.Unmarshal(raw, &list); err != nil {
				return nil, fmt.Errorf("read contacts: %w", err)
			}
		}
		return list, nil
	}
	var byID map[string]Contact
	if err := json.Unmarshal(raw, &byID); err != nil {
		return nil, fmt.Errorf("read contacts: %w", err)
	}
	out := make([]Contact, 0, len(byID))
	for k, ct := range byID {
		if ct.ID == 0 {
			ct.ID, _ = strconv.ParseInt(k, 10, 64)
		}
		out = append(out, ct)
	}
	slices.SortFunc(out, func(a, b Contact) int { return int(a.ID - b.ID) })
	return out, nil
}

func (c *Connector) batchOf(page []Contact) connect.Batch {
	var b connect.Batch
	now := c.env.Clock.Now().UTC()
	for _, ct := range page {
		rec := c.recordOf(ct)
		b.Records = append(b.Records, rec)
		for _, d := range ct.DoNotContact {
			ch, ok := channelOf(d.Channel)
			if !ok {
				continue
			}
			at := parseTime(d.DateAdded)
			if at.IsZero() {
				at = rec.UpdatedAt
			}
			if at.IsZero() {
				at = now
			}
			reason := d.Comments
			if reason == "" {
				reason = fmt.Sprintf("mautic do-not-contact reason %d", d.Reason)
			}
			b.Consent = append(b.Consent, foundation.Consent{System: c.cfg.System, SystemID: rec.SystemID,
				Email: foundation.NormalizeEmail(rec.Email), Channel: ch, Status: StatusOf(d.Reason), Reason: reason, At: at})
		}
	}
	return b
}

func (c *Connector) recordOf(ct Contact) foundation.Record {
	f := ct.Fields.All
	r := foundation.Record{System: c.cfg.System, SystemID: strconv.FormatInt(ct.ID, 10),
		Email: str(f["email"]), FirstName: str(f["firstname"]), LastName: str(f["lastname"]),
		Title: str(f["position"]), Phone: str(f["phone"]), Country: str(f["country"]), Region: str(f["state"]),
		CreatedAt: parseTime(ct.DateAdded), UpdatedAt: parseTime(ct.DateModified)}
	for k, v := range f {
		if mappedAliases[k] {
			continue
		}
		if s := str(v); s != "" {
			if r.Traits == nil {
				r.Traits = foundation.Traits{}
			}
			r.Traits[k] = s
		}
	}
	return r
}

// str reads a field value: Mautic sends strings, numbers, booleans or null.
func str(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return strings.TrimSpace(x)
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case bool:
		return strconv.FormatBool(x)
	}
	return fmt.Sprint(v)
}

// parseTime reads Mautic's ISO 8601 dates; zero when absent or unreadable.
func parseTime(s string) time.Time {
	if s == "" {
		return time.Time{}
	}
	for _, layout := range []string{time.RFC3339, "2006-01-02T15:04:05-0700", time.DateTime} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC()
		}
	}
	return time.Time{}
}
