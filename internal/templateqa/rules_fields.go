package templateqa

import (
	"fmt"
	"regexp"
	"strings"
)

// fallbackText is the default Tower proposes for a field; fields without
// one need a marketer to choose the words.
var fallbackText = map[string]string{"first_name": "there", "company": "your team"}

func (l *linter) checkFields() {
	for _, p := range l.parts() {
		for _, r := range p.refs {
			if r.System || p.inForeign(r.Start) {
				continue
			}
			if l.env.Fields != nil && !l.env.Fields[r.Field] {
				l.unknownField(p, r)
				continue
			}
			if l.t.ESP == "hubspot" {
				if r.Fallback && (strings.HasPrefix(r.Path, "contact.") || strings.HasPrefix(r.Path, "company.")) {
					l.add(p, r.DefStart, Finding{Rule: RuleDefaultNoop, Severity: Warning, Field: r.Field, Message: fmt.Sprintf(
						"`%s` does nothing in HubSpot e-mail (filters on personalization tokens are ignored), so people "+
							"with no %s still see a blank; set a default value on the %s property instead",
						p.text[r.DefStart:r.DefEnd], fieldLabel(r.Field), fieldLabel(r.Field))})
				}
				continue // in HubSpot e-mail the default lives on the property
			}
			if r.Printed && !r.Fallback && !r.Guarded {
				l.missingFallback(p, r)
			}
		}
	}
}

func (l *linter) unknownField(p *part, r ref) {
	f := Finding{Rule: RuleUnknownField, Severity: Error, Field: r.Field}
	if s := nearest(r.Field, l.env.Fields); s != "" {
		f.Message = fmt.Sprintf("`%s` is not a field of these recipients (did you mean %s?); it prints blank for everyone",
			r.Path, fieldLabel(s))
		f.Fix = &Fix{Description: fmt.Sprintf("use %s", spell(l.t.ESP, s)), Start: r.Start, End: r.End,
			Replacement: spell(l.t.ESP, s)}
	} else {
		f.Message = fmt.Sprintf("`%s` is not a field of these recipients (no %q in the profiles Tower knows); "+
			"it prints blank for everyone — check the field name in %s", r.Path, r.Field, espName(l.t.ESP))
	}
	l.add(p, r.Start, f)
}

func (l *linter) missingFallback(p *part, r ref) {
	ws := l.t.ESP == "braze"
	n := 0
	for _, rc := range l.env.Recipients {
		if blank(rc[r.Field], ws) {
			n++
		}
	}
	f := Finding{Rule: RuleMissingFallback, Severity: Warning, Field: r.Field, Blank: n, Sample: len(l.sample)}
	reads := readsAs(p, r.Tag)
	f.Message = fmt.Sprintf("%d of %d sample recipients have no %s", n, len(l.env.Recipients), fieldLabel(r.Field))
	if len(l.env.Recipients) == 0 {
		f.Message = fmt.Sprintf("a recipient with no %s", fieldLabel(r.Field))
	}
	if reads != "" {
		f.Message += fmt.Sprintf(" and would read %q", reads)
	} else {
		f.Message += " and would see a blank"
	}
	f.Message += "; give it a default"
	if text, ok := fallbackText[r.Field]; ok {
		f.Fix = l.fallbackFix(p, r, text)
	} else {
		f.Message += " (the words are yours to choose)"
	}
	l.add(p, r.Start, f)
}

// fallbackFix writes the dialect's default around a plain reference.
func (l *linter) fallbackFix(p *part, r ref, text string) *Fix {
	if l.t.Dialect == "handlebars" {
		if r.Helper != "" {
			return nil
		}
		rep := fmt.Sprintf("defaultIfEmpty %s %q", r.Path, text)
		return &Fix{Description: fmt.Sprintf("show %q when %s is empty", text, fieldLabel(r.Field)), Start: r.Start, End: r.End, Replacement: rep}
	}
	q := `"`
	if l.t.ESP == "braze" {
		q = "'"
	}
	if !r.Tag.Output {
		return nil
	}
	return &Fix{Description: fmt.Sprintf("show %q when %s is empty", text, fieldLabel(r.Field)), Start: r.End, End: r.End,
		Replacement: " | default: " + q + text + q}
}

var tagsRE = regexp.MustCompile(`<[^>]*>`)

// readsAs is what the text around a tag reads like when the tag prints
// nothing ("Hi ,"), from the previous HTML tag or line start to the next.
func readsAs(p *part, t tag) string {
	before := p.text[:t.Start]
	if i := strings.LastIndexAny(before, ">\n"); i >= 0 {
		before = before[i+1:]
	}
	after := p.text[t.End:]
	if i := strings.IndexAny(after, "<\n"); i >= 0 {
		after = after[:i]
	}
	s := tagsRE.ReplaceAllString(before+after, "")
	s = strings.Join(strings.Fields(s), " ")
	if len([]rune(s)) > 60 || strings.ContainsAny(s, "{}%") {
		return ""
	}
	return s
}
