package knowledge

import (
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strings"

	"github.com/towerops/tower/internal/foundation"
)

// brand reads brand.toml. Keys left out keep DefaultBrand's values.
func (l *loader) brand(t *table, meta Meta) int {
	b := DefaultBrand()
	b.Meta = meta
	b.SubjectMaxChars = t.integer("subject_max_chars", b.SubjectMaxChars)
	if b.SubjectMaxChars < 0 {
		t.problem("subject_max_chars", fmt.Sprintf("%d is negative; use 0 for no limit", b.SubjectMaxChars))
	}
	b.PostalAddress = t.str("postal_address")
	b.RequireUnsubscribe = t.boolean("require_unsubscribe", b.RequireUnsubscribe)
	b.Voice = t.strs("voice")
	seen := map[string]where{}
	for _, bt := range t.tables("banned") {
		p := BannedPhrase{Phrase: bt.required("phrase"), Reason: bt.str("reason"), Instead: bt.str("instead")}
		bt.done()
		if p.Phrase != "" {
			key := strings.ToLower(p.Phrase)
			if first, dup := seen[key]; dup {
				bt.problem("phrase", fmt.Sprintf("%q is already banned at %s", p.Phrase, first))
				continue
			}
			seen[key] = where{bt.f.name, bt.line("phrase")}
		}
		b.BannedPhrases = append(b.BannedPhrases, p)
	}
	l.set.Brand = b
	return len(b.BannedPhrases)
}

// hostPattern is a bare host name: labels of letters, digits and hyphens
// joined by dots.
var hostPattern = regexp.MustCompile(`^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$`)

// utm reads utm.toml. Keys left out keep DefaultUTM's values; a key
// written as an empty list means "any" (or, for required, none).
func (l *loader) utm(t *table, meta Meta) int {
	u := DefaultUTM()
	u.Meta = meta
	if req := t.strs("required"); t.has("required") {
		u.Required = req
	}
	for i, r := range u.Required {
		if !strings.HasPrefix(r, "utm_") {
			t.f.add(t.elemLine("required", i), t.field("required"), fmt.Sprintf("%q is not a UTM parameter; each entry starts with utm_, like utm_source", r))
		}
	}
	u.Sources = t.strs("sources")
	u.Mediums = t.strs("mediums")
	u.CampaignPattern = t.str("campaign_pattern")
	if u.CampaignPattern != "" {
		// Checked on its own first, so the message quotes what the team
		// wrote rather than the anchored form.
		if _, err := regexp.Compile(u.CampaignPattern); err != nil {
			t.problem("campaign_pattern", "not a valid regular expression: "+strings.TrimPrefix(err.Error(), "error parsing regexp: "))
		} else if re, err := regexp.Compile("^(?:" + u.CampaignPattern + ")$"); err != nil {
			t.problem("campaign_pattern", "not a valid regular expression: "+strings.TrimPrefix(err.Error(), "error parsing regexp: "))
		} else {
			u.Campaign = re
		}
	}
	u.TaggedDomains = l.domains(t)
	if em := t.str("email_medium"); t.has("email_medium") {
		u.EmailMedium = em
	}
	u.Lowercase = t.boolean("lowercase", u.Lowercase)
	if esp := t.sub("source_by_esp"); esp != nil {
		u.SourceByESP = map[string]string{}
		for _, k := range esp.keys() {
			if v := esp.str(k); v != "" {
				u.SourceByESP[k] = v
				l.vocabulary(esp, k, -1, v, "sources", u.Sources, u.Lowercase)
			}
		}
	}
	u.SourceByChannel = l.byChannel(t, "source_by_channel", "sources", u.Sources, u.Lowercase)
	u.MediumByChannel = l.byChannel(t, "medium_by_channel", "mediums", u.Mediums, u.Lowercase)
	for i, s := range u.Sources {
		l.vocabulary(t, "sources", i, s, "", nil, u.Lowercase)
	}
	for i, m := range u.Mediums {
		l.vocabulary(t, "mediums", i, m, "", nil, u.Lowercase)
	}
	if u.EmailMedium != "" {
		l.vocabulary(t, "email_medium", -1, u.EmailMedium, "mediums", u.Mediums, u.Lowercase)
	}
	l.set.UTM = u
	return len(u.Sources) + len(u.Mediums)
}

// vocabulary checks one UTM value: lower-case when the taxonomy demands
// it (GA4 counts "Email" and "email" as two mediums), and one of the
// allowed values of list (named listKey) when that list is not empty.
// i is the entry's index under key, or -1 for a single value.
func (l *loader) vocabulary(t *table, key string, i int, v, listKey string, list []string, lower bool) {
	line := t.line(key)
	if i >= 0 {
		line = t.elemLine(key, i)
	}
	if lower && v != strings.ToLower(v) {
		t.f.add(line, t.field(key), fmt.Sprintf("%q must be lower-case (lowercase = true): %q", v, strings.ToLower(v)))
		return
	}
	if strings.ContainsAny(v, " \t") {
		t.f.add(line, t.field(key), fmt.Sprintf("%q has a space; use - or _ instead", v))
		return
	}
	if listKey != "" && len(list) > 0 && !contains(list, v) {
		t.f.add(line, t.field(key), fmt.Sprintf("%q is not one of the allowed %s: %s", v, listKey, strings.Join(list, ", ")))
	}
}

// byChannel reads [source_by_channel] or [medium_by_channel]: the value
// landing links of each campaign channel carry. A channel Tower does not
// know would never match a campaign, so it is a problem, not ignored.
func (l *loader) byChannel(t *table, key, listKey string, list []string, lower bool) map[string]string {
	sub := t.sub(key)
	if sub == nil {
		return nil
	}
	out := map[string]string{}
	for _, ch := range sub.keys() {
		v := sub.str(ch)
		if !slices.Contains(foundation.CampaignChannels, foundation.CampaignChannel(ch)) {
			names := make([]string, len(foundation.CampaignChannels))
			for i, c := range foundation.CampaignChannels {
				names[i] = string(c)
			}
			sub.problem(ch, fmt.Sprintf("%q is not a campaign channel; expected one of %s", ch, strings.Join(names, ", ")))
			continue
		}
		if v != "" {
			out[ch] = v
			l.vocabulary(sub, ch, -1, v, listKey, list, lower)
		}
	}
	return out
}

// domains reads tagged_domains: bare host names, compared lower-case.
func (l *loader) domains(t *table) []string {
	list := t.strs("tagged_domains")
	out := make([]string, 0, len(list))
	for i, d := range list {
		host := strings.ToLower(d)
		if hostPattern.MatchString(host) {
			out = append(out, host)
			continue
		}
		reason := fmt.Sprintf("%q is not a bare host name; write it like \"example.com\" (no https://, path or port)", d)
		withScheme := d
		if !strings.Contains(d, "://") {
			withScheme = "https://" + d
		}
		if u, err := url.Parse(withScheme); err == nil && hostPattern.MatchString(strings.ToLower(u.Hostname())) {
			reason = fmt.Sprintf("%q is not a bare host name; write %q (no https://, path or port)", d, strings.ToLower(u.Hostname()))
		}
		t.f.add(t.elemLine("tagged_domains", i), t.field("tagged_domains"), reason)
	}
	if list == nil {
		return nil
	}
	return out
}

func contains(list []string, v string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}
