package templateqa

import (
	"errors"
	"strings"
	"testing"
)

func TestParseFile(t *testing.T) {
	src := "---\nid: tpl-x\nesp: braze\ndialect: liquid\nsubject: \"Hi {{ ${first_name} }}\"\ncampaign_id: c1\nsegment: s\n---\n<p>body</p>\n"
	tpl, err := ParseFile("x.liquid", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if tpl.ID != "tpl-x" || tpl.ESP != "braze" || tpl.Dialect != "liquid" || tpl.CampaignID != "c1" || tpl.Segment != "s" {
		t.Errorf("fields: %+v", tpl)
	}
	if tpl.Body != "<p>body</p>\n" || tpl.BodyLine != 9 || tpl.SubjectLine != 5 || tpl.SubjectCol != 11 {
		t.Errorf("body %q line %d, subject line %d col %d", tpl.Body, tpl.BodyLine, tpl.SubjectLine, tpl.SubjectCol)
	}
	if tpl.Subject != "Hi {{ ${first_name} }}" {
		t.Errorf("subject %q", tpl.Subject)
	}
	plain, err := ParseFile("p", []byte("---\nid: a\ndialect: handlebars\nsubject: Plain subject\n---\n"))
	if err != nil || plain.ESP != "generic" || plain.SubjectCol != 10 || plain.Body != "" {
		t.Errorf("plain: %+v %v", plain, err)
	}
}

func TestParseFileRefuses(t *testing.T) {
	for _, c := range []struct {
		name, src, want string
		line            int
	}{
		{"NoFrontMatter", "<p>hi</p>\n", "must start with front matter", 1},
		{"Unclosed", "---\nid: a\ndialect: liquid\n<p>hi</p>\n", "never closed", 1},
		{"BadYAML", "---\nid: a\ndialect: liquid\nsubject: a: b\n---\n", "not valid YAML", 4},
		{"NoID", "---\ndialect: liquid\n---\n", "id", 1},
		{"BadDialect", "---\nid: a\ndialect: mjml\n---\n", "dialect", 3},
		{"BadESP", "---\nid: a\nesp: sendgrid\ndialect: liquid\n---\n", "esp", 3},
		{"ListValue", "---\nid: a\nsubject: [a, b]\ndialect: liquid\n---\n", "single value", 3},
		{"Latin1", "---\nid: a\ndialect: liquid\n---\nCaf\xe9\n", "UTF-8", 5},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := ParseFile("f", []byte(c.src))
			var fe *FileError
			if !errors.As(err, &fe) {
				t.Fatalf("want a *FileError, got %v", err)
			}
			if !strings.Contains(fe.Reason, c.want) || fe.Line != c.line {
				t.Errorf("got line %d %q, want line %d containing %q", fe.Line, fe.Reason, c.line, c.want)
			}
		})
	}
}
