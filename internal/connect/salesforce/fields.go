package salesforce

import (
	"fmt"
	"regexp"
	"strings"
)

// apiName is the shape of a Salesforce field's API name.
var apiName = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_]*$`)

// Field returns the Salesforce field of object that holds a Tower field:
// standard fields by name (country and region are the mailing address on
// a Contact, the address on a Lead), traits.NAME as the custom field
// NAME__c (NAME as given when it already ends in __c).
func Field(object, field string) (string, error) {
	std := map[string]string{"email": "Email", "first_name": "FirstName", "last_name": "LastName",
		"title": "Title", "phone": "Phone", "country": "MailingCountry", "region": "MailingState"}
	if object == "Lead" {
		std["country"], std["region"], std["company"] = "Country", "State", "Company"
	}
	if f, ok := std[field]; ok {
		return f, nil
	}
	if field == "company" {
		return "", fmt.Errorf("salesforce: update_field: a Contact's company is its Account; change the Account in Salesforce, or set traits.NAME for a custom field")
	}
	name, ok := strings.CutPrefix(field, "traits.")
	if !ok {
		return "", fmt.Errorf("salesforce: update_field: %q is not a field a %s has; use one of email, first_name, last_name, title, phone, country, region, or traits.NAME for the custom field NAME__c", field, object)
	}
	name = strings.TrimSpace(name)
	if !strings.HasSuffix(name, "__c") {
		name += "__c"
	}
	if !apiName.MatchString(name) || strings.Contains(strings.TrimSuffix(name, "__c"), "__") {
		return "", fmt.Errorf("salesforce: update_field: %q: a custom field's API name is letters, digits and single underscores, starting with a letter", field)
	}
	return name, nil
}
