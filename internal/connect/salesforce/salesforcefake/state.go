package salesforcefake

import (
	"fmt"
	"strings"

	"github.com/towerops/tower/internal/connect/connecttest"
	"github.com/towerops/tower/internal/foundation"
)

// fieldsOf are the standard fields the fake's objects have; any name
// ending in __c is a custom field.
var fieldsOf = map[string][]string{
	"Contact": {"Id", "Email", "FirstName", "LastName", "Title", "Phone", "MailingCountry", "MailingState", "AccountId",
		"HasOptedOutOfEmail", "DoNotCall", "CreatedDate", "LastModifiedDate"},
	"Lead": {"Id", "Email", "FirstName", "LastName", "Title", "Phone", "Country", "State", "Company",
		"HasOptedOutOfEmail", "DoNotCall", "CreatedDate", "LastModifiedDate"},
}

// readOnly are fields Salesforce sets itself.
var readOnly = map[string]bool{"Id": true, "CreatedDate": true, "LastModifiedDate": true}

// hasField reports whether the object has a field (case-insensitive, as
// SOQL and the REST API are), and its proper spelling.
func (f *Fake) hasField(name string) (string, bool) {
	for _, n := range fieldsOf[f.object] {
		if strings.EqualFold(n, name) {
			return n, true
		}
	}
	if strings.HasSuffix(strings.ToLower(name), "__c") && len(name) > 3 {
		return name, true
	}
	return "", false
}

// Seed creates records; a suppressed seed has HasOptedOutOfEmail set.
func (f *Fake) Seed(recs []connecttest.Seed) []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	now := stamp(f.clock.Now())
	ids := make([]string, len(recs))
	for i, s := range recs {
		id := recordID(f.object, f.nextID)
		f.nextID++
		rec := map[string]any{"Id": id, "Email": s.Email, "FirstName": s.FirstName, "LastName": s.LastName,
			"HasOptedOutOfEmail": s.Suppressed, "DoNotCall": false, "CreatedDate": now, "LastModifiedDate": now}
		if f.object == "Lead" {
			rec["Company"] = "Unknown"
		}
		f.records[id] = rec
		f.order = append(f.order, id)
		ids[i] = id
	}
	return ids
}

// Set sets a field of a record directly (for mapping tests).
func (f *Fake) Set(id, field string, v any) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if r := f.records[id]; r != nil {
		r[field] = v
	}
}

// Get returns a field of a record as the fake holds it.
func (f *Fake) Get(id, field string) any {
	f.mu.Lock()
	defer f.mu.Unlock()
	if r := f.records[id]; r != nil {
		return r[field]
	}
	return nil
}

// Sendable reports whether the record may be contacted on ch: e-mail
// unless HasOptedOutOfEmail, phone unless DoNotCall. Salesforce has no
// standard SMS opt-out, so SMS is always sendable here.
func (f *Fake) Sendable(id string, ch foundation.Channel) bool {
	switch ch {
	case foundation.ChannelEmail:
		return f.Get(id, "HasOptedOutOfEmail") == false
	case foundation.ChannelPhone:
		return f.Get(id, "DoNotCall") == false
	}
	return f.Get(id, "Id") != nil
}

// Field returns a Tower field of the record, by the fake's own reading of
// which Salesforce field holds it.
func (f *Fake) Field(id, field string) string {
	country, region := "MailingCountry", "MailingState"
	if f.object == "Lead" {
		country, region = "Country", "State"
	}
	name, ok := map[string]string{"email": "Email", "first_name": "FirstName", "last_name": "LastName",
		"title": "Title", "phone": "Phone", "country": country, "region": region, "company": "Company"}[field]
	if t, isTrait := strings.CutPrefix(field, "traits."); isTrait {
		name, ok = t, true
		if !strings.HasSuffix(name, "__c") {
			name += "__c"
		}
	}
	if !ok {
		return ""
	}
	if v := f.Get(id, name); v != nil {
		return fmt.Sprint(v)
	}
	return ""
}

// MergedInto is always "": the REST API has no merge, and the fake none.
func (f *Fake) MergedInto(id string) string { return "" }
