package linkage

import (
	"context"
	"errors"
	"strings"
	"testing"
)

func TestReadCSV(t *testing.T) {
	in := "Contact ID,First Name,Last Name,E-mail,Zip,Notes\n" +
		"c1,Ann,Lee,ann@example.com,2000,\n" +
		"c2,Bob,\"Stone\"\n" + // too few fields
		"c3,Cy,Ho,cy@example.com,3000,\"vip\"\n" +
		"c1,Dup,Row,dup@example.com,4000,\n" +
		",No,Id,x@example.com,5000,\n"
	tab, err := ReadCSV(context.Background(), strings.NewReader(in), "contacts.csv", CSVOptions{IDColumn: "Contact ID"})
	if err != nil {
		t.Fatal(err)
	}
	if len(tab.Records) != 2 || tab.Records[0].ID != "c1" || tab.Records[1].ID != "c3" {
		t.Fatalf("records %+v, want c1 and c3", tab.Records)
	}
	if tab.Records[1].Fields[GivenName] != "Cy" || tab.Records[1].Fields[Postcode] != "3000" || tab.Records[1].Fields[Email] != "cy@example.com" {
		t.Errorf("fields by header name: %+v", tab.Records[1].Fields)
	}
	wantLines := []int{3, 5, 6}
	if len(tab.Skipped) != len(wantLines) {
		t.Fatalf("skipped %v, want lines %v", tab.Skipped, wantLines)
	}
	for i, s := range tab.Skipped {
		if s.Line != wantLines[i] || s.File != "contacts.csv" {
			t.Errorf("skipped[%d] = %v, want line %d", i, s, wantLines[i])
		}
	}
	if !strings.Contains(tab.Skipped[0].Reason, "3 fields but the header has 6") {
		t.Errorf("reason %q", tab.Skipped[0].Reason)
	}
	if !strings.Contains(tab.Skipped[1].Reason, "already used on line 2") {
		t.Errorf("reason %q", tab.Skipped[1].Reason)
	}
}

func TestReadCSVColumns(t *testing.T) {
	in := "id,Vorname,surname,ssn\n1,Jo,Ray,123\n2,Al,Ng,456\n"
	_, err := ReadCSV(context.Background(), strings.NewReader(in), "a.csv", CSVOptions{IDColumn: "contact"})
	if !errors.Is(err, ErrMissingColumn) || !strings.Contains(err.Error(), "id, Vorname, surname, ssn") {
		t.Errorf("missing id column: %v; want ErrMissingColumn listing the columns", err)
	}
	tab, err := ReadCSV(context.Background(), strings.NewReader(in), "a.csv",
		CSVOptions{Columns: map[Role]string{GivenName: "Vorname", ExternalID: "ssn"}})
	if err != nil {
		t.Fatal(err)
	}
	if tab.IDColumn != "id" || tab.Records[0].ID != "1" || tab.Records[0].Fields[GivenName] != "Jo" || tab.Records[0].Fields[ExternalID] != "123" {
		t.Errorf("got %+v", tab)
	}
	plain, err := ReadCSV(context.Background(), strings.NewReader(in), "a.csv", CSVOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := plain.Columns[ExternalID]; ok {
		t.Error("an id-like column must be compared only when mapped")
	}
	if _, err := ReadCSV(context.Background(), strings.NewReader("foo,bar\n1,2\n"), "b.csv", CSVOptions{}); !errors.Is(err, ErrNoFields) {
		t.Errorf("no recognised column: %v", err)
	}
	if _, err := ReadCSV(context.Background(), strings.NewReader(""), "c.csv", CSVOptions{}); err == nil || !strings.Contains(err.Error(), "c.csv: the file is empty") {
		t.Errorf("empty file: %v", err)
	}
	noID, err := ReadCSV(context.Background(), strings.NewReader("email\na@b.c\n\nd@e.f\n"), "d.csv", CSVOptions{})
	if err != nil || len(noID.Records) != 2 || noID.Records[1].ID != "line 4" {
		t.Errorf("ids from line numbers: %+v %v", noID, err)
	}
}

// FuzzReadCSV: whatever the bytes, the reader returns or refuses without
// panicking, every record has an id, ids are unique, and each skipped row
// names a line inside the input.
func FuzzReadCSV(f *testing.F) {
	f.Add("id,first_name,email\n1,Ann,a@b.c\n2,Bo\n")
	f.Add("rec_id, given_name, surname\nrec-1, ann, lee\n\"rec-2, \"bob\", x\n")
	f.Add("\ufeffEmail;Phone\nx@y.z;123\n")
	f.Add("id,email\n1,\"a\"b\"\n1,c@d.e\n,\n")
	f.Fuzz(func(t *testing.T, in string) {
		tab, err := ReadCSV(context.Background(), strings.NewReader(in), "f.csv", CSVOptions{})
		if err != nil {
			return
		}
		lines := strings.Count(in, "\n") + 1
		seen := map[string]bool{}
		for _, r := range tab.Records {
			if r.ID == "" || seen[r.ID] {
				t.Fatalf("record id %q empty or repeated", r.ID)
			}
			seen[r.ID] = true
		}
		for _, s := range tab.Skipped {
			if s.Line < 1 || s.Line > lines || s.Reason == "" {
				t.Fatalf("skipped row %v outside the %d lines of the input", s, lines)
			}
		}
	})
}
