package templateqa

import (
	"bytes"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"gopkg.in/yaml.v3"

	"github.com/towerops/tower/internal/foundation"
)

// FileError is a template file that cannot be read, with the file line at
// fault, so `tower lint` can point at it like at any finding.
type FileError struct {
	Path   string
	Line   int
	Reason string
}

func (e *FileError) Error() string { return fmt.Sprintf("%s:%d: %s", e.Path, e.Line, e.Reason) }

// ParseFile reads a template file in the import format (front matter,
// then the body) into a Template with BodyLine and SubjectLine set.
// It refuses what `tower import` refuses — no front matter, an unclosed
// one, invalid YAML, a missing id or dialect, an unknown esp or dialect —
// so a file that lints is a file that imports. Errors are *FileError.
func ParseFile(path string, data []byte) (Template, error) {
	fail := func(line int, format string, a ...any) (Template, error) {
		return Template{}, &FileError{Path: path, Line: line, Reason: fmt.Sprintf(format, a...)}
	}
	data = bytes.TrimPrefix(data, []byte{0xEF, 0xBB, 0xBF})
	if !utf8.Valid(data) {
		pos := 0
		for pos < len(data) {
			r, n := utf8.DecodeRune(data[pos:])
			if r == utf8.RuneError && n <= 1 {
				break
			}
			pos += n
		}
		return fail(bytes.Count(data[:pos], []byte("\n"))+1, "not valid UTF-8 (byte 0x%02X); the file may be "+
			"Latin-1/Windows-1252 — re-save it as UTF-8", data[pos])
	}
	first, rest, _ := bytes.Cut(data, []byte("\n"))
	if !isFence(first) {
		return fail(1, "a template file must start with front matter: a '---' line, then id, dialect "+
			"(and esp, subject, campaign_id, segment), then another '---' line, then the body")
	}
	var front, body []byte
	closed, fenceLine := false, 0
	line := 2
	for off := 0; off <= len(rest); line++ {
		end := bytes.IndexByte(rest[off:], '\n')
		l := rest[off:]
		if end >= 0 {
			l = rest[off : off+end]
		}
		if isFence(l) {
			front, closed, fenceLine = rest[:off], true, line
			if end >= 0 {
				body = rest[off+end+1:]
			}
			break
		}
		if end < 0 {
			break
		}
		off += end + 1
	}
	if !closed {
		return fail(1, "the front matter that starts on line 1 is never closed; add a '---' line after its last key")
	}
	t := Template{Path: path, Body: string(body), BodyLine: fenceLine + 1}
	var doc yaml.Node
	if err := yaml.Unmarshal(front, &doc); err != nil {
		l, msg := yamlLine(err)
		return fail(l, "the front matter is not valid YAML: %s", msg)
	}
	if len(doc.Content) == 0 {
		return fail(2, "id: the front matter is empty; it needs at least id and dialect")
	}
	m := doc.Content[0]
	if m.Kind != yaml.MappingNode {
		return fail(m.Line+1, "the front matter must be 'key: value' lines")
	}
	keyLine := map[string]int{}
	frontLines := strings.Split(string(front), "\n")
	for i := 0; i+1 < len(m.Content); i += 2 {
		k, v := m.Content[i], m.Content[i+1]
		name, l := strings.ToLower(strings.TrimSpace(k.Value)), k.Line+1
		keyLine[name] = l
		switch name {
		case "id", "subject", "campaign_id", "segment", "esp", "dialect":
		default:
			continue // other keys are traits for the importer; lint does not need them
		}
		if v.Kind != yaml.ScalarNode {
			return fail(l, "%s: must be a single value, not a list or a map", name)
		}
		s := strings.TrimSpace(v.Value)
		if v.Tag == "!!null" {
			s = ""
		}
		switch name {
		case "id":
			t.ID = s
		case "subject":
			t.Subject, t.SubjectLine = s, v.Line+1
			t.SubjectCol = v.Column
			// A plain or double-quoted value without escapes is in the
			// file as written; point one column past the quote.
			if v.Line-1 < len(frontLines) {
				raw := frontLines[v.Line-1]
				bcol := runeToByteCol(raw, v.Column)
				if bcol >= 0 && (strings.HasPrefix(raw[bcol:], `"`+s) || strings.HasPrefix(raw[bcol:], `'`+s)) {
					t.SubjectCol = v.Column + 1
				}
			}
		case "campaign_id":
			t.CampaignID = s
		case "segment":
			t.Segment = s
		case "esp":
			t.ESP = foundation.ESP(strings.ToLower(s))
		case "dialect":
			t.Dialect = foundation.Dialect(strings.ToLower(s))
		}
	}
	if t.ESP == "" {
		t.ESP = "generic"
	}
	ft := foundation.Template{ID: t.ID, ESP: t.ESP, Dialect: t.Dialect}
	if err := ft.Validate(); err != nil {
		l := 1
		if fe, ok := err.(*foundation.FieldError); ok {
			if kl, ok := keyLine[fe.Field]; ok {
				l = kl
			}
		}
		return fail(l, "%s", err.Error())
	}
	return t, nil
}

// runeToByteCol turns a 1-based rune column of s into a byte offset, -1
// when past the end.
func runeToByteCol(s string, col int) int {
	n := 1
	for i := range s {
		if n == col {
			return i
		}
		n++
	}
	if n == col {
		return len(s)
	}
	return -1
}

func isFence(line []byte) bool { return string(bytes.TrimRight(line, " \t\r")) == "---" }

var yamlLineRE = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// yamlLine turns a YAML error's front-matter line into a file line (the
// front matter starts on line 2).
func yamlLine(err error) (int, string) {
	msg := err.Error()
	if m := yamlLineRE.FindStringSubmatch(msg); m != nil {
		n, _ := strconv.Atoi(m[1])
		return n + 1, m[2]
	}
	return 1, strings.TrimPrefix(msg, "yaml: ")
}
