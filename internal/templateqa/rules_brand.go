package templateqa

import (
	"fmt"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/towerops/tower/internal/knowledge"
)

var hiddenRE = regexp.MustCompile(`(?is)<style\b.*?</style\s*>|<script\b.*?</script\s*>|<!--.*?-->|<[^>]*>`)

// visibleText is the part with everything a reader does not see — HTML
// tags, style and script, comments, template tags — blanked to spaces of
// the same length, so offsets into it are offsets into the part.
func visibleText(p *part) string {
	b := []byte(p.text)
	blankOut := func(s, e int) {
		for i := s; i < e && i < len(b); i++ {
			if b[i] != '\n' {
				b[i] = ' '
			}
		}
	}
	for _, t := range p.tags {
		blankOut(t.Start, t.End)
	}
	if p.name == "body" {
		for _, loc := range hiddenRE.FindAllStringIndex(p.text, -1) {
			blankOut(loc[0], loc[1])
		}
	}
	return string(b)
}

// phraseRE matches a banned phrase case-insensitively on word
// boundaries, with any run of spaces between its words.
func phraseRE(phrase string) *regexp.Regexp {
	ws := strings.Fields(phrase)
	if len(ws) == 0 {
		return nil
	}
	for i, w := range ws {
		ws[i] = regexp.QuoteMeta(w)
	}
	expr := strings.Join(ws, `\s+`)
	isWord := func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) || r == '_' }
	first, _ := utf8.DecodeRuneInString(phrase)
	last, _ := utf8.DecodeLastRuneInString(strings.TrimSpace(phrase))
	if isWord(first) {
		expr = `\b` + expr
	}
	if isWord(last) {
		expr += `\b`
	}
	return regexp.MustCompile(`(?i)` + expr)
}

func (l *linter) checkBrand() {
	for _, bp := range l.brand.BannedPhrases {
		re := phraseRE(bp.Phrase)
		if re == nil {
			continue
		}
		for _, p := range l.parts() {
			text := visibleText(p)
			for _, loc := range re.FindAllStringIndex(text, -1) {
				l.bannedPhrase(p, bp, loc[0], loc[1])
			}
		}
	}
	l.subjectLength()
	for _, loc := range imgRE.FindAllStringIndex(l.body.text, -1) {
		if !altRE.MatchString(l.body.text[loc[0]+4 : loc[1]]) {
			l.add(l.body, loc[0], Finding{Rule: RuleImageAlt, Severity: Warning, Message: "this image has no alt text: " +
				"when images are blocked (the default in many inboxes) or read aloud, it shows nothing — add alt=\"…\" " +
				"describing it, or alt=\"\" if it is decoration"})
		}
	}
}

func (l *linter) bannedPhrase(p *part, bp knowledge.BannedPhrase, s, e int) {
	found := strings.Join(strings.Fields(p.text[s:e]), " ")
	msg := fmt.Sprintf("%q is on the brand's banned list", found)
	if bp.Reason != "" {
		msg += " (" + bp.Reason + ")"
	}
	f := Finding{Rule: RuleBannedPhrase, Severity: Warning}
	if bp.Instead != "" {
		rep := bp.Instead
		if r, _ := utf8.DecodeRuneInString(found); unicode.IsUpper(r) {
			fr, n := utf8.DecodeRuneInString(rep)
			rep = string(unicode.ToUpper(fr)) + rep[n:]
		}
		msg += fmt.Sprintf("; say %q instead", rep)
		f.Fix = &Fix{Description: fmt.Sprintf("replace %q with %q", found, rep), Start: s, End: e, Replacement: rep}
	}
	f.Message = msg
	if p.name == "subject" {
		f.Message = "subject: " + msg
	}
	l.add(p, s, f)
}

// subjectLength renders the subject for a typical recipient and counts
// its characters against the brand's limit.
func (l *linter) subjectLength() {
	limit := l.brand.SubjectMaxChars
	p := l.subject
	if limit <= 0 || p.text == "" {
		return
	}
	rendered := p.text
	if p.parsed != nil {
		if out, err := safeExec(p.parsed, bindings(p.refs, l.typical())); err == nil {
			rendered = out
		}
	}
	n := utf8.RuneCountInString(rendered)
	if n <= limit {
		return
	}
	l.add(p, 0, Finding{Rule: RuleSubjectLength, Severity: Warning, Message: fmt.Sprintf(
		"the subject is %d characters for a typical recipient (%q), %d over the brand's %d-character limit; inboxes cut it off",
		n, rendered, n-limit, limit)})
}
