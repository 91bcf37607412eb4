package templateqa

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/towerops/tower/internal/foundation"
	"github.com/towerops/tower/internal/knowledge"
)

// part is the body or the subject of a template, with what every rule
// needs: the scanned tags, the references and where the part sits in the
// file.
type part struct {
	name   string // "body" or "subject"
	text   string // as written
	src    string // what the parser reads (Braze ${x} rewritten, same length)
	tags   []tag
	refs   []ref
	line   int // file line of the part's first line
	col    int // file column of its first character (subject only)
	parsed *compiled
	// foreign are the spans of other platforms' syntax; the references
	// inside them are not this platform's fields.
	foreign [][2]int
}

func (p *part) inForeign(off int) bool {
	for _, s := range p.foreign {
		if off >= s[0] && off < s[1] {
			return true
		}
	}
	return false
}

// pos turns a byte offset of the part into a file line and column.
func (p *part) pos(off int) (int, int) {
	off = max(0, min(off, len(p.text)))
	before := p.text[:off]
	nl := strings.LastIndexByte(before, '\n')
	line := p.line + strings.Count(before, "\n")
	col := utf8.RuneCountInString(before[nl+1:]) + 1
	if nl < 0 && p.col > 0 {
		col += p.col - 1
	}
	return line, col
}

type linter struct {
	t        Template
	env      Env
	brand    *knowledge.Brand
	tax      *knowledge.UTM
	body     *part
	subject  *part
	used     []string // canonical fields used, in first-use order
	sample   []Recipient
	findings []Finding
}

func (l *linter) add(p *part, off int, f Finding) {
	f.File = l.t.Path
	f.Line, f.Col = p.pos(off)
	if f.Fix != nil {
		f.Fix.In = p.name
	}
	l.findings = append(l.findings, f)
}

// Lint checks one template and returns its findings in file order. It
// fails only for a dialect Tower cannot render or a cancelled context;
// everything wrong inside the template is a finding.
func Lint(ctx context.Context, t Template, env Env) ([]Finding, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if t.Dialect != "liquid" && t.Dialect != "handlebars" {
		return nil, fmt.Errorf("%s: dialect %q is not one Tower can check (liquid or handlebars)", t.Path, t.Dialect)
	}
	if t.ESP == "" {
		t.ESP = "generic"
	}
	l := &linter{t: t, env: env, brand: env.Brand, tax: env.UTM}
	if l.brand == nil {
		l.brand = knowledge.DefaultBrand()
	}
	if l.tax == nil {
		l.tax = knowledge.DefaultUTM()
	}
	bodyLine := t.BodyLine
	if bodyLine < 1 {
		bodyLine = 1
	}
	subjLine := t.SubjectLine
	if subjLine < 1 {
		subjLine = bodyLine
	}
	l.body = l.newPart("body", t.Body, bodyLine, 0)
	l.subject = l.newPart("subject", t.Subject, subjLine, max(t.SubjectCol, 1))
	l.sampleRecipients()

	l.checkSyntax()
	l.checkForeign()
	l.checkFields()
	l.checkRender()
	l.checkContent()
	l.checkBrand()
	l.checkLinks()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	l.dropExplainedSyntax()
	sort.SliceStable(l.findings, func(i, j int) bool {
		a, b := l.findings[i], l.findings[j]
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		if a.Col != b.Col {
			return a.Col < b.Col
		}
		return a.Rule < b.Rule
	})
	if l.findings == nil {
		l.findings = []Finding{}
	}
	return l.findings, nil
}

func (l *linter) newPart(name, text string, line, col int) *part {
	p := &part{name: name, text: text, src: text, line: line, col: col}
	if l.t.Dialect == "handlebars" {
		p.tags = scanHandlebars(text)
		p.refs = handlebarsRefs(text, p.tags)
	} else {
		p.src = rewriteBraze(text)
		p.tags = scanLiquid(p.src)
		p.refs = liquidRefs(text, p.src, p.tags)
	}
	for i := range p.refs {
		r := &p.refs[i]
		r.Field, r.System = canonical(l.t.ESP, r.Path)
	}
	return p
}

func (l *linter) parts() []*part { return []*part{l.body, l.subject} }

// sampleRecipients is env.Recipients plus, for each field the template
// uses, a synthetic recipient who has every other field but not that one.
func (l *linter) sampleRecipients() {
	seen := map[string]bool{}
	for _, p := range l.parts() {
		for _, r := range p.refs {
			if r.Field != "" && !seen[r.Field] {
				seen[r.Field] = true
				l.used = append(l.used, r.Field)
			}
		}
	}
	l.sample = append([]Recipient{}, l.env.Recipients...)
	for _, missing := range l.used {
		r := Recipient{}
		for _, f := range l.used {
			if f != missing {
				r[f] = typicalValue(f)
			}
		}
		l.sample = append(l.sample, r)
	}
}

// typical is a recipient with every field the subject uses: the first
// sample recipient that has them all, else a synthetic one.
func (l *linter) typical() Recipient {
	for _, r := range l.env.Recipients {
		ok := true
		for _, rf := range l.subject.refs {
			if rf.Field != "" && blank(r[rf.Field], false) {
				ok = false
				break
			}
		}
		if ok {
			return r
		}
	}
	r := Recipient{}
	for _, f := range l.used {
		r[f] = typicalValue(f)
	}
	return r
}

// blank reports whether a value prints as nothing; whitespace counts as
// blank where the platform's default does not apply to it (Braze).
func blank(v any, whitespace bool) bool {
	switch x := v.(type) {
	case nil:
		return true
	case string:
		if whitespace {
			return strings.TrimSpace(x) == ""
		}
		return x == ""
	}
	return false
}

// dropExplainedSyntax removes a syntax error on a line where another
// platform's syntax was found: the foreign-syntax finding says why, and
// says it better.
func (l *linter) dropExplainedSyntax() {
	foreign := map[int]bool{}
	for _, f := range l.findings {
		if f.Rule == RuleForeignSyntax {
			foreign[f.Line] = true
		}
	}
	out := l.findings[:0]
	for _, f := range l.findings {
		if f.Rule == RuleSyntax && foreign[f.Line] {
			continue
		}
		out = append(out, f)
	}
	l.findings = out
}

func espName(esp foundation.ESP) string {
	switch esp {
	case "braze":
		return "Braze"
	case "iterable":
		return "Iterable"
	case "hubspot":
		return "HubSpot"
	case "marketo":
		return "Marketo"
	case "sfmc":
		return "Salesforce Marketing Cloud"
	case "mailchimp":
		return "Mailchimp"
	}
	return "the platform"
}
