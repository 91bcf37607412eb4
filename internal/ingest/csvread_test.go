package ingest

import (
	"io"
	"reflect"
	"strings"
	"testing"
	"testing/iotest"
)

// readAll reads every record of input with the CSV reader and describes
// each as line, fields and problem.
type readRecord struct {
	line    int64
	fields  []string
	problem string // "field N: reason" prefix match; "" when none
}

func readAll(t *testing.T, r io.Reader, maxField, bufSize int) []readRecord {
	t.Helper()
	cr := newCSVReader(r, bufSize)
	if maxField > 0 {
		cr.maxField = maxField
	}
	var out []readRecord
	for {
		err := cr.read()
		if err == io.EOF {
			return out
		}
		if err != nil {
			t.Fatalf("read: %v", err)
		}
		rec := readRecord{line: cr.recLine, fields: append([]string(nil), cr.fields...)}
		if p, bad := cr.problemOf(); bad {
			rec.problem = p.reason
			rec.fields = nil
		}
		out = append(out, rec)
	}
}

func TestCSVReaderRecords(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []readRecord
	}{
		{"LF", "a,b\n1,2\n", []readRecord{{1, []string{"a", "b"}, ""}, {2, []string{"1", "2"}, ""}}},
		{"CRLF", "a,b\r\n1,2\r\n", []readRecord{{1, []string{"a", "b"}, ""}, {2, []string{"1", "2"}, ""}}},
		{"NoFinalNewline", "a,b\n1,2", []readRecord{{1, []string{"a", "b"}, ""}, {2, []string{"1", "2"}, ""}}},
		{"EmptyFields", "a,,\n,,\n", []readRecord{{1, []string{"a", "", ""}, ""}, {2, []string{"", "", ""}, ""}}},
		{"Quoted", `"a ""x""","b,c"` + "\n", []readRecord{{1, []string{`a "x"`, "b,c"}, ""}}},
		{"QuotedEmpty", `"",x` + "\n", []readRecord{{1, []string{"", "x"}, ""}}},
		{"MultiLineQuotedKeepsPhysicalLines",
			"h1,h2\n\"one\ntwo\r\nthree\",x\nnext,y\n",
			[]readRecord{{1, []string{"h1", "h2"}, ""}, {2, []string{"one\ntwo\nthree", "x"}, ""}, {5, []string{"next", "y"}, ""}}},
		{"BlankLinesSkippedLinesCounted", "a\n\n\r\n   \nb\n", []readRecord{{1, []string{"a"}, ""}, {5, []string{"b"}, ""}}},
		{"QuotedCRLFEnd", "\"a\"\r\n\"b\"\r\n", []readRecord{{1, []string{"a"}, ""}, {2, []string{"b"}, ""}}},
		{"BareQuote", "a,5\" screen,c\nok,1,2\n", []readRecord{
			{1, nil, `has a quote (") inside a value`}, {2, []string{"ok", "1", "2"}, ""}}},
		{"TextAfterClosingQuote", "\"a\"b,c\nok\n", []readRecord{
			{1, nil, "has text after the closing quote"}, {2, []string{"ok"}, ""}}},
		{"UnclosedQuote", "a\n\"never closed,x\ny\n", []readRecord{
			{1, []string{"a"}, ""}, {2, nil, "a quoted value starts on line 2 but its closing quote is missing"}}},
		{"NotUTF8", "name,city\nJos\xe9,Paris\n", []readRecord{
			{1, []string{"name", "city"}, ""}, {2, nil, "not valid UTF-8 (byte 0xE9 at character 4 of the value)"}}},
		{"WhitespaceKept", " a , b \n", []readRecord{{1, []string{" a ", " b "}, ""}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := readAll(t, strings.NewReader(tc.in), 0, 0)
			if len(got) != len(tc.want) {
				t.Fatalf("got %d records %+v, want %d %+v", len(got), got, len(tc.want), tc.want)
			}
			for i := range got {
				g, w := got[i], tc.want[i]
				if g.line != w.line || !reflect.DeepEqual(g.fields, w.fields) || !strings.HasPrefix(g.problem, w.problem) ||
					(w.problem == "") != (g.problem == "") {
					t.Errorf("record %d = %+v, want %+v", i, g, w)
				}
			}
		})
	}
}

// TestCSVReaderTinyReads feeds the reader one byte at a time, so every
// state transition happens across chunk boundaries too.
func TestCSVReaderTinyReads(t *testing.T) {
	in := "a,b\r\n\"x\r\ny\",\"q\"\"\"\r\n\n3,4"
	want := readAll(t, strings.NewReader(in), 0, 0)
	got := readAll(t, iotest.OneByteReader(strings.NewReader(in)), 0, 16)
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("one byte at a time: %+v\nwhole: %+v", got, want)
	}
	if len(want) != 3 || want[1].fields[0] != "x\ny" || want[1].fields[1] != `q"` || want[2].line != 5 {
		t.Fatalf("records = %+v", want)
	}
}

func TestCSVReaderFieldLimit(t *testing.T) {
	big := strings.Repeat("x", 5000)
	in := "id,notes\n1," + big + "\n2,\"" + big + "\"\n3,small\n"
	got := readAll(t, strings.NewReader(in), 1000, 0)
	if len(got) != 4 {
		t.Fatalf("records = %d, want 4", len(got))
	}
	for _, i := range []int{1, 2} {
		if !strings.Contains(got[i].problem, "value is 5000 bytes; the limit is 1000 bytes per value") {
			t.Errorf("line %d problem = %q", got[i].line, got[i].problem)
		}
	}
	if got[3].line != 4 || got[3].fields[1] != "small" {
		t.Errorf("row after the big ones = %+v", got[3])
	}
}

func TestCSVReaderTenMegabyteField(t *testing.T) {
	in := "id,notes\n1,\"" + strings.Repeat("y", 10<<20) + "\"\n2,ok\n"
	cr := newCSVReader(strings.NewReader(in), 0)
	var problems []string
	var lines []int64
	for cr.read() == nil {
		lines = append(lines, cr.recLine)
		if p, bad := cr.problemOf(); bad {
			problems = append(problems, p.reason)
		}
	}
	if len(lines) != 3 || lines[2] != 3 {
		t.Fatalf("lines = %v", lines)
	}
	if len(problems) != 1 || problems[0] != "value is 10 MiB; the limit is 1 MiB per value" {
		t.Fatalf("problems = %q", problems)
	}
	if cap(cr.buf) > 2<<20 {
		t.Errorf("reader kept %d bytes for a refused value; the cap is 1 MiB", cap(cr.buf))
	}
	if len(cr.raw) > maxRawBytes {
		t.Errorf("raw row kept %d bytes", len(cr.raw))
	}
}
