package demo

import (
	"bytes"
	"encoding/csv"
	"testing"
)

func TestWritePeopleCSVIsValidAndLinksPeople(t *testing.T) {
	var buf bytes.Buffer
	if err := WritePeopleCSV(&buf, 300); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 301 || rows[0][0] != "system" {
		t.Fatalf("got %d rows with header %v", len(rows), rows[0])
	}
	emails := map[string]int{}
	for _, r := range rows[1:] {
		emails[r[2]]++
	}
	if len(emails) != 200 {
		t.Errorf("300 rows should name 200 people (every third row shares an e-mail), got %d", len(emails))
	}
}
