package hubspotfake

import (
	"strconv"
	"strings"

	"github.com/towerops/tower/internal/connect/connecttest"
	"github.com/towerops/tower/internal/foundation"
)

// propertyOf is the fake's own reading of which HubSpot contact property
// holds a Tower field, kept apart from the connector's so a wrong mapping
// there shows up as a wrong value here.
var propertyOf = map[string]string{"email": "email", "first_name": "firstname", "last_name": "lastname",
	"title": "jobtitle", "phone": "phone", "country": "country", "region": "state", "company": "company"}

// Seed creates contacts; a suppressed seed is unsubscribed from the
// marketing subscription (HubSpot's own "not subscribed" state; OptOutAll
// sets the stronger opt-out of all e-mail).
func (f *Fake) Seed(recs []connecttest.Seed) []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	now := f.clock.Now().UTC()
	ids := make([]string, len(recs))
	for i, s := range recs {
		id := strconv.Itoa(f.nextID)
		f.nextID++
		c := &contact{id: id, created: now, updated: now, props: map[string]string{
			"email": s.Email, "firstname": s.FirstName, "lastname": s.LastName}}
		f.contacts[id] = c
		f.order = append(f.order, id)
		if s.Suppressed {
			f.subs[strings.ToLower(s.Email)] = map[int64]string{MarketingSubscription: "UNSUBSCRIBED"}
		}
		ids[i] = id
	}
	return ids
}

// OptOutAll opts an address out of all e-mail, as a person clicking
// "unsubscribe from all" does.
func (f *Fake) OptOutAll(email string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.optOut[strings.ToLower(email)] = true
}

// SetProperty sets a contact property directly (for mapping tests).
func (f *Fake) SetProperty(id, name, value string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if c := f.contacts[id]; c != nil {
		c.props[name] = value
	}
}

// Property returns a contact property as the fake holds it.
func (f *Fake) Property(id, name string) string {
	f.mu.Lock()
	defer f.mu.Unlock()
	if c := f.resolve(id); c != nil {
		return c.props[name]
	}
	return ""
}

// Subscription returns the address's status for a subscription id
// ("" when never set).
func (f *Fake) Subscription(email string, sub int64) string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.subs[strings.ToLower(email)][sub]
}

// Sendable reports whether the contact may be e-mailed: not opted out of
// all e-mail, and not unsubscribed from the marketing subscription. The
// fake keeps no state for other channels, so they are always sendable.
func (f *Fake) Sendable(id string, ch foundation.Channel) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	c := f.resolve(id)
	if c == nil || ch != foundation.ChannelEmail {
		return c != nil
	}
	e := strings.ToLower(c.props["email"])
	return !f.optOut[e] && f.subs[e][MarketingSubscription] != "UNSUBSCRIBED"
}

// Field returns a Tower field of the contact.
func (f *Fake) Field(id, field string) string {
	name, ok := propertyOf[field]
	if t, isTrait := strings.CutPrefix(field, "traits."); isTrait {
		name, ok = t, true
	}
	if !ok {
		return ""
	}
	return f.Property(id, name)
}

// MergedInto returns the contact id was merged into.
func (f *Fake) MergedInto(id string) string {
	f.mu.Lock()
	defer f.mu.Unlock()
	if c := f.contacts[id]; c != nil {
		return c.mergedInto
	}
	return ""
}

// resolve follows merges, as HubSpot answers a merged id with the
// surviving record. Callers hold f.mu.
func (f *Fake) resolve(id string) *contact {
	c := f.contacts[id]
	for n := 0; c != nil && c.mergedInto != "" && n < 10; n++ {
		c = f.contacts[c.mergedInto]
	}
	return c
}

// byEmail finds the live contact with an address. Callers hold f.mu.
func (f *Fake) byEmail(email string) *contact {
	e := strings.ToLower(email)
	for _, id := range f.order {
		if c := f.contacts[id]; c.mergedInto == "" && strings.ToLower(c.props["email"]) == e {
			return c
		}
	}
	return nil
}

// object renders a contact as HubSpot's SimplePublicObject with the
// properties asked for (HubSpot always adds createdate,
// lastmodifieddate and hs_object_id). Callers hold f.mu.
func (f *Fake) object(c *contact, props []string) map[string]any {
	p := map[string]any{"createdate": stamp(c.created), "lastmodifieddate": stamp(c.updated), "hs_object_id": c.id}
	for _, name := range props {
		switch name {
		case "hs_email_optout":
			p[name] = strconv.FormatBool(f.optOut[strings.ToLower(c.props["email"])])
		case "hs_merged_object_ids":
			p[name] = strings.Join(c.mergedIDs, ";")
		default:
			if v, ok := c.props[name]; ok && v != "" {
				p[name] = v
			} else {
				p[name] = nil
			}
		}
	}
	return map[string]any{"id": c.id, "properties": p, "createdAt": stamp(c.created), "updatedAt": stamp(c.updated), "archived": false}
}
