package anomaly

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/towerops/tower/internal/dataset"
)

// Series is a time series read from a CSV export: the rows that could be
// used, in file order, and the rows left out with their reasons.
type Series struct {
	Times   []time.Time
	Values  []float64
	Lines   []int      // the line each row came from
	Skipped []RowError // rows left out
}

// RowError is one row left out and why (the same shape every CSV
// analysis reports).
type RowError = dataset.RowError

// ReadCSV reads a CSV with a header row, taking times from timeCol and
// values from valueCol (header names, matched ignoring case and spaces).
// A row that cannot be used — wrong number of fields, broken quoting, a
// time or value that does not parse, a time earlier than the row before —
// is reported in Skipped and the rest proceeds. A missing column is an
// error naming the columns that exist.
func ReadCSV(ctx context.Context, r io.Reader, file, timeCol, valueCol string) (*Series, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	header, err := cr.Read()
	if err == io.EOF {
		return nil, fmt.Errorf("%s: the file is empty; it needs a header row naming the columns", file)
	}
	if err != nil {
		return nil, fmt.Errorf("%s: the header row could not be read: %w", file, err)
	}
	header = append([]string(nil), header...)
	if len(header) > 0 {
		header[0] = strings.TrimPrefix(header[0], "\ufeff")
	}
	ti, err := column(header, timeCol, "--time-col", file)
	if err != nil {
		return nil, err
	}
	vi, err := column(header, valueCol, "--value-col", file)
	if err != nil {
		return nil, err
	}
	s := &Series{}
	lastLine := 0
	for n := 0; ; n++ {
		if n%4096 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		rec, err := cr.Read()
		if err == io.EOF {
			return s, nil
		}
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			s.Skipped = append(s.Skipped, RowError{File: file, Line: pe.StartLine, Reason: "the row could not be read: " + pe.Err.Error()})
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", file, err)
		}
		line, _ := cr.FieldPos(0)
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue // a blank line
		}
		if len(rec) != len(header) {
			s.Skipped = append(s.Skipped, RowError{File: file, Line: line,
				Reason: fmt.Sprintf("the row has %d fields but the header has %d", len(rec), len(header))})
			continue
		}
		t, err := ParseTime(rec[ti])
		if err != nil {
			s.Skipped = append(s.Skipped, RowError{File: file, Line: line, Column: header[ti], Reason: err.Error()})
			continue
		}
		v, err := parseValue(rec[vi])
		if err != nil {
			s.Skipped = append(s.Skipped, RowError{File: file, Line: line, Column: header[vi], Reason: err.Error()})
			continue
		}
		if k := len(s.Times); k > 0 && t.Before(s.Times[k-1]) {
			s.Skipped = append(s.Skipped, RowError{File: file, Line: line, Column: header[ti],
				Reason: fmt.Sprintf("rows must be in time order: %s is earlier than %s on line %d",
					formatTime(t), formatTime(s.Times[k-1]), lastLine)})
			continue
		}
		s.Times = append(s.Times, t)
		s.Values = append(s.Values, v)
		s.Lines = append(s.Lines, line)
		lastLine = line
	}
}

func column(header []string, name, flag, file string) (int, error) {
	want := strings.ToLower(strings.TrimSpace(name))
	if want == "" {
		return 0, fmt.Errorf("%s: %s is required; the columns are: %s", flag, file, strings.Join(header, ", "))
	}
	for i, h := range header {
		if strings.ToLower(strings.TrimSpace(h)) == want {
			return i, nil
		}
	}
	return 0, fmt.Errorf("%s %q: %s has no such column; its columns are: %s", flag, name, file, strings.Join(header, ", "))
}

func parseValue(s string) (float64, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, errors.New("the value is empty")
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return 0, fmt.Errorf("%q is not a number", s)
	}
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, fmt.Errorf("%q is not a finite number", s)
	}
	return v, nil
}

// timeLayouts are the timestamp shapes exports commonly use. Times
// without a zone are taken as UTC.
var timeLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02 15:04:05Z07:00",
	"2006-01-02T15:04:05",
	"2006-01-02 15:04:05",
	"2006-01-02 15:04:05.999999999",
	"2006-01-02T15:04",
	"2006-01-02 15:04",
	"2006-01-02",
}

// ParseTime reads a timestamp: RFC 3339, "2006-01-02 15:04:05" (with or
// without seconds or fractions, T or space), a date alone, or Unix
// seconds (a plain number).
func ParseTime(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, errors.New("the time is empty")
	}
	for _, l := range timeLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t, nil
		}
	}
	if f, err := strconv.ParseFloat(s, 64); err == nil && !strings.ContainsAny(s, "eEnNiI") && f >= 0 && f < 1e11 {
		sec, frac := math.Modf(f)
		return time.Unix(int64(sec), int64(frac*1e9)).UTC(), nil
	}
	return time.Time{}, fmt.Errorf("%q is not a time (use e.g. 2025-03-01T14:00:00Z, 2025-03-01 14:00:00, 2025-03-01 or Unix seconds)", s)
}

func formatTime(t time.Time) string { return t.Format("2006-01-02 15:04:05") }
