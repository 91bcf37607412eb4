package templateqa

import (
	"fmt"
	"regexp"
	"strings"
	"unicode"
)

// anchor is one <a> element of the body.
type anchor struct {
	Start, End         int // the whole element
	HrefStart, HrefEnd int // the href value; equal when there is none
	Href, Text         string
}

var (
	anchorRE = regexp.MustCompile(`(?is)<a\b([^>]*)>(.*?)</a\s*>`)
	hrefRE   = regexp.MustCompile(`(?is)\bhref\s*=\s*("([^"]*)"|'([^']*)'|([^\s>]+))`)
	imgRE    = regexp.MustCompile(`(?is)<img\b[^>]*>`)
	altRE    = regexp.MustCompile(`(?i)[\s"'/]alt(\s*=|[\s/>]|$)`)
	bodyEnd  = regexp.MustCompile(`(?i)</body\s*>`)
)

func anchors(s string) []anchor {
	var out []anchor
	for _, m := range anchorRE.FindAllStringSubmatchIndex(s, -1) {
		a := anchor{Start: m[0], End: m[1], Text: tagsRE.ReplaceAllString(s[m[4]:m[5]], " ")}
		attrs := s[m[2]:m[3]]
		if h := hrefRE.FindStringSubmatchIndex(attrs); h != nil {
			for g := 4; g <= 8; g += 2 {
				if h[g] >= 0 {
					a.HrefStart, a.HrefEnd = m[2]+h[g], m[2]+h[g+1]
					a.Href = s[a.HrefStart:a.HrefEnd]
					break
				}
			}
		}
		out = append(out, a)
	}
	return out
}

// unsubWords are what an unsubscribe link says in its text or URL.
var unsubWords = []string{"unsubscribe", "opt out", "opt-out", "optout", "manage preferences", "email preferences",
	"manage your preferences", "subscription preferences", "update your preferences"}

// unsubTags are platforms' own unsubscribe placeholders, whose link the
// platform writes.
var unsubTags = []string{"*|UNSUB|*", "%%unsub_center_url%%", "%%=RedirectTo(@unsub", "<%asm_group_unsubscribe_raw_url%>",
	"<%asm_global_unsubscribe_raw_url%>", "[unsubscribe]"}

// endOfBody is where a missing footer item belongs: the </body> tag, or
// the body's last line.
func endOfBody(p *part) int {
	if loc := bodyEnd.FindStringIndex(p.text); loc != nil {
		return loc[0]
	}
	t := strings.TrimRight(p.text, "\n\r \t")
	return strings.LastIndexByte(t, '\n') + 1
}

func (l *linter) checkContent() {
	p := l.body
	if l.brand.RequireUnsubscribe && !l.hasUnsubscribe() {
		l.add(p, endOfBody(p), Finding{Rule: RuleNoUnsubscribe, Severity: Error, Message: fmt.Sprintf(
			"no unsubscribe link: marketing e-mail must offer one (CAN-SPAM, CASL, PECR; Gmail and Yahoo "+
				"filter bulk mail without it) — add <a href=\"%s\">Unsubscribe</a> to the footer", l.unsubExample())})
	}
	if !l.hasAddress() {
		msg := "no postal address in the footer: CAN-SPAM requires the sender's physical address in every marketing e-mail"
		if l.brand.PostalAddress != "" {
			msg += fmt.Sprintf(" — add %q", l.brand.PostalAddress)
		}
		l.add(p, endOfBody(p), Finding{Rule: RuleNoPostalAddress, Severity: Error, Message: msg})
	}
}

func (l *linter) unsubExample() string {
	switch l.t.ESP {
	case "braze":
		return "{{${set_user_to_unsubscribed_url}}}"
	case "hubspot":
		return "{{ unsubscribe_link }}"
	case "iterable":
		return "{{unsubscribeUrl}}"
	}
	return "{{ unsubscribe_url }}"
}

func (l *linter) hasUnsubscribe() bool {
	p := l.body
	for _, t := range unsubTags {
		if strings.Contains(p.text, t) {
			return true
		}
	}
	for _, r := range p.refs {
		if r.Path == "unsubscribe_section" && l.t.ESP == "hubspot" {
			return true // HubSpot's footer module writes the link
		}
	}
	for _, a := range anchors(p.text) {
		for _, r := range p.refs {
			if r.Start >= a.HrefStart && r.End <= a.HrefEnd && unsubVars[r.Path] {
				return true
			}
		}
		say := strings.ToLower(a.Text + " " + a.Href)
		for _, w := range unsubWords {
			if strings.Contains(say, w) {
				return true
			}
		}
	}
	return false
}

// words lowercases s and keeps letters and digits, one space between
// runs, so "548 Market St #90210 ·" and "548 market st 90210" compare
// equal.
func words(s string) string {
	return strings.Join(strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	}), " ")
}

var (
	postalCodeRE = regexp.MustCompile(`(?i)\b\d{5}(-\d{4})?\b|\b[A-Z]\d[A-Z] ?\d[A-Z]\d\b|\b[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}\b|\b\d{4,6}\b`)
	streetRE     = regexp.MustCompile(`(?i)\b\d+[a-z]?\s+([a-z0-9.'-]+\s+){0,4}(st|street|ave|avenue|rd|road|blvd|boulevard|ln|lane|way|dr|drive|suite|ste|floor|sq|square|pl|place|ct|court|pkwy|parkway|hwy|highway|strasse|straße)\b|\bp\.?\s?o\.?\s+box\s+\d+`)
)

// hasAddress: the brand's street line and postal code appear in the body
// text; without a known address, an address-shaped line does. Platform
// tokens that print the account's address count.
func (l *linter) hasAddress() bool {
	p := l.body
	for _, r := range p.refs {
		if l.t.ESP == "hubspot" && (r.Path == "unsubscribe_section" ||
			strings.HasPrefix(r.Path, "site_settings.") && strings.Contains(r.Path, "address")) {
			return true
		}
	}
	if strings.Contains(p.text, "*|LIST:ADDRESS") || strings.Contains(p.text, "*|HTML:LIST_ADDRESS") ||
		strings.Contains(p.text, "%%Member_Addr%%") {
		return true
	}
	text := words(visibleText(p))
	if addr := l.brand.PostalAddress; addr != "" {
		street, _, _ := strings.Cut(addr, ",")
		code := ""
		if m := postalCodeRE.FindAllString(addr, -1); len(m) > 0 {
			code = m[len(m)-1]
		}
		return strings.Contains(" "+text+" ", " "+words(street)+" ") &&
			(code == "" || strings.Contains(" "+text+" ", " "+words(code)+" "))
	}
	return streetRE.MatchString(text)
}
