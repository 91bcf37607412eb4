package dataset

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"strconv"
	"strings"
)

// Open reads the CSV file at path; a name ending in .gz is decompressed.
func Open(ctx context.Context, path string) (*Table, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("opening %s: %w", path, err)
	}
	defer f.Close()
	var r io.Reader = f
	if strings.HasSuffix(strings.ToLower(path), ".gz") {
		z, err := gzip.NewReader(f)
		if err != nil {
			return nil, fmt.Errorf("%s: not a readable .gz file: %w", path, err)
		}
		defer z.Close()
		r = z
	}
	return Read(ctx, r, path)
}

// Read reads a CSV with a header row. The delimiter is whichever of comma,
// semicolon or tab splits the header into the most fields. A row with the
// wrong number of fields or broken quoting is reported in Skipped and the
// rest proceeds; a file with no rows is an error.
func Read(ctx context.Context, r io.Reader, file string) (*Table, error) {
	br := bufio.NewReaderSize(r, 1<<16)
	head, err := br.Peek(64 << 10)
	if len(head) == 0 {
		if err != nil && !errors.Is(err, io.EOF) {
			return nil, fmt.Errorf("%s: %w", file, err)
		}
		return nil, fmt.Errorf("%s: the file is empty; it needs a header row naming the columns", file)
	}
	if bytes.HasPrefix(head, []byte("\ufeff")) {
		_, _ = br.Discard(3)
		head = head[3:]
	}
	cr := csv.NewReader(br)
	cr.Comma = sniff(head)
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	header, err := cr.Read()
	if err != nil {
		return nil, fmt.Errorf("%s: the header row could not be read: %w", file, err)
	}
	t := &Table{File: file}
	seen := map[string]bool{}
	for i, h := range header {
		h = strings.TrimSpace(h)
		if h == "" {
			h = fmt.Sprintf("column %d", i+1)
		}
		if seen[fold(h)] {
			return nil, fmt.Errorf("%s:1: column %q appears twice in the header", file, h)
		}
		seen[fold(h)] = true
		t.Columns = append(t.Columns, &Column{Name: h})
	}
	for n := 0; ; n++ {
		if n%4096 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				t.Skipped = append(t.Skipped, RowError{File: file, Line: pe.StartLine, Reason: pe.Err.Error()})
				continue
			}
			return nil, fmt.Errorf("%s: %w", file, err)
		}
		line, _ := cr.FieldPos(0)
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue
		}
		if len(rec) != len(t.Columns) {
			t.Skipped = append(t.Skipped, RowError{File: file, Line: line,
				Reason: fmt.Sprintf("%d fields where the header has %d", len(rec), len(t.Columns))})
			continue
		}
		for i, v := range rec {
			t.Columns[i].Values = append(t.Columns[i].Values, strings.TrimSpace(v))
		}
		t.Lines = append(t.Lines, line)
	}
	if t.Len() == 0 {
		return nil, fmt.Errorf("%s: no usable rows under the header", file)
	}
	for _, c := range t.Columns {
		c.typeColumn()
	}
	return t, nil
}

// sniff picks the delimiter that splits the first line into the most
// fields.
func sniff(head []byte) rune {
	line, _, _ := bytes.Cut(head, []byte("\n"))
	best, most := ',', 0
	for _, d := range []rune{',', ';', '\t', '|'} {
		if n := bytes.Count(line, []byte(string(d))); n > most {
			best, most = d, n
		}
	}
	return best
}

// missing lists cell texts that mean "no value" in common exports.
var missing = map[string]bool{"": true, "na": true, "n/a": true, "null": true, "nan": true, "?": true, "none": true}

// typeColumn makes the column numeric when every present value parses as
// a number and at least one does.
func (c *Column) typeColumn() {
	nums := make([]float64, len(c.Values))
	present := 0
	for i, v := range c.Values {
		if missing[strings.ToLower(v)] {
			nums[i] = math.NaN()
			continue
		}
		f, ok := parseNumber(v)
		if !ok {
			return
		}
		nums[i] = f
		present++
	}
	if present > 0 {
		c.Numeric, c.Nums = true, nums
	}
}

// parseNumber reads a plain decimal number (no thousands separators, so
// "1,234" stays text rather than becoming a wrong number).
func parseNumber(s string) (float64, bool) {
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
		return 0, false
	}
	return f, true
}
