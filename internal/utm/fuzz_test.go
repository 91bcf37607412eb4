package utm

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzLinks checks that any input yields links whose offsets are inside
// the source, in order, and whose position matches the offset.
func FuzzLinks(f *testing.F) {
	for _, s := range []string{
		`<a href="https://tallyfield.io/?a=1&amp;b=2">x</a>`,
		`<A HREF='x'>y</A><area href=z>`,
		`<!-- <a href="x"> --><a href="{{ u "q" }}">`,
		"<a\nhref=\n\"x\"\n>",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		prev := -1
		for _, l := range Links(src) {
			if l.Start < 0 || l.End > len(src) || l.Start > l.End || l.Start <= prev {
				t.Fatalf("bad offsets %d..%d (previous %d) in %q", l.Start, l.End, prev, src)
			}
			prev = l.Start
			if src[l.Start:l.End] != l.Raw {
				t.Fatalf("Raw %q does not match offsets", l.Raw)
			}
			line := strings.Count(src[:l.Start], "\n") + 1
			col := utf8.RuneCountInString(src[strings.LastIndexByte(src[:l.Start], '\n')+1:l.Start]) + 1
			if l.Line != line || l.Col != col {
				t.Fatalf("position %d:%d, want %d:%d", l.Line, l.Col, line, col)
			}
		}
	})
}

// FuzzTag checks that Tag never panics and that what it returns without
// an error passes Check.
func FuzzTag(f *testing.F) {
	for _, s := range []string{
		"https://tallyfield.io/pricing",
		"https://www.tallyfield.io/p?ref=nav&utm_medium=Email&utm_medium=cpc#x",
		"https://tallyfield.io/?utm_campaign={{ c }}&utm_source=x",
		"https://tallyfield.io/?UTM_SOURCE=&&a=%41",
		"htps://tallyfield.io",
		"mailto:x@y.z",
	} {
		f.Add(s)
	}
	tax := demoTaxonomy()
	f.Fuzz(func(t *testing.T, raw string) {
		Check(raw, tax, mail)
		got, err := Tag(raw, tax, mail)
		if err != nil {
			return
		}
		if ps := Check(got, tax, mail); ps != nil {
			t.Fatalf("Tag(%q) = %q fails Check: %+v", raw, got, ps)
		}
	})
}
