package ingest

import (
	"strings"
	"testing"
)

func TestWriteSummary(t *testing.T) {
	rep := &Report{
		Files: []FileReport{
			{Kind: KindOwners, File: "owners.csv", Read: 3, Written: 3},
			{Kind: KindPeople, File: "people.csv", Read: 10, Rejected: 2, RolledBack: true},
			{Kind: KindConsent, File: "consent.csv", Refused: "the file is empty"},
		},
		Missing:      []string{"events.ndjson"},
		Skipped:      []Skipped{{"import-errors.csv", "the errors report of an earlier import", false}, {"x.txt", "not a file Tower imports", true}},
		Warnings:     []string{"x.txt is not a file Tower imports and was skipped"},
		Errors:       []RowError{{File: "people.csv", Line: 4, Column: "email", Reason: "bad"}, {File: "consent.csv", Reason: "the file is empty"}},
		ErrorCount:   3,
		ErrorsReport: "b/import-errors.csv",
	}
	var b strings.Builder
	if err := rep.WriteSummary(&b); err != nil {
		t.Fatal(err)
	}
	want := `file              read    written   rejected  duplicates
owners.csv           3          3          0           0
people.csv          10          0          2           0  rolled back (strict): nothing written
consent.csv          0          0          0           0  refused: the file is empty
Not in the folder (nothing imported for them): events.ndjson
Skipped import-errors.csv: the errors report of an earlier import
Warning: x.txt is not a file Tower imports and was skipped
3 problem(s) found; every one is listed in b/import-errors.csv
  people.csv:4: email: bad
  consent.csv: the file is empty
  … and 1 more
`
	if b.String() != want {
		t.Errorf("summary:\n%s\nwant:\n%s", b.String(), want)
	}
	if !rep.Failed() {
		t.Error("Failed = false")
	}
	read, written, rejected, dups := rep.Totals()
	if read != 13 || written != 3 || rejected != 2 || dups != 0 {
		t.Errorf("Totals = %d %d %d %d", read, written, rejected, dups)
	}
}
