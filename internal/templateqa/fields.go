package templateqa

import (
	"strings"
	"unicode"

	"github.com/towerops/tower/internal/foundation"
)

// systemVars are each platform's own variables: unsubscribe and
// view-in-browser links, campaign and sender data. They are filled by the
// platform at send time and are not foundation fields.
var systemVars = map[foundation.ESP]map[string]bool{
	"braze": set("${set_user_to_unsubscribed_url}", "${set_user_to_subscribed_url}", "${set_user_to_opted_in_url}",
		"${user_id}", "${braze_id}", "${view_in_browser}", "${email_subscription_state}", "${time_zone}",
		"campaign", "canvas", "event_properties", "api_trigger_properties", "canvas_entry_properties",
		"context", "content_blocks", "subscribed_state", "app", "card", "message_extras", "connected_content", "now"),
	"hubspot": set("unsubscribe_link", "unsubscribe_link_all", "unsubscribe_section", "view_as_page_url",
		"view_as_page_section", "site_settings", "subscription_settings", "content", "owner", "template_data",
		"local_dt", "request", "email_body", "unsubscribe_anchor", "subscription_confirmation_url"),
	"iterable": set("unsubscribeUrl", "unsubscribeMessageTypeUrl", "hostedUnsubscribeUrl", "viewInBrowserUrl",
		"webViewUrl", "campaignId", "templateId", "messageId", "emailListIds", "catalog", "now"),
	"generic": set("unsubscribe_url", "view_in_browser_url", "web_version_url", "manage_preferences_url",
		"preferences_url", "campaign", "sender", "now"),
}

// unsubVars are the variables that are an unsubscribe link, by platform.
var unsubVars = set("${set_user_to_unsubscribed_url}", "unsubscribe_link", "unsubscribe_link_all",
	"unsubscribe_section", "unsubscribeUrl", "unsubscribeMessageTypeUrl", "hostedUnsubscribeUrl",
	"unsubscribe_url", "manage_preferences_url", "preferences_url")

func set(xs ...string) map[string]bool {
	m := make(map[string]bool, len(xs))
	for _, x := range xs {
		m[x] = true
	}
	return m
}

func systemSet(esp foundation.ESP) map[string]bool {
	if s, ok := systemVars[esp]; ok {
		return s
	}
	return systemVars["generic"]
}

// hubspotContact maps HubSpot contact property names to foundation fields.
var hubspotContact = map[string]string{"firstname": "first_name", "lastname": "last_name", "email": "email",
	"jobtitle": "title", "lifecyclestage": "lifecycle_stage", "phone": "phone", "country": "country",
	"state": "region", "company": "company"}

// brazeStandard are Braze's standard attributes written ${x}; the others
// are custom attributes.
var brazeStandard = map[string]string{"first_name": "first_name", "last_name": "last_name", "email_address": "email",
	"phone_number": "phone", "country": "country"}

// canonical maps a reference as written to its foundation field, or says
// it is the platform's own variable.
func canonical(esp foundation.ESP, path string) (field string, system bool) {
	sys := systemSet(esp)
	root, rest, _ := strings.Cut(path, ".")
	if sys[path] || sys[root] {
		return "", true
	}
	switch esp {
	case "braze":
		if root == "custom_attribute" {
			x := unbrace(rest)
			if x == "company_name" {
				return "company", false
			}
			return x, false
		}
		if f, ok := brazeStandard[unbrace(path)]; ok {
			return f, false
		}
		return unbrace(path), false
	case "hubspot":
		switch root {
		case "contact":
			if f, ok := hubspotContact[rest]; ok {
				return f, false
			}
			return rest, false
		case "company":
			if rest == "name" {
				return "company", false
			}
			return "company_" + rest, false
		}
		return path, false
	case "iterable":
		if path == "companyName" {
			return "company", false
		}
		return snake(path), false
	}
	return path, false
}

func unbrace(s string) string {
	if strings.HasPrefix(s, "${") && strings.HasSuffix(s, "}") {
		return s[2 : len(s)-1]
	}
	return s
}

// snake turns camelCase into snake_case (firstName → first_name).
func snake(s string) string {
	var b strings.Builder
	for i, r := range s {
		if unicode.IsUpper(r) {
			if i > 0 {
				b.WriteByte('_')
			}
			r = unicode.ToLower(r)
		}
		b.WriteRune(r)
	}
	return b.String()
}

// spell writes a foundation field the way a platform's templates do, for
// fixes.
func spell(esp foundation.ESP, field string) string {
	switch esp {
	case "braze":
		for k, v := range brazeStandard {
			if v == field {
				return "${" + k + "}"
			}
		}
		if field == "company" {
			return "custom_attribute.${company_name}"
		}
		return "custom_attribute.${" + field + "}"
	case "hubspot":
		if field == "company" {
			return "company.name"
		}
		for k, v := range hubspotContact {
			if v == field && k != "company" {
				return "contact." + k
			}
		}
		return "contact." + field
	case "iterable":
		if field == "company" {
			return "companyName"
		}
		parts := strings.Split(field, "_")
		for i := 1; i < len(parts); i++ {
			if parts[i] != "" {
				parts[i] = strings.ToUpper(parts[i][:1]) + parts[i][1:]
			}
		}
		return strings.Join(parts, "")
	}
	return field
}

// nearest is the one known field within edit distance 2 of name, or "".
func nearest(name string, fields map[string]bool) string {
	found := ""
	for f := range fields {
		if editDistance(name, f) <= 2 {
			if found != "" {
				return "" // more than one: not mechanical
			}
			found = f
		}
	}
	return found
}

// editDistance is the optimal-string-alignment distance (a swap of two
// neighbouring letters counts as one edit, the most common typo).
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	d := make([][]int, len(ra)+1)
	for i := range d {
		d[i] = make([]int, len(rb)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(ra); i++ {
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(ra)][len(rb)]
}

// fieldLabel names a field for a marketer ("first name").
func fieldLabel(f string) string { return strings.ReplaceAll(f, "_", " ") }
