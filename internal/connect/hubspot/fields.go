package hubspot

import (
	"context"
	"fmt"
	"regexp"
	"strings"

	"github.com/towerops/tower/internal/connect"
)

// propertyOf maps Tower's field names to HubSpot contact properties.
var propertyOf = map[string]string{
	"email": "email", "first_name": "firstname", "last_name": "lastname", "title": "jobtitle",
	"phone": "phone", "country": "country", "region": "state", "company": "company",
	"lifecycle_stage": "lifecyclestage",
}

// internalName is the shape of a HubSpot property's internal name.
var internalName = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)

// Property returns the HubSpot contact property that holds a Tower field:
// a standard field by the table above, traits.NAME as the custom property
// whose internal name is NAME (lower-cased).
func Property(field string) (string, error) {
	if p, ok := propertyOf[field]; ok {
		return p, nil
	}
	name, ok := strings.CutPrefix(field, "traits.")
	if !ok {
		return "", fmt.Errorf("hubspot: update_field: %q is not a field HubSpot contacts have; use one of email, first_name, last_name, title, phone, country, region, company, lifecycle_stage, or traits.NAME for a custom property", field)
	}
	name = strings.ToLower(strings.TrimSpace(name))
	if !internalName.MatchString(name) {
		return "", fmt.Errorf("hubspot: update_field: %q: a HubSpot property's internal name is lower-case letters, digits and _, starting with a letter", field)
	}
	if name == "hs_email_optout" {
		return "", fmt.Errorf("hubspot: update_field: hs_email_optout is read-only in HubSpot; suppress or unsuppress the record instead")
	}
	return name, nil
}

// updateFields sends field updates in one batch update.
func (h *HubSpot) updateFields(ctx context.Context, changes []connect.Change, idx []int, res []connect.Result) {
	var send []int
	for _, i := range idx {
		switch _, err := Property(changes[i].Field); {
		case err != nil:
			res[i].Err = err
		case changes[i].SystemID == "":
			res[i].Err = fmt.Errorf("hubspot: update_field: the change names no contact id")
		default:
			send = append(send, i)
		}
	}
	h.batch(ctx, call{path: "/crm/v3/objects/contacts/batch/update", what: "update contact",
		input: func(ch connect.Change) any {
			p, _ := Property(ch.Field)
			return map[string]any{"id": ch.SystemID, "properties": map[string]string{p: ch.Value}}
		},
		ident: func(ch connect.Change) string { return ch.SystemID }}, changes, send, res)
}
