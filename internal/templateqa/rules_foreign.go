package templateqa

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/towerops/tower/internal/foundation"
)

// marker is one platform's tell-tale syntax (DOMAIN §4), and when it is
// foreign to a template.
type marker struct {
	re       *regexp.Regexp
	what     string // "Handlebars block helpers (Iterable)"
	platform string // whose syntax it is
	foreign  func(esp foundation.ESP, d foundation.Dialect) bool
}

func notDialect(d foundation.Dialect) func(foundation.ESP, foundation.Dialect) bool {
	return func(_ foundation.ESP, x foundation.Dialect) bool { return x != d }
}
func notESP(e foundation.ESP) func(foundation.ESP, foundation.Dialect) bool {
	return func(x foundation.ESP, _ foundation.Dialect) bool { return x != e }
}
func always(foundation.ESP, foundation.Dialect) bool { return true }

// markers are checked in order; a span claimed by one is not reported
// again by a later one (Velocity's ${lead.x} is not Braze's ${x}).
var markers = []marker{
	{regexp.MustCompile(`\{\{\s*(lead|my|system)\.[^}]*\}\}`), "a Marketo token", "Marketo", always},
	{regexp.MustCompile(`#(if|elseif|set|foreach)\s*\(|\$!\{|\$!?\{?lead\.`), "Velocity script", "Marketo", always},
	{regexp.MustCompile(`%%\[|%%=|%%[A-Za-z_][A-Za-z0-9_]*%%`), "AMPscript", "Salesforce Marketing Cloud", notESP("sfmc")},
	{regexp.MustCompile(`\*\|[A-Z0-9_:]+\|\*`), "a Mailchimp merge tag", "Mailchimp", notESP("mailchimp")},
	{regexp.MustCompile(`\{%-?\s*(module|dnd_area|dnd_section|widget_block)\b`), "a HubL module tag", "HubSpot", notESP("hubspot")},
	{regexp.MustCompile(`\{\{~?\s*[#^/]\s*[A-Za-z]+|\{\{~?\s*else\s*~?\}\}`), "Handlebars block helpers", "Iterable (Handlebars)", notDialect("handlebars")},
	{regexp.MustCompile(`\{%-?\s*[a-z_]+`), "Liquid tags", "Liquid (Braze, HubSpot, Shopify)", notDialect("liquid")},
	{regexp.MustCompile(`\{\{[^}|]*\|\s*[a-z_]+\s*(:[^}]*)?\}\}`), "a Liquid filter", "Liquid (Braze, HubSpot, Shopify)", notDialect("liquid")},
	{regexp.MustCompile(`\$\{[A-Za-z_][A-Za-z0-9_]*\}`), "Braze's ${…} attribute syntax", "Braze", notESP("braze")},
}

func (l *linter) checkForeign() {
	for _, p := range l.parts() {
		claimed := make([]bool, len(p.text)+1)
		// Comments are never sent; what is inside them is not foreign.
		text := []byte(p.text)
		for _, t := range p.tags {
			if t.Comment {
				for i := t.Start; i < t.End; i++ {
					text[i] = ' '
				}
			}
		}
		seen := map[string]bool{} // one finding per line and kind
		for _, m := range markers {
			if !m.foreign(l.t.ESP, l.t.Dialect) {
				continue
			}
			for _, loc := range m.re.FindAllIndex(text, -1) {
				if claimed[loc[0]] {
					continue
				}
				for i := loc[0]; i < loc[1]; i++ {
					claimed[i] = true
				}
				p.foreign = append(p.foreign, [2]int{loc[0], loc[1]})
				line := lineOf(p, loc[0])
				key := fmt.Sprint(line, m.what)
				if seen[key] {
					continue
				}
				seen[key] = true
				l.add(p, loc[0], Finding{Rule: RuleForeignSyntax, Severity: Error, Message: fmt.Sprintf(
					"`%s` is %s, %s syntax, pasted into a %s template; %s will not run it — recipients see the code or the send fails",
					snippet(p.text[loc[0]:loc[1]]), m.what, m.platform, l.dialectName(), espName(l.t.ESP))})
			}
		}
	}
}

func (l *linter) dialectName() string {
	switch {
	case l.t.ESP == "hubspot":
		return "HubSpot (HubL)"
	case l.t.Dialect == "handlebars":
		return "Handlebars"
	case l.t.ESP == "braze":
		return "Braze Liquid"
	}
	return "Liquid"
}

func snippet(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > 40 {
		return string(r[:37]) + "..."
	}
	return s
}

// residueRE finds template code in rendered output: any dialect's
// delimiters and HubSpot's missing-token marker.
var residueRE = regexp.MustCompile(`\{\{|\{%|%\}|%%|\*\|[A-Z0-9_:]+\|\*|\$!?\{[A-Za-z_.]+\}|\[\[MISSING TOKEN`)
