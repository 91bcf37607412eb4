package main

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// spendCSV is 400 hours of ad spend around 100 with a daily wave, a spike
// of 900 at hour 300 (line 305), and three broken rows.
func spendCSV() string {
	var b strings.Builder
	b.WriteString("hour,spend,campaign\n")
	t0 := time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)
	for i := range 400 {
		v := 100 + 10*math.Sin(float64(i)*2*math.Pi/24) + float64((i*37)%11) - 5
		if i == 300 {
			v = 900
		}
		fmt.Fprintf(&b, "%s,%.2f,spring\n", t0.Add(time.Duration(i)*time.Hour).Format("2006-01-02 15:04:05"), v)
		switch i {
		case 50:
			b.WriteString("2025-03-03 02:30:00,twelve,spring\n")
		case 60:
			b.WriteString("2025-03-01 00:00:00,100,spring\n")
		case 70:
			b.WriteString("not a time,100,spring\n")
		}
	}
	return b.String()
}

func TestAnalyzeAnomaliesTable(t *testing.T) {
	f := writeDedupeFile(t, "spend.csv", spendCSV())
	out, errOut, err := cli(t, nil, "analyze", "anomalies", f, "--time-col", "hour", "--value-col", "spend")
	if err != nil {
		t.Fatalf("%v\n%s", err, errOut)
	}
	for _, want := range []string{
		`spend.csv:53: column "spend": "twelve" is not a number`,
		`spend.csv:64: column "hour": rows must be in time order: 2025-03-01 00:00:00 is earlier than 2025-03-03 12:00:00 on line 63`,
		`spend.csv:75: column "hour": "not a time" is not a time`,
	} {
		if !strings.Contains(errOut, want) {
			t.Errorf("stderr lacks %q:\n%s", want, errOut)
		}
	}
	for _, want := range []string{"rows scored:", "400", "rows skipped:", "3", "2025-03-13 12:00:00", "900"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

func TestAnalyzeAnomaliesJSONAndOut(t *testing.T) {
	f := writeDedupeFile(t, "spend.csv", spendCSV())
	out := mustCLI(t, nil, "analyze", "anomalies", f, "--time-col", "Hour", "--value-col", "SPEND", "--json")
	var rep struct {
		Scored  int `json:"rows_scored"`
		Flagged int `json:"rows_flagged"`
		Skipped []struct {
			Line   int
			Column string
			Reason string
		} `json:"skipped_rows"`
		Rows []struct {
			Line  int
			Time  time.Time
			Value float64
			Score float64
			Flag  bool
		}
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if rep.Scored != 400 || len(rep.Rows) != 400 || len(rep.Skipped) != 3 {
		t.Fatalf("scored %d, rows %d, skipped %d; want 400, 400, 3", rep.Scored, len(rep.Rows), len(rep.Skipped))
	}
	spike := rep.Rows[300]
	if spike.Value != 900 || !spike.Flag || spike.Score < 0.9999 || spike.Line != 305 {
		t.Errorf("the spike is not flagged: %+v", spike)
	}
	for i, r := range rep.Rows {
		if r.Score < 0 || r.Score > 1 {
			t.Errorf("row %d: score %v", i, r.Score)
		}
	}

	dest := filepath.Join(t.TempDir(), "scored.csv")
	out = mustCLI(t, nil, "analyze", "anomalies", f, "--time-col", "hour", "--value-col", "spend", "--out", dest)
	if !strings.Contains(out, "wrote 400 rows to "+dest) {
		t.Errorf("summary should say where the rows went:\n%s", out)
	}
	fh, err := os.Open(dest)
	if err != nil {
		t.Fatal(err)
	}
	defer fh.Close()
	recs, err := csv.NewReader(fh).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 401 || strings.Join(recs[0], ",") != "line,time,value,score,flag" {
		t.Fatalf("want a header and 400 rows, got %d rows, header %v", len(recs), recs[0])
	}
	if r := recs[301]; r[1] != "2025-03-13T12:00:00Z" || r[2] != "900" || r[4] != "true" {
		t.Errorf("spike row in the CSV: %v", r)
	}
}

func TestAnalyzeAnomaliesRefusesPlainly(t *testing.T) {
	f := writeDedupeFile(t, "spend.csv", spendCSV())
	_, _, err := cli(t, nil, "analyze", "anomalies", f, "--time-col", "hour", "--value-col", "cost")
	if err == nil || !strings.Contains(err.Error(), `--value-col "cost": `+f+` has no such column; its columns are: hour, spend, campaign`) {
		t.Errorf("got %v", err)
	}
	_, _, err = cli(t, nil, "analyze", "anomalies", f)
	if err == nil || !strings.Contains(err.Error(), "--time-col NAME --value-col NAME") {
		t.Errorf("got %v", err)
	}
	_, _, err = cli(t, nil, "analyze", "anomalies", filepath.Join(t.TempDir(), "nope.csv"), "--time-col", "a", "--value-col", "b")
	if err == nil || !strings.Contains(err.Error(), "nope.csv") {
		t.Errorf("got %v", err)
	}
}
