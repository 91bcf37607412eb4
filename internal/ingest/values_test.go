package ingest

import (
	"strings"
	"testing"
	"time"
)

func TestParseTime(t *testing.T) {
	ok := map[string]string{
		"2025-03-01":                     "2025-03-01T00:00:00Z",
		"2025-03-01T10:00:00Z":           "2025-03-01T10:00:00Z",
		"2025-03-01T12:00:00+02:00":      "2025-03-01T10:00:00Z",
		"2025-03-01 10:00:00Z":           "2025-03-01T10:00:00Z",
		"2025-03-01T10:00:00.123456Z":    "2025-03-01T10:00:00.123456Z",
		"2025-03-01T12:00:00+0200":       "2025-03-01T10:00:00Z",
		"2025-03-01T10:00Z":              "2025-03-01T10:00:00Z",
		"2025-03-01T05:00:00.5-05:00":    "2025-03-01T10:00:00.5Z",
		"2024-02-29T23:59:59.999999999Z": "2024-02-29T23:59:59.999999999Z",
	}
	for in, want := range ok {
		got, err := parseTime(in)
		if err != nil || got.Format(time.RFC3339Nano) != want || got.Location() != time.UTC {
			t.Errorf("parseTime(%q) = %v, %v; want %s UTC", in, got, err, want)
		}
	}
	bad := map[string]string{
		"2025-03-01T10:00:00":  "has no time zone; add Z for UTC",
		"03/01/2025":           "write dates year-month-day, like 2025-03-01 (a date such as 03/01/2025",
		"yesterday":            "is not a date-time",
		"2025-02-30T10:00:00Z": "is not a real date (day out of range)",
		"2025-13-01":           "is not a real date (month out of range)",
		"2025-03-01T25:00:00Z": "is not a real date-time (hour out of range)",
	}
	for in, want := range bad {
		if _, err := parseTime(in); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("parseTime(%q) error = %v; want it to say %q", in, err, want)
		}
	}
}

func TestParseDate(t *testing.T) {
	if d, err := parseDate("2025-03-01"); err != nil || !d.Equal(time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("parseDate = %v, %v", d, err)
	}
	bad := map[string]string{
		"2025-03-01T10:00:00Z": "has a time; this column takes a date only",
		"1.3.2025":             "write dates year-month-day",
		"2025-02-29":           "is not a real date",
		"March 1":              "is not a date",
	}
	for in, want := range bad {
		if _, err := parseDate(in); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("parseDate(%q) error = %v; want %q", in, err, want)
		}
	}
}

func TestParseNumbers(t *testing.T) {
	floats := map[string]float64{"1234.5": 1234.5, "-0.25": -0.25, ".5": 0.5, "7": 7, "+3.": 3, "0001": 1}
	for in, want := range floats {
		if got, err := parseDecimal(in); err != nil || got != want {
			t.Errorf("parseDecimal(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	badFloats := map[string]string{
		"1,234.5": "remove the thousands separators (write 1234.5, not 1,234.5)",
		"1,234":   "remove the thousands separators",
		"12,5":    "use '.' for decimals",
		"1.234,5": "use '.' for decimals",
		"$12":     "remove the currency symbol",
		"12%":     "remove the percent sign",
		"1e3":     "write the number out in full",
		"Inf":     "is not a plain number",
		"NaN":     "is not a plain number",
		"0x10":    "is not a plain number",
		"1_000":   "is not a plain number",
		"1 000":   "remove the spaces",
		"-":       "is not a number",
		".":       "is not a number",
		"1.2.3":   "is not a plain number",
	}
	for in, want := range badFloats {
		if _, err := parseDecimal(in); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("parseDecimal(%q) error = %v; want %q", in, err, want)
		}
	}
	ints := map[string]int64{"42": 42, "-3": -3, "12.0": 12, "12.": 12, "+7": 7}
	for in, want := range ints {
		if got, err := parseInt(in, 64); err != nil || got != want {
			t.Errorf("parseInt(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	badInts := map[string]string{
		"12.5":                 "is not a whole number",
		"1,200":                "remove the thousands separators",
		"99999999999":          "is too large",
		"abc":                  "is not a plain number",
		"99999999999999999999": "is too large",
	}
	for in, want := range badInts {
		if _, err := parseInt(in, 32); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("parseInt(%q) error = %v; want %q", in, err, want)
		}
	}
}
