package utm

import (
	"strings"
	"testing"
)

func TestLinks(t *testing.T) {
	src := "<p>Hi</p>\n" +
		`<a class="btn" HREF="https://tallyfield.io/a?x=1&amp;utm_source=braze">Read <b>more</b></a>` + "\n" +
		"<!-- <a href=\"https://hidden.example/\">no</a> -->\n" +
		"  <A href='https://tallyfield.io/b'>Ünïcode line</A>\n" +
		"<abbr href=\"x\">not a link</abbr><address>x</address>\n" +
		"é<a href=https://tallyfield.io/c title=x>unquoted</a>\n" +
		`<area shape="rect" alt="Map &amp; more" href="https://tallyfield.io/d">` + "\n" +
		`<a href="{{ unsubscribe_url }}">Unsubscribe</a>` + "\n" +
		`<a href="https://tallyfield.io/e?utm_campaign={{ c | default: "x" }}">quote inside template</a>` + "\n" +
		"<script>var s = '<a href=\"https://script.example/\">';</script>\n" +
		`<a name="top">no href</a><a href="#top">Back to top</a>`
	got := Links(src)
	want := []struct {
		url, text string
		line, col int
		templated bool
	}{
		{"https://tallyfield.io/a?x=1&utm_source=braze", "Read more", 2, 22, false},
		{"https://tallyfield.io/b", "Ünïcode line", 4, 12, false},
		{"https://tallyfield.io/c", "unquoted", 6, 10, false},
		{"https://tallyfield.io/d", "Map & more", 7, 47, false},
		{"{{ unsubscribe_url }}", "Unsubscribe", 8, 10, true},
		{`https://tallyfield.io/e?utm_campaign={{ c | default: "x" }}`, "quote inside template", 9, 10, false},
		{"#top", "Back to top", 11, 35, false},
	}
	if len(got) != len(want) {
		t.Fatalf("got %d links, want %d: %+v", len(got), len(want), got)
	}
	for i, w := range want {
		g := got[i]
		if g.URL != w.url || g.Text != w.text || g.Line != w.line || g.Col != w.col || g.Templated != w.templated {
			t.Errorf("link %d = %+v, want %+v", i, g, w)
		}
		if src[g.Start:g.End] != g.Raw {
			t.Errorf("link %d: offsets cover %q, Raw is %q", i, src[g.Start:g.End], g.Raw)
		}
	}
	if got[0].Raw != "https://tallyfield.io/a?x=1&amp;utm_source=braze" {
		t.Errorf("offsets must cover the raw text with its entity: %q", got[0].Raw)
	}
}

func TestLinksColumnCountsCharacters(t *testing.T) {
	src := "ééé<a href=\"https://x.io\">x</a>"
	l := Links(src)
	if len(l) != 1 || l[0].Col != 13 || l[0].Line != 1 {
		t.Fatalf("got %+v, want col 13 (3 two-byte letters count once each)", l)
	}
	if want := strings.Index(src, "https"); l[0].Start != want {
		t.Fatalf("Start = %d, want %d", l[0].Start, want)
	}
}

func TestLinksTolerateBrokenHTML(t *testing.T) {
	for _, src := range []string{"<a", "<a href", "<a href=", `<a href="https://x.io`, "<!-- <a href=x>", "<a href=x>text", "<script>", "<a href='{{ x"} {
		for _, l := range Links(src) {
			if l.Start < 0 || l.End > len(src) || l.Start > l.End {
				t.Errorf("Links(%q) gave offsets %d..%d", src, l.Start, l.End)
			}
		}
	}
	if l := Links(`<a href="https://x.io">one<a href="https://y.io">two</a>`); len(l) != 2 || l[0].Text != "one" {
		t.Errorf("an unclosed anchor's text ends at the next anchor: %+v", l)
	}
}

func TestTemplated(t *testing.T) {
	for u, want := range map[string]bool{
		"{{ unsubscribe_url }}":                      true,
		"{% url 'x' %}":                              true,
		"${link}":                                    true,
		"%%view_email_url%%":                         true,
		"*|ARCHIVE|*":                                true,
		"https://{{ domain }}/x":                     true,
		"https://tallyfield.io/{{ path }}?a=b":       true,
		"https://tallyfield.io/x?utm_campaign={{c}}": false,
		"https://tallyfield.io/x#{{frag}}":           false,
		"https://tallyfield.io/x":                    false,
	} {
		if got := isTemplated(u); got != want {
			t.Errorf("isTemplated(%q) = %v, want %v", u, got, want)
		}
	}
}
