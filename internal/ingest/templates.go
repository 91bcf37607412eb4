package ingest

import (
	"bytes"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/towerops/tower/internal/foundation"
	"gopkg.in/yaml.v3"
)

// maxTemplateBytes caps one template file; real e-mail templates with
// inlined CSS run to a few hundred kilobytes.
const maxTemplateBytes = 4 << 20

// templateExts are the file endings read as templates.
var templateExts = []string{".liquid", ".hbs", ".handlebars", ".html"}

func isTemplateFile(name string) bool {
	n := strings.ToLower(name)
	for _, ext := range templateExts {
		if strings.HasSuffix(n, ext) {
			return true
		}
	}
	return false
}

// templateProblem is what is wrong with a template file, with the line of
// the file and the front-matter key at fault.
type templateProblem struct {
	line   int64
	column string
	reason string
}

// parseTemplate reads one template file: YAML front matter between two
// "---" lines, then the body, kept byte for byte. Known keys fill the
// template's fields; other keys go to its traits. path is the file's
// path relative to the bundle.
func parseTemplate(path string, data []byte) (foundation.Template, *templateProblem) {
	data = bytes.TrimPrefix(data, []byte{0xEF, 0xBB, 0xBF})
	if pos := invalidUTF8At(string(data)); pos >= 0 {
		line := int64(bytes.Count(data[:pos], []byte("\n"))) + 1
		return foundation.Template{}, &templateProblem{line, "", fmt.Sprintf("not valid UTF-8 (byte 0x%02X); "+
			"the file may be Latin-1/Windows-1252 — re-save it as UTF-8", data[pos])}
	}
	first, rest, _ := bytes.Cut(data, []byte("\n"))
	if !isFence(first) {
		return foundation.Template{}, &templateProblem{1, "", "a template file must start with front matter: a '---' line, " +
			"then id, dialect (and esp, subject, campaign_id, segment), then another '---' line, then the body"}
	}
	var front []byte
	body, closed := rest, false
	for off := 0; off <= len(rest); {
		end := bytes.IndexByte(rest[off:], '\n')
		line := rest[off:]
		if end >= 0 {
			line = rest[off : off+end]
		}
		if isFence(line) {
			front, closed = rest[:off], true
			body = nil
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
		return foundation.Template{}, &templateProblem{1, "", "the front matter that starts on line 1 is never closed; " +
			"add a '---' line after its last key"}
	}
	// The body starts after the opening fence, the front matter and the
	// closing fence. It is kept as a trait so checks of the stored body
	// (template-qa) can point at lines of the file people edit.
	t := foundation.Template{Path: path, Body: string(body), Traits: foundation.Traits{BodyLineTrait: int64(bytes.Count(front, []byte("\n"))) + 3}}
	var doc yaml.Node
	if err := yaml.Unmarshal(front, &doc); err != nil {
		return t, yamlProblem(err)
	}
	if len(doc.Content) == 0 {
		return t, &templateProblem{2, "id", "the front matter is empty; it needs at least id and dialect"}
	}
	m := doc.Content[0]
	if m.Kind != yaml.MappingNode {
		return t, &templateProblem{int64(m.Line) + 1, "", "the front matter must be 'key: value' lines"}
	}
	keyLine := map[string]int64{}
	var subjectCol int64
	known := map[string]*string{"id": &t.ID, "subject": &t.Subject, "campaign_id": &t.CampaignID, "segment": &t.Segment}
	for i := 0; i+1 < len(m.Content); i += 2 {
		k, v := m.Content[i], m.Content[i+1]
		name, line := strings.ToLower(strings.TrimSpace(k.Value)), int64(k.Line)+1
		keyLine[name] = line
		if name == "subject" {
			// The column the subject's text starts at: past the quote of a
			// quoted value.
			col := int64(v.Column)
			if v.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle) != 0 {
				col++
			}
			subjectCol = col
		}
		switch name {
		case "id", "subject", "campaign_id", "segment", "esp", "dialect":
			if v.Kind != yaml.ScalarNode {
				return t, &templateProblem{line, name, "must be a single value, not a list or a map"}
			}
			s := strings.TrimSpace(v.Value)
			if v.Tag == "!!null" {
				s = ""
			}
			switch name {
			case "esp":
				t.ESP = foundation.ESP(strings.ToLower(s))
			case "dialect":
				t.Dialect = foundation.Dialect(strings.ToLower(s))
			default:
				*known[name] = s
			}
		default:
			var val any
			if err := v.Decode(&val); err != nil {
				return t, &templateProblem{line, name, "cannot be read: " + err.Error()}
			}
			if t.Traits == nil {
				t.Traits = foundation.Traits{}
			}
			t.Traits[name] = jsonable(val)
		}
	}
	if t.ESP == "" {
		t.ESP = "generic"
	}
	if l, ok := keyLine["subject"]; ok {
		t.Traits[SubjectLineTrait], t.Traits[SubjectColTrait] = l, subjectCol
	}
	if err := t.Validate(); err != nil {
		p := &templateProblem{1, "", err.Error()}
		if fe, ok := err.(*foundation.FieldError); ok {
			p.column, p.reason = fe.Field, fe.Reason
			if l, ok := keyLine[fe.Field]; ok {
				p.line = l
			}
		}
		return t, p
	}
	return t, nil
}

// BodyLineTrait is the template trait holding the file line its body
// starts on.
const BodyLineTrait = "body_line"

// SubjectLineTrait is the template trait holding the file line of its
// subject key.
const SubjectLineTrait = "subject_line"

// SubjectColTrait is the template trait holding the column its subject's
// text starts at.
const SubjectColTrait = "subject_col"

// isFence reports whether a line is a front-matter delimiter.
func isFence(line []byte) bool {
	return string(bytes.TrimRight(line, " \t\r")) == "---"
}

var yamlLineRE = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

func yamlProblem(err error) *templateProblem {
	msg := err.Error()
	if m := yamlLineRE.FindStringSubmatch(msg); m != nil {
		n, _ := strconv.Atoi(m[1])
		return &templateProblem{int64(n) + 1, "", "the front matter is not valid YAML: " + m[2]}
	}
	return &templateProblem{1, "", "the front matter is not valid YAML: " + strings.TrimPrefix(msg, "yaml: ")}
}

// jsonable turns YAML values into values encoding/json can write (YAML
// allows maps with non-string keys).
func jsonable(v any) any {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			x[k] = jsonable(e)
		}
		return x
	case map[any]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[fmt.Sprint(k)] = jsonable(e)
		}
		return out
	case []any:
		for i, e := range x {
			x[i] = jsonable(e)
		}
		return x
	}
	return v
}
