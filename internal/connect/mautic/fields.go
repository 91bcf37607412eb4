package mautic

import (
	"fmt"
	"strings"
)

// towerToAlias maps Tower's record fields to Mautic's core contact field
// aliases. A trait ("traits.NAME") maps to the custom field alias NAME.
var towerToAlias = map[string]string{
	"email":      "email",
	"first_name": "firstname",
	"last_name":  "lastname",
	"title":      "position",
	"phone":      "phone",
	"country":    "country",
	"region":     "state",
}

// Alias is the Mautic field alias for a Tower field name.
func Alias(field string) (string, error) {
	if a, ok := towerToAlias[field]; ok {
		return a, nil
	}
	if name, ok := strings.CutPrefix(field, "traits."); ok && name != "" {
		return name, nil
	}
	return "", fmt.Errorf("field %q has no Mautic equivalent (use email, first_name, last_name, title, phone, country, region or traits.ALIAS)", field)
}

// mappedAliases are Mautic fields read into Record fields; every other
// non-empty field of a contact becomes a trait.
var mappedAliases = map[string]bool{"id": true, "email": true, "firstname": true, "lastname": true,
	"position": true, "phone": true, "country": true, "state": true}
