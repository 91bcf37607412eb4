package templateqa

import (
	"fmt"
	"html"
	"strconv"
	"strings"

	"github.com/mailgun/raymond/v2"
	"github.com/osteele/liquid"
	"github.com/osteele/liquid/render"

	"github.com/towerops/tower/internal/foundation"
)

// compiled is one part ready to render for many recipients.
type compiled struct {
	liquid *liquid.Template
	hbs    *raymond.Template
}

func (c *compiled) exec(b map[string]any) (string, error) {
	switch {
	case c.liquid != nil:
		out, err := c.liquid.RenderString(b)
		if err != nil {
			return out, err
		}
		return out, nil
	case c.hbs != nil:
		return c.hbs.Exec(b)
	}
	return "", nil
}

// liquidEngine is Liquid as the platform runs it: the platform's own tags
// are accepted (and render nothing), so only real mistakes fail to parse.
func liquidEngine(esp foundation.ESP) *liquid.Engine {
	e := liquid.NewEngine()
	noop := func(render.Context) (string, error) { return "", nil }
	switch esp {
	case "braze":
		for _, t := range []string{"abort_message", "connected_content", "catalog_items", "promotion"} {
			e.RegisterTag(t, noop)
		}
		for _, f := range []string{"json_escape", "url_param_escape", "property_accessor", "md5", "sha1", "sha2",
			"base64_encode", "hmac_sha1", "hmac_sha256", "number_with_delimiter", "money", "time_zone"} {
			e.RegisterFilter(f, func(v any) any { return v })
		}
	case "hubspot":
		for _, t := range []string{"module", "set", "require_css", "require_js", "widget_block", "dnd_area", "dnd_section",
			"dnd_row", "dnd_column", "dnd_module"} {
			e.RegisterTag(t, noop)
		}
	}
	return e
}

// hbsHelpers are Iterable's Handlebars helpers used in e-mail, beside
// raymond's own (if, unless, each, with, ifEq, ifGt, ifLt…).
func hbsHelpers() map[string]any {
	empty := func(v any) bool { return !raymond.IsTrue(v) || raymond.Str(v) == "" }
	return map[string]any{
		"defaultIfEmpty": func(v, d any) string {
			if empty(v) {
				return raymond.Str(d)
			}
			return raymond.Str(v)
		},
		"ifNotEq": func(a, b any, o *raymond.Options) string {
			if raymond.Str(a) != raymond.Str(b) {
				return o.Fn()
			}
			return o.Inverse()
		},
		// raymond's own ifEq/ifGt/ifLt compare as numbers and log every
		// string they cannot convert; Iterable compares strings.
		"ifEq": func(a, b any, o *raymond.Options) string {
			if raymond.Str(a) == raymond.Str(b) {
				return o.Fn()
			}
			return o.Inverse()
		},
		"ifGt": func(a, b any, o *raymond.Options) string {
			if num(a) > num(b) {
				return o.Fn()
			}
			return o.Inverse()
		},
		"ifLt": func(a, b any, o *raymond.Options) string {
			if num(a) < num(b) {
				return o.Fn()
			}
			return o.Inverse()
		},
		"ifContainsStr": func(a, b any, o *raymond.Options) string {
			if strings.Contains(raymond.Str(a), raymond.Str(b)) {
				return o.Fn()
			}
			return o.Inverse()
		},
		"capitalize": func(v any) string {
			s := raymond.Str(v)
			if s == "" {
				return s
			}
			return strings.ToUpper(s[:1]) + s[1:]
		},
		"upper":     func(v any) string { return strings.ToUpper(raymond.Str(v)) },
		"lower":     func(v any) string { return strings.ToLower(raymond.Str(v)) },
		"urlEncode": func(v any) string { return raymond.Str(v) },
		"now":       func() string { return "2026-01-01" },
		"dateFormat": func(v any, o *raymond.Options) string {
			return raymond.Str(v)
		},
	}
}

func num(v any) float64 {
	f, _ := strconv.ParseFloat(strings.TrimSpace(raymond.Str(v)), 64)
	return f
}

// compile parses one part in the template's dialect; src has Braze's
// ${x} already rewritten.
func compile(esp foundation.ESP, d foundation.Dialect, src string) (*compiled, error) {
	if d == "handlebars" {
		tpl, err := raymond.Parse(src)
		if err != nil {
			return nil, err
		}
		tpl.RegisterHelpers(hbsHelpers())
		return &compiled{hbs: tpl}, nil
	}
	tpl, err := liquidEngine(esp).ParseTemplateLocation([]byte(src), "", 1)
	if err != nil {
		return nil, err
	}
	return &compiled{liquid: tpl}, nil
}

// safeExec renders and turns a panic in a renderer (raymond panics on
// some helper misuse) into an error.
func safeExec(c *compiled, b map[string]any) (out string, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%v", r)
		}
	}()
	out, err = c.exec(b)
	if c.hbs != nil {
		out = html.UnescapeString(out)
	}
	return out, err
}

// bindings builds what a part's references read for one recipient: each
// reference's path is set from the recipient's canonical field (missing
// fields stay unset), the platform's own variables get a placeholder.
func bindings(refs []ref, r Recipient) map[string]any {
	b := map[string]any{}
	for _, rf := range refs {
		var v any
		if rf.System {
			v = "https://example.com/" + strings.Trim(strings.Join(rf.Segs, "-"), "_")
		} else {
			x, ok := r[rf.Field]
			if !ok {
				continue
			}
			v = x
		}
		m := b
		for i, s := range rf.Segs {
			if i == len(rf.Segs)-1 {
				if _, isMap := m[s].(map[string]any); !isMap {
					m[s] = v
				}
				break
			}
			next, ok := m[s].(map[string]any)
			if !ok {
				next = map[string]any{}
				m[s] = next
			}
			m = next
		}
	}
	return b
}

// typicalValue is what a synthetic recipient has for a field.
func typicalValue(field string) any {
	switch field {
	case "first_name":
		return "Alex"
	case "last_name":
		return "Rivera"
	case "company":
		return "Northwind Analytics"
	case "email":
		return "alex.rivera@example.com"
	case "title":
		return "Head of Data"
	case "plan":
		return "trial"
	case "trial_days_left":
		return 7
	}
	return "sample " + fieldLabel(field)
}
