package templateqa

import (
	"fmt"
	"strings"
)

// checkRender renders each part that parsed for every sample recipient
// (the real ones and one missing each used field): a render error is a
// finding once per distinct error; template code left in the output of a
// typical recipient is another, unless a foreign-syntax finding already
// explains it.
func (l *linter) checkRender() {
	typical := l.typical()
	for _, p := range l.parts() {
		if p.parsed == nil {
			continue
		}
		seen := map[string]bool{}
		for i, r := range append(l.sample, typical) {
			_, err := safeExec(p.parsed, bindings(p.refs, r))
			if err == nil || seen[err.Error()] {
				continue
			}
			seen[err.Error()] = true
			who := "a sample recipient"
			if i >= len(l.env.Recipients) {
				who = "a test recipient"
			}
			off, why, src := 0, err.Error(), ""
			if p.parsed.liquid != nil {
				off, why, src = locateLiquidErr(p, err)
			}
			l.add(p, off, Finding{Rule: RuleRenderError, Severity: Error, Message: fmt.Sprintf(
				"%s fails to render for %s: %s; %s would not send it to them", quoteTag(src), who, why, espName(l.t.ESP))})
		}
		out, err := safeExec(p.parsed, bindings(p.refs, typical))
		if err != nil {
			continue
		}
		l.checkResidue(p, out)
	}
}

func (l *linter) checkResidue(p *part, out string) {
	for _, f := range l.findings {
		if f.Rule == RuleForeignSyntax {
			return // already explained at the source
		}
	}
	for _, loc := range residueRE.FindAllStringIndex(out, -1) {
		mark := out[loc[0]:loc[1]]
		off := strings.Index(p.text, mark)
		if off < 0 {
			off = 0
		}
		ctx := out[max(0, loc[0]-20):min(len(out), loc[1]+20)]
		l.add(p, off, Finding{Rule: RuleResidue, Severity: Error, Message: fmt.Sprintf(
			"the rendered e-mail still shows template code (%q in \"…%s…\"); recipients would see it as text",
			mark, snippet(ctx))})
		return // one is enough to send someone to look
	}
}
