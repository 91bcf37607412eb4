package utm

import (
	"html"
	"strings"
	"unicode/utf8"
)

// Links returns every <a href> and <area href> in src in source order.
//
// It is a tolerant scanner, not an HTML parser: templates are rarely valid
// HTML (Liquid tags sit between attributes, quotes nest inside {{ }}), and
// a linter must point at the exact bytes a marketer wrote. Tag and
// attribute names are matched case-insensitively; HTML comments, <script>
// and <style> are skipped; a template expression inside an attribute value
// is read whole even when it contains quotes or spaces.
func Links(src string) []Link {
	var out []Link
	pos := newPosition(src)
	for i := 0; i < len(src); {
		lt := strings.IndexByte(src[i:], '<')
		if lt < 0 {
			break
		}
		i += lt
		switch {
		case strings.HasPrefix(src[i:], "<!--"):
			i = skipPast(src, i+4, "-->")
			continue
		case hasTagPrefix(src, i, "script"), hasTagPrefix(src, i, "style"):
			name := "script"
			if hasTagPrefix(src, i, "style") {
				name = "style"
			}
			i = skipPastFold(src, i+1, "</"+name)
			continue
		}
		name := ""
		if hasTagPrefix(src, i, "a") {
			name = "a"
		} else if hasTagPrefix(src, i, "area") {
			name = "area"
		}
		if name == "" {
			i++
			continue
		}
		attrs, end := readAttrs(src, i+1+len(name))
		i = end
		href, ok := attrs.get("href")
		if !ok {
			continue
		}
		l := Link{
			URL:   strings.TrimSpace(html.UnescapeString(src[href.start:href.end])),
			Start: href.start, End: href.end,
			Raw: src[href.start:href.end],
		}
		l.Line, l.Col = pos.at(href.start)
		l.Templated = isTemplated(l.URL)
		if name == "a" {
			l.Text = anchorText(src, end)
		} else if alt, ok := attrs.get("alt"); ok {
			l.Text = cleanText(html.UnescapeString(src[alt.start:alt.end]))
		}
		out = append(out, l)
	}
	return out
}

// hasTagPrefix reports whether src[i:] opens the element name: "<name"
// followed by a space, / or >, so <a> matches but <abbr> does not.
func hasTagPrefix(src string, i int, name string) bool {
	j := i + 1 + len(name)
	if j > len(src) || src[i] != '<' || !strings.EqualFold(src[i+1:j], name) {
		return false
	}
	if j == len(src) {
		return true
	}
	switch src[j] {
	case ' ', '\t', '\n', '\r', '\f', '/', '>':
		return true
	}
	return false
}

func skipPast(src string, i int, s string) int {
	j := strings.Index(src[i:], s)
	if j < 0 {
		return len(src)
	}
	return i + j + len(s)
}

func skipPastFold(src string, i int, s string) int {
	j := strings.Index(strings.ToLower(src[i:]), s)
	if j < 0 {
		return len(src)
	}
	return i + j + len(s)
}

// span is an attribute value's byte range in the source.
type span struct{ start, end int }

type attrList []struct {
	name string
	val  span
}

// get returns the first attribute called name, as browsers do.
func (a attrList) get(name string) (span, bool) {
	for _, at := range a {
		if at.name == name {
			return at.val, true
		}
	}
	return span{}, false
}

// readAttrs reads attributes from src[i:] up to the tag's closing >, and
// returns them with the index just past the tag.
func readAttrs(src string, i int) (attrList, int) {
	var out attrList
	for i < len(src) {
		i = skipSpace(src, i)
		if i >= len(src) {
			break
		}
		if src[i] == '>' {
			return out, i + 1
		}
		if src[i] == '/' {
			i++
			continue
		}
		if end, ok := templateAt(src, i); ok { // {% if %} between attributes
			i = end
			continue
		}
		n := i
		for i < len(src) && !isSpace(src[i]) && src[i] != '=' && src[i] != '>' && !(src[i] == '/' && i > n) {
			i++
		}
		name := strings.ToLower(src[n:i])
		j := skipSpace(src, i)
		if j >= len(src) || src[j] != '=' {
			out = append(out, struct {
				name string
				val  span
			}{name, span{i, i}})
			continue
		}
		i = skipSpace(src, j+1)
		var v span
		v, i = readValue(src, i)
		out = append(out, struct {
			name string
			val  span
		}{name, v})
	}
	return out, len(src)
}

// readValue reads a quoted or unquoted attribute value at src[i:]; the
// span excludes the quotes. Template expressions are read whole.
func readValue(src string, i int) (span, int) {
	if i >= len(src) {
		return span{i, i}, i
	}
	q := src[i]
	if q == '"' || q == '\'' {
		start := i + 1
		for j := start; j < len(src); j++ {
			if end, ok := templateAt(src, j); ok {
				j = end - 1
				continue
			}
			if src[j] == q {
				return span{start, j}, j + 1
			}
		}
		return span{start, len(src)}, len(src)
	}
	j := i
	for j < len(src) && !isSpace(src[j]) && src[j] != '>' {
		if end, ok := templateAt(src, j); ok {
			j = end
			continue
		}
		j++
	}
	return span{i, j}, j
}

func skipSpace(s string, i int) int {
	for i < len(s) && isSpace(s[i]) {
		i++
	}
	return i
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' }

// anchorText is the visible text from src[i:] up to the anchor's </a> (or
// the next <a, for an unclosed anchor), tags and comments stripped.
func anchorText(src string, i int) string {
	var b strings.Builder
	for i < len(src) {
		if src[i] != '<' {
			j := strings.IndexByte(src[i:], '<')
			if j < 0 {
				j = len(src) - i
			}
			b.WriteString(src[i : i+j])
			i += j
			continue
		}
		if strings.HasPrefix(src[i:], "<!--") {
			i = skipPast(src, i+4, "-->")
			continue
		}
		if hasTagPrefix(src, i, "a") || (i+3 <= len(src) && strings.EqualFold(src[i:i+3], "</a") && (i+3 == len(src) || !isNameChar(src[i+3]))) {
			break
		}
		_, i = readAttrs(src, i+1)
		b.WriteByte(' ')
	}
	return cleanText(html.UnescapeString(b.String()))
}

func isNameChar(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-'
}

// cleanText collapses runs of white space (including non-breaking spaces)
// to one space.
func cleanText(s string) string {
	return strings.Join(strings.FieldsFunc(s, func(r rune) bool {
		return r == ' ' || r == '\t' || r == '\n' || r == '\r' || r == '\f' || r == '\u00a0'
	}), " ")
}

// position turns byte offsets into 1-based lines and character columns.
type position struct {
	src        string
	lineStarts []int
}

func newPosition(src string) *position {
	p := &position{src: src, lineStarts: []int{0}}
	for i := 0; i < len(src); i++ {
		if src[i] == '\n' {
			p.lineStarts = append(p.lineStarts, i+1)
		}
	}
	return p
}

func (p *position) at(off int) (line, col int) {
	lo, hi := 0, len(p.lineStarts)-1
	for lo < hi {
		mid := (lo + hi + 1) / 2
		if p.lineStarts[mid] <= off {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	return lo + 1, utf8.RuneCountInString(p.src[p.lineStarts[lo]:off]) + 1
}
