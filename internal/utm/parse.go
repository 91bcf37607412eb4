package utm

import (
	"net/url"
	"strings"
)

// parts is a URL cut at its delimiters without normalising anything, so
// Tag can rebuild it byte for byte apart from the parameters it fixes.
type parts struct {
	scheme    string // lower-cased
	authority string // userinfo@host:port as written
	host      string // lower-cased, without port or trailing dot
	path      string
	hasQuery  bool
	query     string // without the ?
	fragment  string // with its #, "" when none
}

// param is one key=value pair of a query, as written and decoded.
type param struct {
	raw   string // the pair as written
	name  string // decoded, as written
	key   string // decoded, lower-cased
	value string // decoded; "" when absent
	// opaque is true when the value is a template expression the ESP
	// fills in; it is not checked.
	opaque bool
	hasEq  bool
}

// splitURL cuts raw into its parts. It does not judge them; see malformed.
func splitURL(raw string) parts {
	var p parts
	rest := raw
	if i := strings.Index(rest, ":"); i > 0 && validScheme(rest[:i]) {
		p.scheme = strings.ToLower(rest[:i])
		rest = rest[i+1:]
	}
	pre := beforeQuery(rest)
	tail := rest[len(pre):]
	if strings.HasPrefix(pre, "//") {
		pre = pre[2:]
		if i := strings.IndexByte(pre, '/'); i >= 0 {
			p.authority, p.path = pre[:i], pre[i:]
		} else {
			p.authority = pre
		}
		p.host = hostOf(p.authority)
	} else {
		p.path = pre
	}
	if strings.HasPrefix(tail, "?") {
		p.hasQuery = true
		tail = tail[1:]
		q := tail
		if i := fragmentStart(tail); i >= 0 {
			q, tail = tail[:i], tail[i:]
		} else {
			tail = ""
		}
		p.query = q
	}
	p.fragment = tail
	return p
}

// fragmentStart is the index of the first # outside a template expression.
func fragmentStart(s string) int {
	for i := 0; i < len(s); i++ {
		if end, ok := templateAt(s, i); ok {
			i = end - 1
			continue
		}
		if s[i] == '#' {
			return i
		}
	}
	return -1
}

func validScheme(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z':
		case i > 0 && (c >= '0' && c <= '9' || c == '+' || c == '-' || c == '.'):
		default:
			return false
		}
	}
	return s != ""
}

// hostOf strips userinfo, port and a trailing dot from an authority.
func hostOf(auth string) string {
	if i := strings.LastIndexByte(auth, '@'); i >= 0 {
		auth = auth[i+1:]
	}
	if strings.HasPrefix(auth, "[") {
		if i := strings.IndexByte(auth, ']'); i >= 0 {
			return strings.ToLower(auth[:i+1])
		}
		return strings.ToLower(auth)
	}
	if i := strings.LastIndexByte(auth, ':'); i >= 0 {
		auth = auth[:i]
	}
	return strings.TrimSuffix(strings.ToLower(auth), ".")
}

// splitQuery cuts a query into its pairs at & outside template
// expressions. Empty pairs (a&&b) are kept so the query rebuilds exactly.
func splitQuery(q string) []param {
	if q == "" {
		return nil
	}
	var out []param
	start := 0
	for i := 0; i <= len(q); i++ {
		if i < len(q) {
			if end, ok := templateAt(q, i); ok {
				i = end - 1
				continue
			}
			if q[i] != '&' {
				continue
			}
		}
		out = append(out, parseParam(q[start:i]))
		start = i + 1
	}
	return out
}

func parseParam(s string) param {
	p := param{raw: s}
	k, v, eq := strings.Cut(s, "=")
	p.hasEq = eq
	p.name = decode(k)
	p.key = strings.ToLower(p.name)
	if hasTemplate(v) {
		p.opaque = true
		p.value = v
		return p
	}
	p.value = decode(v)
	return p
}

// decode undoes query escaping; undecodable text is returned as written
// (malformed reports it).
func decode(s string) string {
	d, err := url.QueryUnescape(s)
	if err != nil {
		return s
	}
	return d
}

// badPercent reports a % not followed by two hex digits, outside template
// expressions.
func badPercent(s string) bool {
	s = maskTemplates(s)
	for i := 0; i < len(s); i++ {
		if s[i] != '%' {
			continue
		}
		if i+2 >= len(s) || !isHex(s[i+1]) || !isHex(s[i+2]) {
			return true
		}
		i += 2
	}
	return false
}

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}
