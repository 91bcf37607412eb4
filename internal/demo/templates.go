package demo

import (
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"
)

// templateFile is one file under templates/.
type templateFile struct {
	path string // relative to the bundle
	body []byte
}

// kit is how one ESP's dialect writes the pieces of an e-mail, correctly
// and in the ways it commonly goes wrong (DOMAIN §4).
type kit struct {
	dialect, ext               string
	known                      []string
	first, firstBare, company  string
	unsub                      string
	cond, broken, brokenDetail string
	foreign, foreignDetail     string
	unknown, unknownDetail     string
}

var kits = map[string]kit{
	"braze": {
		dialect: "liquid", ext: ".liquid",
		known: []string{"${email_address}", "${first_name}", "${last_name}", "${set_user_to_unsubscribed_url}",
			"custom_attribute.${company_name}", "custom_attribute.${plan}", "custom_attribute.${trial_days_left}"},
		first: "{{ ${first_name} | default: 'there' }}", firstBare: "{{ ${first_name} }}",
		company: "{{ custom_attribute.${company_name} | default: 'your team' }}",
		unsub:   "{{${set_user_to_unsubscribed_url}}}",
		cond:    "{% if custom_attribute.${plan} == 'trial' %}<p>Your trial has {{ custom_attribute.${trial_days_left} | default: 'a few' }} days left.</p>{% endif %}",
		broken:  "{{ ${first_name} | default: }}", brokenDetail: "Liquid default filter with no argument",
		foreign: "{{#if first_name}}<p>Good to see you again, {{first_name}}.</p>{{/if}}", foreignDetail: "Handlebars block helpers in a Liquid template",
		unknown: "{{ ${frist_name} | default: 'there' }}", unknownDetail: "frist_name is not a Braze attribute (first_name is)",
	},
	"generic": {
		dialect: "liquid", ext: ".liquid",
		known: []string{"company", "email", "first_name", "last_name", "plan", "title", "unsubscribe_url"},
		first: `{{ first_name | default: "there" }}`, firstBare: "{{ first_name }}",
		company: `{{ company | default: "your team" }}`,
		unsub:   "{{ unsubscribe_url }}",
		cond:    `{% if plan == "trial" %}<p>Questions about your trial? Reply to this e-mail.</p>{% endif %}`,
		broken:  "{{ first_name | default: }}", brokenDetail: "Liquid default filter with no argument",
		foreign: "{{#if first_name}}<p>Welcome back, {{first_name}}.</p>{{/if}}", foreignDetail: "Handlebars block helpers in a Liquid template",
		unknown: `{{ frist_name | default: "there" }}`, unknownDetail: "frist_name is not a known field (first_name is)",
	},
	"iterable": {
		dialect: "handlebars", ext: ".hbs",
		known: []string{"companyName", "email", "firstName", "lastName", "plan", "unsubscribeUrl"},
		first: `{{defaultIfEmpty firstName "there"}}`, firstBare: "{{firstName}}",
		company: `{{defaultIfEmpty companyName "your team"}}`,
		unsub:   "{{unsubscribeUrl}}",
		cond:    `{{#ifEq plan "trial"}}<p>Questions about your trial? Reply to this e-mail.</p>{{/ifEq}}`,
		broken:  "{{#if firstName}}{{firstName}}", brokenDetail: "{{#if}} block opened and never closed",
		foreign: `{% if plan == "trial" %}<p>Your trial is running.</p>{% endif %}`, foreignDetail: "Liquid tags in a Handlebars template",
		unknown: `{{defaultIfEmpty accountManagerName "your account manager"}}`, unknownDetail: "accountManagerName is not an Iterable profile field",
	},
	"hubspot": {
		dialect: "liquid", ext: ".html",
		known: []string{"company.name", "contact.email", "contact.firstname", "contact.lastname", "contact.lifecyclestage", "unsubscribe_link"},
		first: "{{ contact.firstname }}", firstBare: "{{ contact.firstname }}",
		company: "{{ company.name }}",
		unsub:   "{{ unsubscribe_link }}",
		cond:    `{% if contact.lifecyclestage == "customer" %}<p>As a customer you get early access.</p>{% endif %}`,
		broken:  "{{ contact.firstname | default: }}", brokenDetail: "default filter with no argument",
		foreign: "{{#if contact.firstname}}<p>Hello again.</p>{{/if}}", foreignDetail: "Handlebars block helpers in a HubL/Liquid template",
		unknown: "{{ contact.favourite_colour }}", unknownDetail: "favourite_colour is not a contact property",
	},
}

// templateSpecs are the twenty templates; issues name the planted
// problems (none = a clean template).
var templateSpecs = []struct {
	id, esp, subject, cta, path string
	issues                      []string
}{
	{"braze-welcome", "braze", "Welcome to Tallyfield, {{ ${first_name} | default: 'there' }}", "Open your workspace", "/app", nil},
	{"braze-trial-day3", "braze", "Three dashboards worth building this week", "See the templates", "/templates", nil},
	{"braze-pricing-follow-up", "braze", "Still weighing plans?", "Compare plans", "/pricing", []string{"broken_merge_field"}},
	{"braze-webinar-invite", "braze", "Live: pipeline reliability in practice", "Save my seat", "/webinars/pipeline-reliability", []string{"wrong_dialect"}},
	{"braze-product-update", "braze", "What's new in Tallyfield this month", "Read the release notes", "/releases", []string{"missing_unsubscribe"}},
	{"braze-winback", "braze", "We saved your dashboards", "Pick up where you left off", "/app", []string{"untagged_link"}},
	{"braze-security-notice", "braze", "Your security review kit", "Download the kit", "/security", nil},
	{"braze-abandoned-trial", "braze", "Your trial is waiting", "Resume your trial", "/app/trial", []string{"missing_fallback"}},
	{"generic-newsletter", "generic", "The Tallyfield Brief — data teams, this month", "Read the issue", "/blog", nil},
	{"generic-event-follow-up", "generic", "Thanks for stopping by our booth", "Book a follow-up", "/demo", []string{"unknown_field"}},
	{"generic-benchmark-report", "generic", "The 2026 analytics benchmark is out", "Get the report", "/resources/benchmark-2026", []string{"partial_utm"}},
	{"generic-onboarding", "generic", "Day 1: connect your first source", "Connect a source", "/docs/sources", nil},
	{"generic-partner-co-marketing", "generic", "Tallyfield + your warehouse", "See the integration", "/integrations", []string{"untagged_link", "missing_unsubscribe"}},
	{"iterable-trial-day1", "iterable", "Your Tallyfield trial starts now", "Start the tour", "/app/tour", nil},
	{"iterable-upgrade", "iterable", "Teams like yours upgrade for this", "See Business", "/pricing", []string{"wrong_dialect"}},
	{"iterable-usage-report", "iterable", "Your monthly usage report", "Open the report", "/app/usage", []string{"broken_merge_field"}},
	{"iterable-renewal-reminder", "iterable", "Your renewal is coming up", "Review your plan", "/app/billing", []string{"unknown_field", "untagged_link"}},
	{"iterable-survey", "iterable", "Two minutes to shape our roadmap?", "Take the survey", "/survey", nil},
	{"hubspot-event-invite", "hubspot", "Join us at Data Ops Summit", "Request a pass", "/events/data-ops-summit", nil},
	{"hubspot-sales-follow-up", "hubspot", "Following up on your demo", "Book time with me", "/meet", []string{"missing_unsubscribe", "unknown_field"}},
	{"braze-flash-sale", "braze", "Our annual plan offer ends Friday", "See the offer", "/pricing/annual", []string{"banned_phrase"}},
	{"generic-quarterly-planning", "generic", "Everything your data team needs before quarterly planning starts next week", "Get the planning kit", "/resources/planning-kit", []string{"long_subject"}},
	{"iterable-feature-spotlight", "iterable", "Meet AI Assist", "Try AI Assist", "/ai-assist", []string{"missing_alt"}},
	{"hubspot-webinar-reminder", "hubspot", "Starting soon: governance in practice", "Join the webinar", "/webinars/governance", []string{"malformed_url"}},
	{"generic-partner-newsletter", "generic", "News from the Tallyfield partner program", "Visit the partner hub", "/partners", []string{"foreign_platform"}},
	{"iterable-feedback-follow-up", "iterable", "Thanks for your feedback", "See what we changed", "/changelog", []string{"missing_postal_address"}},
	{"braze-case-study", "braze", "How Northwind cut churn by a fifth", "Read the case study", "/customers/northwind", []string{"utm_taxonomy"}},
	{"hubspot-customer-summit", "hubspot", "You're invited: Tallyfield Customer Summit", "Save your seat", "/events/customer-summit", nil},
}

func genTemplates(w *world) {
	var emails []*campaign
	for _, c := range w.campaigns {
		if c.channel == "email" {
			emails = append(emails, c)
		}
	}
	for i, s := range templateSpecs {
		c := emails[(i*7)%len(emails)]
		k := kits[s.esp]
		path := "templates/" + s.id + k.ext
		body, issues := templateBody(k, s.esp, s.cta, s.path, c.slug, s.issues)
		if slices.Contains(s.issues, "long_subject") {
			issues = append(issues, TemplateIssue{Kind: "long_subject", Snippet: s.subject,
				Detail: fmt.Sprintf("subject is %d characters; the brand limit is 60", utf8.RuneCountInString(s.subject))})
		}
		var fm strings.Builder
		fm.WriteString("---\n")
		for _, f := range [][2]string{{"id", "tpl-" + s.id}, {"esp", s.esp}, {"dialect", k.dialect},
			{"subject", s.subject}, {"campaign_id", c.id}, {"segment", c.segment}} {
			fmt.Fprintf(&fm, "%s: %s\n", f[0], yamlQuote(f[1]))
		}
		fm.WriteString("---\n")
		w.templates = append(w.templates, templateFile{path: path, body: []byte(fm.String() + body)})
		w.addFact(KindTemplate, templateSummary(s.id, issues), &Fact{Template: &TemplateFact{
			TemplateID: "tpl-" + s.id, Path: path, ESP: s.esp, Dialect: k.dialect, Clean: len(issues) == 0,
			KnownFields: k.known, Issues: issues}})
	}
}

func templateSummary(id string, issues []TemplateIssue) string {
	if len(issues) == 0 {
		return "tpl-" + id + ": clean"
	}
	kinds := make([]string, len(issues))
	for i, is := range issues {
		kinds[i] = is.Kind
	}
	return "tpl-" + id + ": " + strings.Join(kinds, ", ")
}

// templateBody writes the HTML and returns the issues it planted, each
// with a snippet that appears verbatim in the body.
func templateBody(k kit, esp, cta, path, slug string, plant []string) (string, []TemplateIssue) {
	has := func(kind string) bool {
		for _, p := range plant {
			if p == kind {
				return true
			}
		}
		return false
	}
	issues := []TemplateIssue{}
	add := func(kind, detail, snippet string) {
		issues = append(issues, TemplateIssue{Kind: kind, Detail: detail, Snippet: snippet})
	}
	greet := k.first
	switch {
	case has("broken_merge_field"):
		greet = k.broken
		add("broken_merge_field", k.brokenDetail, k.broken)
	case has("missing_fallback"):
		greet = k.firstBare
		add("missing_fallback", "personal token without a default: renders \"Hi ,\" for people with no first name", "Hi "+k.firstBare+",")
	}
	cond := k.cond
	if has("wrong_dialect") {
		cond = k.foreign
		add("wrong_dialect", k.foreignDetail, k.foreign)
	}
	intro := "Teams at " + k.company + " use Tallyfield to see every pipeline in one place."
	if has("unknown_field") {
		intro += " " + k.unknown + " put together a few ideas for you."
		add("unknown_field", k.unknownDetail, k.unknown)
	}
	if has("banned_phrase") {
		intro += " Act now: the annual plan offer ends on Friday."
		add("banned_phrase", "\"act now\" is a banned phrase in the brand rules (pressure tactic)", "Act now")
	}
	if has("foreign_platform") {
		intro += ` %%[ SET @plan = AttributeValue("plan") ]%%Your plan: %%=v(@plan)=%%.`
		add("foreign_platform", "AMPscript (Salesforce Marketing Cloud) in a "+k.dialect+" template", `%%[ SET @plan = AttributeValue("plan") ]%%`)
	}
	logo := `<img src="https://` + companyDomain + `/img/logo.png" alt="Tallyfield" width="120" height="32">`
	if has("missing_alt") {
		logo = `<img src="https://` + companyDomain + `/img/ai-assist-hero.png" width="600" height="240">`
		add("missing_alt", "image without alt text: screen readers and image-blocking mail clients show nothing", logo)
	}
	source := esp
	if esp == "generic" {
		source = "newsletter"
	}
	link1 := fmt.Sprintf("https://%s%s?utm_source=%s&utm_medium=email&utm_campaign=%s&utm_content=cta-main", companyDomain, path, source, slug)
	if has("partial_utm") {
		link1 = fmt.Sprintf("https://%s%s?utm_source=%s&utm_medium=email&utm_content=cta-main", companyDomain, path, source)
		add("partial_utm", "link lacks utm_campaign (source, medium and campaign are always required)", link1)
	}
	if has("malformed_url") {
		link1 = strings.Replace(link1, "https://", "htps://", 1)
		add("malformed_url", "link scheme misspelt (htps://): the link goes nowhere", link1)
	}
	link2 := fmt.Sprintf("https://%s/customers/bluepeak-logistics?utm_source=%s&utm_medium=email&utm_campaign=%s&utm_content=story", companyDomain, source, slug)
	if has("utm_taxonomy") {
		link2 = strings.Replace(link2, "utm_medium=email", "utm_medium=e-mail", 1)
		add("utm_taxonomy", "utm_medium e-mail is not in the UTM taxonomy (email is)", link2)
	}
	if has("untagged_link") {
		link2 = "https://" + companyDomain + "/customers/bluepeak-logistics"
		add("untagged_link", "link to the company site carries no utm_* parameters", link2)
	}
	footer := "You are receiving this because you subscribed to Tallyfield updates. <a href=\"" + k.unsub + "\">Unsubscribe</a>"
	if has("missing_unsubscribe") {
		footer = "You are receiving this because you are a Tallyfield contact."
		add("missing_unsubscribe", "no unsubscribe link in a marketing e-mail (CAN-SPAM, Gmail/Yahoo bulk rules)", "")
	}
	var b strings.Builder
	b.WriteString("<!doctype html>\n<html>\n<head><meta charset=\"utf-8\"></head>\n")
	b.WriteString("<body style=\"font-family:Arial,sans-serif;color:#222\">\n")
	fmt.Fprintf(&b, "<p>%s</p>\n<p>Hi %s,</p>\n<p>%s</p>\n%s\n", logo, greet, intro, cond)
	fmt.Fprintf(&b, "<p><a href=\"%s\">%s</a></p>\n", link1, cta)
	fmt.Fprintf(&b, "<p>See how Bluepeak Logistics cut reporting time in half: <a href=\"%s\">read the story</a>.</p>\n", link2)
	address := "Tallyfield Inc. · 548 Market St #90210 · San Francisco, CA 94104<br>\n"
	if has("missing_postal_address") {
		address = ""
		add("missing_postal_address", "no postal address in the footer (CAN-SPAM requires the sender's physical address)", "")
	}
	b.WriteString("<hr>\n<p style=\"font-size:12px;color:#666\">" + address)
	b.WriteString(footer + "</p>\n</body>\n</html>\n")
	return b.String(), issues
}

// yamlQuote writes s as a double-quoted YAML scalar.
func yamlQuote(s string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(s) + `"`
}
