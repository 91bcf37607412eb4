package utm

import "strings"

// delimiters are the template expression syntaxes of the ESPs Tower meets:
// Liquid/Jinja/Handlebars ({{ }} and {% %}), JavaScript-style ${ },
// Salesforce Marketing Cloud AMPscript %%= =%% and Mailchimp merge tags
// *|…|*. An ESP rewrites these at send time, so their text is not a URL.
var delimiters = []struct{ open, close string }{
	{"{{", "}}"},
	{"{%", "%}"},
	{"${", "}"},
	{"%%", "%%"},
	{"*|", "|*"},
}

// templateAt reports whether a template expression opens at s[i:] and, if
// so, the index just past its close. An opener that never closes is plain
// text: a stray ${ must not swallow the rest of a URL.
func templateAt(s string, i int) (end int, ok bool) {
	for _, d := range delimiters {
		if strings.HasPrefix(s[i:], d.open) {
			j := strings.Index(s[i+len(d.open):], d.close)
			if j < 0 {
				continue
			}
			return i + len(d.open) + j + len(d.close), true
		}
	}
	return 0, false
}

// hasTemplate reports whether s contains a template expression.
func hasTemplate(s string) bool {
	for i := 0; i < len(s); i++ {
		if _, ok := templateAt(s, i); ok {
			return true
		}
	}
	return false
}

// isTemplated reports whether the URL's scheme, host or path is (or holds)
// a template expression: everything before the query or fragment. A
// template only in a query value leaves the link checkable.
func isTemplated(u string) bool {
	return hasTemplate(beforeQuery(u))
}

// beforeQuery is u up to its first ? or # outside a template expression.
func beforeQuery(u string) string {
	for i := 0; i < len(u); i++ {
		if end, ok := templateAt(u, i); ok {
			i = end - 1
			continue
		}
		if u[i] == '?' || u[i] == '#' {
			return u[:i]
		}
	}
	return u
}

// maskTemplates replaces each template expression in s with the letter x,
// so a value such as {{ campaign }} can be validated as an opaque token.
func maskTemplates(s string) string {
	if !hasTemplate(s) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if end, ok := templateAt(s, i); ok {
			b.WriteByte('x')
			i = end - 1
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}
