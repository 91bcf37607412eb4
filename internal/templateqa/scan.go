package templateqa

import (
	"regexp"
	"strings"
)

// tag is one template delimiter pair found in a part: a Liquid output
// ({{ }}) or tag ({% %}), or a Handlebars mustache. Offsets are bytes of
// the part; In is the inside, without delimiters, whitespace-control
// marks or Handlebars' #, /, ^, ! and > prefixes.
type tag struct {
	Start, End     int
	InStart, InEnd int
	Output         bool   // {{ }} (Liquid) or a plain mustache
	Name           string // Liquid tag name; Handlebars block helper
	Open, Close    bool   // Handlebars {{#x}} / {{/x}}
	Else           bool   // {{else}} / {% else %} / {% elsif %}
	Comment        bool
}

// brazeVarRE is Braze's attribute syntax ${name}, which no Liquid parser
// reads; it is rewritten to a same-length identifier so columns stay true.
var brazeVarRE = regexp.MustCompile(`\$\{([A-Za-z_][A-Za-z0-9_]*)\}`)

// rewriteBraze turns each ${name} into __name_ (same length).
func rewriteBraze(s string) string {
	return brazeVarRE.ReplaceAllStringFunc(s, func(m string) string { return "__" + m[2:len(m)-1] + "_" })
}

// scanLiquid finds the {{ }} and {% %} of a Liquid part. Text between
// {% raw %} and {% endraw %} and inside {% comment %} blocks is skipped,
// as Liquid does.
func scanLiquid(s string) []tag {
	var out []tag
	skipUntil := ""
	for i := 0; i+1 < len(s); {
		j := strings.Index(s[i:], "{")
		if j < 0 {
			break
		}
		i += j
		if i+1 >= len(s) {
			break
		}
		var closer string
		switch s[i+1] {
		case '{':
			closer = "}}"
		case '%':
			closer = "%}"
		default:
			i++
			continue
		}
		k := strings.Index(s[i+2:], closer)
		if k < 0 {
			break // an unclosed delimiter: the parser reports it
		}
		end := i + 2 + k + 2
		t := tag{Start: i, End: end, InStart: i + 2, InEnd: end - 2, Output: closer == "}}"}
		if t.InStart < t.InEnd && s[t.InStart] == '-' {
			t.InStart++
		}
		if t.InEnd > t.InStart && s[t.InEnd-1] == '-' {
			t.InEnd--
		}
		in := s[t.InStart:t.InEnd]
		if !t.Output {
			t.Name = firstWord(in)
			t.Else = t.Name == "else" || t.Name == "elsif" || t.Name == "elif" || t.Name == "when"
		}
		if skipUntil != "" {
			if !t.Output && t.Name == skipUntil {
				if skipUntil == "endcomment" && len(out) > 0 && out[len(out)-1].Comment {
					out[len(out)-1].End = end // the comment tag spans its whole block
				} else {
					out = append(out, t)
				}
				skipUntil = ""
			}
			i = end
			continue
		}
		switch t.Name {
		case "raw":
			skipUntil = "endraw"
		case "comment":
			skipUntil = "endcomment"
			t.Comment = true
		}
		out = append(out, t)
		i = end
	}
	return out
}

// scanHandlebars finds the mustaches of a Handlebars part; comments
// ({{! }} and {{!-- --}}) are marked so nothing inside them counts.
func scanHandlebars(s string) []tag {
	var out []tag
	for i := 0; i+1 < len(s); {
		j := strings.Index(s[i:], "{{")
		if j < 0 {
			break
		}
		i += j
		closer := "}}"
		open := 2
		if strings.HasPrefix(s[i:], "{{{") {
			closer, open = "}}}", 3
		} else if strings.HasPrefix(s[i:], "{{!--") {
			closer = "--}}"
		}
		k := strings.Index(s[i+open:], closer)
		if k < 0 {
			break
		}
		end := i + open + k + len(closer)
		t := tag{Start: i, End: end, InStart: i + open, InEnd: end - len(closer), Output: true}
		if t.InStart < t.InEnd && s[t.InStart] == '~' {
			t.InStart++
		}
		if t.InEnd > t.InStart && s[t.InEnd-1] == '~' {
			t.InEnd--
		}
		if t.InStart < t.InEnd {
			switch s[t.InStart] {
			case '!':
				t.Comment, t.Output = true, false
			case '#', '^':
				t.Open, t.Output = true, false
				t.InStart++
				t.Name = firstWord(s[t.InStart:t.InEnd])
			case '/':
				t.Close, t.Output = true, false
				t.InStart++
				t.Name = strings.TrimSpace(s[t.InStart:t.InEnd])
			case '>':
				t.Output = false
				t.Name = ">"
			}
		}
		if t.Output && strings.TrimSpace(s[t.InStart:t.InEnd]) == "else" {
			t.Else, t.Output = true, false
		}
		out = append(out, t)
		i = end
	}
	return out
}

func firstWord(s string) string {
	s = strings.TrimSpace(s)
	for i, r := range s {
		if r == ' ' || r == '\t' || r == '\n' || r == '\r' || r == '(' {
			return s[:i]
		}
	}
	return s
}

// exprTok is one token of an expression inside a tag.
type exprTok struct {
	Kind       byte // 'p' path, 's' string, 'n' number, 'o' operator or punctuation
	Start, End int  // bytes of the part
	Text       string
}

// lexExpr splits the inside of a tag into tokens; offsets are shifted by
// base so they point into the part.
func lexExpr(s string, base int) []exprTok {
	var out []exprTok
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			i++
		case c == '"' || c == '\'':
			j := strings.IndexByte(s[i+1:], c)
			end := len(s)
			if j >= 0 {
				end = i + 1 + j + 1
			}
			out = append(out, exprTok{'s', base + i, base + end, s[i:end]})
			i = end
		case c >= '0' && c <= '9' || c == '-' && i+1 < len(s) && s[i+1] >= '0' && s[i+1] <= '9':
			j := i + 1
			for j < len(s) && (s[j] >= '0' && s[j] <= '9' || s[j] == '.' && j+1 < len(s) && s[j+1] != '.') {
				j++
			}
			out = append(out, exprTok{'n', base + i, base + j, s[i:j]})
			i = j
		case isIdentStart(c) || c == '.' && strings.HasPrefix(s[i:], "../"):
			j := i
			for j < len(s) {
				d := s[j]
				if isIdentChar(d) || d == '.' || d == '/' || d == '-' && j+1 < len(s) && isIdentChar(s[j+1]) {
					j++
					continue
				}
				if d == '[' { // Liquid a["b"] / a[0]
					k := strings.IndexByte(s[j:], ']')
					if k < 0 {
						break
					}
					j += k + 1
					continue
				}
				break
			}
			text := strings.TrimRight(s[i:j], "./")
			out = append(out, exprTok{'p', base + i, base + i + len(text), text})
			i = j
		default:
			j := i + 1
			if j < len(s) && strings.ContainsRune("=!<>", rune(c)) && s[j] == '=' {
				j++
			} else if c == '.' && j < len(s) && s[j] == '.' {
				j++
			}
			out = append(out, exprTok{'o', base + i, base + j, s[i:j]})
			i = j
		}
	}
	return out
}

func isIdentStart(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' || c == '@' || c >= 0x80
}

func isIdentChar(c byte) bool { return isIdentStart(c) || c >= '0' && c <= '9' }

// liquidWords are Liquid keywords and literals, never variables.
var liquidWords = map[string]bool{"and": true, "or": true, "not": true, "contains": true, "in": true,
	"true": true, "false": true, "nil": true, "null": true, "empty": true, "blank": true, "with": true,
	"limit": true, "offset": true, "reversed": true, "as": true, "is": true, "none": true}
