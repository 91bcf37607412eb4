package anomaly

import (
	"context"
	"strings"
	"testing"
	"time"
)

func TestReadCSVSkipsBadRowsWithReasons(t *testing.T) {
	in := "\ufeffDay, Spend ,note\n" +
		"2025-03-01,10,a\n" +
		"2025-03-02 00:00:00,11,b\n" +
		"yesterday,12,c\n" +
		"2025-03-03T00:00:00Z,n/a,d\n" +
		"2025-03-01 12:00,13,e\n" +
		"2025-03-04,14\n" +
		"\n" +
		"1741132800,15,f\n"
	s, err := ReadCSV(context.Background(), strings.NewReader(in), "spend.csv", "day", "spend")
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Values) != 3 || s.Values[2] != 15 || s.Lines[2] != 9 {
		t.Errorf("kept %v on lines %v, want 10, 11, 15 on lines 2, 3, 9", s.Values, s.Lines)
	}
	if !s.Times[2].Equal(time.Date(2025, 3, 5, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("Unix seconds read as %v", s.Times[2])
	}
	want := []string{
		`spend.csv:4: column "Day": "yesterday" is not a time`,
		`spend.csv:5: column " Spend ": "n/a" is not a number`,
		`spend.csv:6: column "Day": rows must be in time order: 2025-03-01 12:00:00 is earlier than 2025-03-02 00:00:00 on line 3`,
		`spend.csv:7: the row has 2 fields but the header has 3`,
	}
	if len(s.Skipped) != len(want) {
		t.Fatalf("skipped %v", s.Skipped)
	}
	for i, w := range want {
		if got := s.Skipped[i].Error(); !strings.HasPrefix(got, w) {
			t.Errorf("skipped[%d] = %s\nwant prefix %s", i, got, w)
		}
	}
}

func TestReadCSVMissingColumn(t *testing.T) {
	_, err := ReadCSV(context.Background(), strings.NewReader("date,clicks\n2025-01-01,3\n"), "c.csv", "date", "cost")
	if err == nil || !strings.Contains(err.Error(), `--value-col "cost": c.csv has no such column; its columns are: date, clicks`) {
		t.Errorf("got %v", err)
	}
}

func FuzzReadCSV(f *testing.F) {
	f.Add("timestamp,value\n2025-01-01 00:00:00,1\n2025-01-01 01:00:00,2\n")
	f.Add("t,v\n\"2025-01-01,1\n2025-01-02,x\n")
	f.Add("t,v\n1700000000,1\n1699999999,2\n2025-01-01T00:00:00+02:00,3\n")
	f.Fuzz(func(t *testing.T, in string) {
		s, err := ReadCSV(context.Background(), strings.NewReader(in), "f.csv", "t", "v")
		if err != nil {
			return
		}
		lines := strings.Count(in, "\n") + 1
		if len(s.Times) != len(s.Values) || len(s.Times) != len(s.Lines) {
			t.Fatalf("times %d, values %d, lines %d", len(s.Times), len(s.Values), len(s.Lines))
		}
		for i := range s.Times {
			if i > 0 && s.Times[i].Before(s.Times[i-1]) {
				t.Fatalf("row %d goes back in time", i)
			}
			if s.Lines[i] < 2 || s.Lines[i] > lines {
				t.Fatalf("row from line %d outside the %d lines", s.Lines[i], lines)
			}
		}
		for _, e := range s.Skipped {
			if e.Line < 1 || e.Line > lines || e.Reason == "" {
				t.Fatalf("skipped row %v outside the %d lines of the input", e, lines)
			}
		}
	})
}
