package templateqa

import (
	"context"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzLint: any body, in either dialect, lints without panicking, every
// finding points inside the text, and every fix's span is inside its part
// and applies.
func FuzzLint(f *testing.F) {
	for _, s := range []string{
		"<p>Hi {{ ${first_name} | default: 'there' }},</p>",
		"{% if first_name %}Hi {{first_name}}{% endif %}",
		"{{#if firstName}}{{firstName}}{{else}}there{{/if}}",
		"{{#each items}}{{this}}{{/each}} {{../x}}",
		"{{ x | default: }}", "{{#if a}}", "{{/if}}", "{% raw %}{{ x }}{% endraw %}",
		"%%[ SET @a = 1 ]%% *|FNAME|* {{lead.First Name}} #if($x)",
		"<a href=\"https://tallyfield.io/x?utm_source=Braze\">click here</a><img src=x>",
		"{{{raw}}} {{!-- c --}} {{> partial}} {{~x~}}", "{%- comment -%}{{ x }}{%- endcomment -%}",
	} {
		f.Add(s, false)
		f.Add(s, true)
	}
	env := demoEnv("2026-q3-email-fuzz")
	f.Fuzz(func(t *testing.T, body string, hbs bool) {
		if !utf8.ValidString(body) {
			return
		}
		tpl := Template{Path: "f", ESP: "braze", Dialect: "liquid", Body: body, Subject: body, BodyLine: 1, SubjectLine: 1, SubjectCol: 1}
		if hbs {
			tpl.ESP, tpl.Dialect = "iterable", "handlebars"
		}
		fs, err := Lint(context.Background(), tpl, env)
		if err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(body, "\n")
		for _, fd := range fs {
			if fd.Line < 1 || fd.Line > len(lines) {
				t.Fatalf("%s at line %d of %d", fd.Rule, fd.Line, len(lines))
			}
			if n := utf8.RuneCountInString(lines[fd.Line-1]); fd.Col < 1 || fd.Col > n+1 {
				t.Fatalf("%s at %d:%d, line has %d characters", fd.Rule, fd.Line, fd.Col, n)
			}
			if x := fd.Fix; x != nil {
				if x.Start < 0 || x.End < x.Start || x.End > len(body) {
					t.Fatalf("%s fix span %d:%d outside %d bytes", fd.Rule, x.Start, x.End, len(body))
				}
				_ = Apply(body, x.In, []Fix{*x})
			}
		}
	})
}
