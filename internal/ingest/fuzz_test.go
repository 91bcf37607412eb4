package ingest

import (
	"bytes"
	"encoding/csv"
	"io"
	"reflect"
	"strings"
	"testing"
	"testing/iotest"
)

// fuzzKinds are the CSV kinds FuzzParseRow chooses from.
var fuzzKinds = []Kind{
	KindOwners, KindAccounts, KindProducts, KindPeople, KindConsent, KindHoldings,
	KindCampaigns, KindCampaignDays, KindLicenses, KindLicenseUsage,
}

// fuzzHeader is every column of the kind plus one Tower does not know.
func fuzzHeader(k Kind) string {
	names := csvKinds[k].columnNames()
	return strings.Join(append(names, "extra"), ",") + "\n"
}

// FuzzParseRow feeds arbitrary bytes as the rows of a CSV file of each
// kind, under a full header, and checks the parsing path from CSV to
// foundation values: it never panics, every problem names a line that
// exists and a column, and reading the file one byte at a time gives the
// same result as reading it in large chunks.
func FuzzParseRow(f *testing.F) {
	f.Add(uint8(3), []byte("crm,003-1,Ana@X.test,Ana,Lima,CTO,+1 555,A-1,PT,EMEA,2025-03-01T10:00:00Z,2025-03-01,87\n"))
	f.Add(uint8(4), []byte("esp,,a@x.test,email,unsubscribed,,2025-03-01T10:00:00+02:00\r\n,,,fax,maybe,,yesterday\r\n"))
	f.Add(uint8(7), []byte("C-1,2025-03-01,A,\"1,000\",1e3,-1,NaN,0x10,12.5,$5,1,2,3\n"))
	f.Add(uint8(1), []byte("A-1,\"Acme \"\"Intl\"\"\nLtd\",acme.test,,12.0,,,,\"unclosed\n"))
	f.Add(uint8(0), []byte("O-1,Ana,ana@x.test,sales,EMEA,40\nO-1,Ana,ana@x.test\n\n\xff\xfe,\"x\"y\n"))
	f.Fuzz(func(t *testing.T, k uint8, rows []byte) {
		kind := fuzzKinds[int(k)%len(fuzzKinds)]
		input := fuzzHeader(kind) + string(rows)
		lines := int64(strings.Count(input, "\n")) + 1

		run := func(slow bool) (int64, []RowError) {
			var r io.Reader = strings.NewReader(input)
			bufSize := 0
			if slow { // a 16-byte buffer fed a byte at a time splits rows everywhere
				r, bufSize = iotest.OneByteReader(r), 16
			}
			var errs []RowError
			good, err := csvKinds[kind].check(r, "f.csv", bufSize, func(e RowError) { errs = append(errs, e) })
			if err != nil {
				t.Fatalf("check: %v", err)
			}
			return good, errs
		}
		good, errs := run(false)
		for _, e := range errs {
			if e.Column == "" || e.Reason == "" || e.File != "f.csv" {
				t.Fatalf("error without a column or reason: %+v", e)
			}
			if e.Line < 2 || e.Line > lines {
				t.Fatalf("error on line %d of a %d-line file: %+v", e.Line, lines, e)
			}
		}
		slowGood, slowErrs := run(true)
		if slowGood != good || len(slowErrs) != len(errs) {
			t.Fatalf("one byte at a time: %d good, %d errors; at once: %d good, %d errors", slowGood, len(slowErrs), good, len(errs))
		}
		for i := range errs {
			if errs[i] != slowErrs[i] {
				t.Fatalf("error %d differs:\n%+v\n%+v", i, errs[i], slowErrs[i])
			}
		}
	})
}

// FuzzCSVReader checks the reader against encoding/csv: on any input the
// standard library reads without error, both give the same records, and
// ours says each starts on the line encoding/csv does. (Ours also skips
// whitespace-only lines, which encoding/csv reads as a record; inputs
// with those are compared after dropping them.)
func FuzzCSVReader(f *testing.F) {
	f.Add([]byte("a,b\r\n\"x\r\ny\",\"q\"\"\"\r\n\n3,4"))
	f.Add([]byte("\"\"\n,\n\"a,\"\"b\"\"\",c\n"))
	f.Add([]byte("a\rb,c\r\n"))
	f.Fuzz(func(t *testing.T, in []byte) {
		std := csv.NewReader(bytes.NewReader(in))
		std.FieldsPerRecord = -1
		var want [][]string
		var wantLines []int
		for {
			rec, err := std.Read()
			if err == io.EOF {
				break
			}
			if err != nil {
				return // not RFC 4180 as encoding/csv reads it: only FuzzParseRow's checks apply
			}
			line, _ := std.FieldPos(0)
			if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" && !bytes.Contains(in, []byte(`"`)) {
				continue
			}
			want, wantLines = append(want, rec), append(wantLines, line)
		}
		cr := newCSVReader(bytes.NewReader(in), 16)
		var got [][]string
		var gotLines []int
		for {
			err := cr.read()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatal(err)
			}
			if p, bad := cr.problemOf(); bad {
				if strings.Contains(p.reason, "UTF-8") {
					return // encoding/csv does not check encoding
				}
				t.Fatalf("line %d: %s; encoding/csv read the input fine", cr.recLine, p.reason)
			}
			got, gotLines = append(got, append([]string(nil), cr.fields...)), append(gotLines, int(cr.recLine))
		}
		if bytes.Contains(in, []byte(`"`)) && len(got) != len(want) {
			return // whitespace-only quoted lines: skipped by one reader only; compared by FuzzParseRow instead
		}
		if !reflect.DeepEqual(got, want) || !reflect.DeepEqual(gotLines, wantLines) {
			t.Fatalf("records differ:\nours %q at %v\nstd  %q at %v", got, gotLines, want, wantLines)
		}
	})
}
