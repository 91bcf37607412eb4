package main

import (
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// dedupeCSV is a small export: c1/c2 are one person (nickname, email case,
// phone format), c3/c4 another (new email provider); line 6 is broken.
const dedupeCSV = `contact_id,First Name,Last Name,Email,Phone,DOB,Zip
c1,William,Turner,w.turner@example.com,0412 345 678,1971-03-02,2000
c2,Bill,Turner,w.turner@EXAMPLE.com,+61 412 345 678,1971-03-02,2000
c3,Kate,Lowe,kate.lowe@mail.com,0400 111 222,1985-11-20,3000
c4,Kate,Lowe,kate.lowe@work.example,0400 111 222,1985-11-20,3000
c99,Broken,Row
c5,Anna,Turner,anna@example.com,0499 000 111,1990-07-14,2000
c6,Omar,Haddad,omar.h@example.net,0455 222 333,1964-01-30,4000
c7,Mei,Chen,mei.chen@example.org,0466 777 888,1999-12-01,5000
c8,Lucas,Silva,lucas@example.com,0477 123 987,1979-05-05,6000
c9,Priya,Nair,priya.nair@example.com,0488 654 321,1988-08-18,7000
c10,John,Smith,jsmith@example.com,0411 999 000,1955-02-28,2600
`

func writeDedupeFile(t *testing.T, name, body string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestAnalyzeDedupeTable(t *testing.T) {
	f := writeDedupeFile(t, "contacts.csv", dedupeCSV)
	out, errOut, err := cli(t, nil, "analyze", "dedupe", f)
	if err != nil {
		t.Fatalf("%v\n%s", err, errOut)
	}
	if !strings.Contains(errOut, "contacts.csv:6: the row has 3 fields but the header has 7") {
		t.Errorf("stderr should name the broken row's file, line and reason:\n%s", errOut)
	}
	if !regexp.MustCompile(`(?m)^records:\s+10$`).MatchString(out) {
		t.Errorf("summary should count 10 records (11 rows, one broken):\n%s", out)
	}
	for _, want := range []string{"clusters:", "given_name", "nickname", "c1", "c2", "c3", "c4"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	for _, line := range strings.Split(out, "\n") {
		if strings.Contains(line, "c5 ") || strings.Contains(line, " c5") {
			t.Errorf("Anna Turner (c5) is nobody's duplicate, but a line shows her:\n%s", line)
		}
	}
}

func TestAnalyzeDedupeJSONAndOut(t *testing.T) {
	f := writeDedupeFile(t, "contacts.csv", dedupeCSV)
	out := mustCLI(t, nil, "analyze", "dedupe", f, "--json")
	var rep struct {
		Pairs []struct {
			A, B        string
			Probability float64
		}
		Clusters [][]string
		Skipped  []struct{ Line int } `json:"skipped_rows"`
		Stats    struct {
			Records int `json:"records"`
		}
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	got := map[string]bool{}
	for _, p := range rep.Pairs {
		got[p.A+"="+p.B] = true
		if p.Probability < 0.9 {
			t.Errorf("pair %s=%s below the threshold: %v", p.A, p.B, p.Probability)
		}
	}
	if !got["c1=c2"] || !got["c3=c4"] || len(rep.Pairs) != 2 {
		t.Errorf("pairs %+v, want c1=c2 and c3=c4", rep.Pairs)
	}
	if rep.Stats.Records != 10 || len(rep.Skipped) != 1 || rep.Skipped[0].Line != 6 || len(rep.Clusters) != 2 {
		t.Errorf("records %d, skipped %+v, clusters %v", rep.Stats.Records, rep.Skipped, rep.Clusters)
	}

	pairs := filepath.Join(t.TempDir(), "pairs.csv")
	mustCLI(t, nil, "analyze", "dedupe", f, "--out", pairs)
	fh, err := os.Open(pairs)
	if err != nil {
		t.Fatal(err)
	}
	defer fh.Close()
	rows, err := csv.NewReader(fh).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 3 || rows[0][0] != "id_a" || rows[1][4] == "" || !strings.Contains(rows[1][5], "exact") {
		t.Errorf("pairs.csv:\n%v", rows)
	}
}

func TestAnalyzeDedupeLinkAndErrors(t *testing.T) {
	lines := strings.Split(strings.TrimSpace(dedupeCSV), "\n")
	crm := writeDedupeFile(t, "crm.csv", strings.Join([]string{lines[0], lines[1], lines[3], lines[6], lines[7]}, "\n")+"\n")
	mapx := writeDedupeFile(t, "map.csv", strings.Join([]string{lines[0], lines[2], lines[4], lines[8], lines[9], lines[10]}, "\n")+"\n")
	out := mustCLI(t, nil, "analyze", "dedupe", crm, "--link", mapx, "--json")
	var rep struct{ Pairs []struct{ A, B string } }
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	if len(rep.Pairs) != 2 || rep.Pairs[0].A+rep.Pairs[1].A != "c3c1" && rep.Pairs[0].A+rep.Pairs[1].A != "c1c3" {
		t.Errorf("link pairs %+v, want c1–c2 and c3–c4 (left first)", rep.Pairs)
	}

	_, _, err := cli(t, nil, "analyze", "dedupe", crm, "--id-col", "customer")
	if err == nil || !strings.Contains(err.Error(), "crm.csv") || !strings.Contains(err.Error(), "contact_id, First Name, Last Name") {
		t.Errorf("missing --id-col: %v; want the file and the columns that exist", err)
	}
	if _, _, err := cli(t, nil, "analyze", "dedupe", crm, "--col", "shoe_size=Zip"); err == nil || !strings.Contains(err.Error(), "shoe_size") {
		t.Errorf("unknown role: %v", err)
	}
	if _, _, err := cli(t, nil, "analyze", "dedupe", filepath.Join(t.TempDir(), "nope.csv")); err == nil || !strings.Contains(err.Error(), "nope.csv") {
		t.Errorf("missing file: %v", err)
	}
}
