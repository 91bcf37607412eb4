package templateqa

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/osteele/liquid/parser"
)

// liquidErrRE reads osteele/liquid's "Liquid error (line N): why in {{ tag }}".
var liquidErrRE = regexp.MustCompile(`(?s)^Liquid error(?: \(line (\d+)\))?: (.*) in ((?:\{\{|\{%).*)$`)

// locateLiquidErr finds the tag a Liquid error names in the part: the
// occurrence of its source on the error's line, else the first one.
func locateLiquidErr(p *part, err error) (off int, why, tagSrc string) {
	m := liquidErrRE.FindStringSubmatch(err.Error())
	if m == nil {
		return 0, err.Error(), ""
	}
	why, tagSrc = m[2], m[3]
	line := 0
	var se parser.Error
	if errors.As(err, &se) {
		line = se.LineNumber()
	} else if m[1] != "" {
		line, _ = strconv.Atoi(m[1])
	}
	off = -1
	for i := 0; ; {
		j := strings.Index(p.src[i:], tagSrc)
		if j < 0 || tagSrc == "" {
			break
		}
		if off < 0 {
			off = i + j
		}
		if strings.Count(p.src[:i+j], "\n")+1 == line {
			off = i + j
			break
		}
		i += j + 1
	}
	if off < 0 {
		off = 0
		if line > 1 {
			off = nthLine(p.text, line)
		}
	}
	if off+len(tagSrc) <= len(p.text) && tagSrc != "" {
		tagSrc = p.text[off : off+len(tagSrc)] // as written, ${x} and all
	}
	return off, why, tagSrc
}

// nthLine is the byte offset where line n (1-based) of s starts.
func nthLine(s string, n int) int {
	off := 0
	for i := 1; i < n; i++ {
		j := strings.IndexByte(s[off:], '\n')
		if j < 0 {
			return len(s)
		}
		off += j + 1
	}
	return off
}

var emptyDefaultRE = regexp.MustCompile(`\|\s*default\s*:\s*(\||-?\}\}|$)`)

func (l *linter) checkSyntax() {
	for _, p := range l.parts() {
		if p.text == "" {
			continue
		}
		if l.t.Dialect == "handlebars" && l.checkBlocks(p) {
			continue // the unbalanced block is reported where it is
		}
		c, err := compile(l.t.ESP, l.t.Dialect, p.src)
		if err == nil {
			p.parsed = c
			continue
		}
		if l.t.Dialect == "handlebars" {
			off, why := locateHbsErr(p, err)
			l.add(p, off, Finding{Rule: RuleSyntax, Severity: Error, Message: "Handlebars cannot read this template: " +
				why + "; " + espName(l.t.ESP) + " will refuse to send it or show the code to recipients"})
			continue
		}
		off, why, src := locateLiquidErr(p, err)
		msg := fmt.Sprintf("Liquid cannot read %s: %s; %s will refuse to send it or show the code to recipients", quoteTag(src), why, espName(l.t.ESP))
		if emptyDefaultRE.MatchString(src) {
			msg = fmt.Sprintf("%s has a default filter with no value; write the text to show when the field is empty, "+
				"e.g. default: 'there' — as it is, %s will refuse the template", quoteTag(src), espName(l.t.ESP))
		}
		l.add(p, off, Finding{Rule: RuleSyntax, Severity: Error, Message: msg})
	}
}

func quoteTag(s string) string {
	if s == "" {
		return "this template"
	}
	if len(s) > 80 {
		s = s[:77] + "..."
	}
	return "`" + s + "`"
}

// checkBlocks pairs Handlebars {{#x}} with {{/x}} and reports the first
// one left open or closed out of turn, where it is (the parser only says
// "end of file").
func (l *linter) checkBlocks(p *part) bool {
	var open []tag
	for _, t := range p.tags {
		switch {
		case t.Open:
			open = append(open, t)
		case t.Close:
			if len(open) == 0 {
				l.add(p, t.Start, Finding{Rule: RuleSyntax, Severity: Error, Message: fmt.Sprintf(
					"`{{/%s}}` closes a block that was never opened; remove it or add the matching {{#%s …}}", t.Name, t.Name)})
				return true
			}
			top := open[len(open)-1]
			if top.Name != t.Name {
				l.add(p, t.Start, Finding{Rule: RuleSyntax, Severity: Error, Message: fmt.Sprintf(
					"`{{/%s}}` closes the `{{#%s}}` block opened on line %d; close it with {{/%s}} first", t.Name, top.Name,
					lineOf(p, top.Start), top.Name)})
				return true
			}
			open = open[:len(open)-1]
		}
	}
	if len(open) > 0 {
		t := open[len(open)-1]
		l.add(p, t.Start, Finding{Rule: RuleSyntax, Severity: Error, Message: fmt.Sprintf(
			"`%s` opens a block that is never closed; add {{/%s}} where it should end — %s will refuse the template",
			p.text[t.Start:t.End], t.Name, espName(l.t.ESP))})
		return true
	}
	return false
}

func lineOf(p *part, off int) int { l, _ := p.pos(off); return l }

var hbsLineRE = regexp.MustCompile(`Parse error on line (\d+):\n?(.*)`)
var hbsPosRE = regexp.MustCompile(`Pos:\s*(\d+)`)

func locateHbsErr(p *part, err error) (int, string) {
	msg := err.Error()
	why := msg
	off := 0
	if m := hbsLineRE.FindStringSubmatch(msg); m != nil {
		n, _ := strconv.Atoi(m[1])
		off = nthLine(p.text, n)
		why = strings.TrimSpace(m[2])
	}
	if m := hbsPosRE.FindStringSubmatch(msg); m != nil {
		if n, _ := strconv.Atoi(m[1]); n >= 0 && n <= len(p.text) {
			off = n
		}
	}
	return off, strings.ToLower(why[:min(len(why), 1)]) + why[min(len(why), 1):]
}
