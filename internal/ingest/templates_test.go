package ingest

import (
	"strings"
	"testing"
)

func TestParseTemplate(t *testing.T) {
	in := "---\r\nid: welcome\r\nesp: Braze\r\ndialect: liquid\r\nsubject: Hi {{ first_name }}\r\nlocale: en\r\n" +
		"tags: [onboarding, day0]\r\n---\r\n<p>Hello {{ first_name | default: \"there\" }}</p>\r\n"
	tpl, p := parseTemplate("templates/welcome.liquid", []byte(in))
	if p != nil {
		t.Fatalf("problem: %+v", p)
	}
	if tpl.ID != "welcome" || tpl.ESP != "braze" || tpl.Dialect != "liquid" || tpl.Subject != "Hi {{ first_name }}" ||
		tpl.Path != "templates/welcome.liquid" || tpl.Body != "<p>Hello {{ first_name | default: \"there\" }}</p>\r\n" {
		t.Errorf("template = %+v", tpl)
	}
	if tpl.Traits[BodyLineTrait] != int64(9) || tpl.Traits[SubjectLineTrait] != int64(5) || tpl.Traits[SubjectColTrait] != int64(10) {
		t.Errorf("body starts on line 9 and the subject is on line 5; traits say %v and %v", tpl.Traits[BodyLineTrait], tpl.Traits[SubjectLineTrait])
	}
	if tpl.Traits["locale"] != "en" || len(tpl.Traits["tags"].([]any)) != 2 {
		t.Errorf("traits = %v", tpl.Traits)
	}
	noESP, p := parseTemplate("templates/x.hbs", []byte("---\nid: x\ndialect: handlebars\n---\n"))
	if p != nil || noESP.ESP != "generic" || noESP.Body != "" {
		t.Errorf("template without esp = %+v, %+v", noESP, p)
	}
}

func TestParseTemplateProblems(t *testing.T) {
	tests := []struct {
		name, in string
		line     int64
		column   string
		reason   string
	}{
		{"NoFrontMatter", "<p>hi</p>\n", 1, "", "a template file must start with front matter"},
		{"NotClosed", "---\nid: x\ndialect: liquid\n<p>hi</p>\n", 1, "", "is never closed"},
		{"MissingID", "---\ndialect: liquid\n---\nbody", 1, "id", "is empty; it is required"},
		{"BadDialect", "---\nid: x\nsubject: s\ndialect: jinja\n---\n", 4, "dialect", `"jinja" is not one of liquid, handlebars`},
		{"BadESP", "---\nid: x\nesp: sendgrid\ndialect: liquid\n---\n", 3, "esp", `"sendgrid" is not one of braze, iterable`},
		{"BadYAML", "---\nid: x\ndialect: [liquid\n---\n", 2, "", "the front matter is not valid YAML"},
		{"ListForKnownKey", "---\nid: [a, b]\ndialect: liquid\n---\n", 2, "id", "must be a single value"},
		{"NotUTF8", "---\nid: x\ndialect: liquid\n---\nCaf\xe9\n", 5, "", "not valid UTF-8 (byte 0xE9)"},
		{"Empty", "", 1, "", "must start with front matter"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, p := parseTemplate("templates/t.liquid", []byte(tc.in))
			if p == nil {
				t.Fatal("no problem reported")
			}
			if p.line != tc.line || p.column != tc.column || !strings.Contains(p.reason, tc.reason) {
				t.Errorf("problem = line %d %q %q\nwant line %d %q …%q…", p.line, p.column, p.reason, tc.line, tc.column, tc.reason)
			}
		})
	}
}
