package csvdir

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// RowProblem is one bad row: where it is and what is wrong, in words a
// person fixing the file can act on.
type RowProblem struct {
	File   string
	Line   int
	Column string // "" when the row as a whole is wrong
	Reason string
}

func (p RowProblem) String() string {
	if p.Column == "" {
		return fmt.Sprintf("%s:%d: %s", p.File, p.Line, p.Reason)
	}
	return fmt.Sprintf("%s:%d: %s: %s", p.File, p.Line, p.Column, p.Reason)
}

// maxProblems stops reading a file that is wrong throughout (the wrong
// file under the right name): past this many bad rows, more add nothing.
const maxProblems = 1000

// table is a CSV file read whole: its header as written, each column's
// normalised name, and the rows with the line each starts on.
type table struct {
	file   string // the file's name, for messages
	header []string
	index  map[string]int
	rows   []tableRow
}

type tableRow struct {
	line   int
	fields []string
}

// normColumn matches header names as the importer does: case, spaces
// around, and spaces or dashes for underscores do not matter.
func normColumn(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	return strings.Map(func(r rune) rune {
		if r == ' ' || r == '-' {
			return '_'
		}
		return r
	}, s)
}

// col returns the row's value in column name ("" when the file has no
// such column).
func (t *table) col(r tableRow, name string) string {
	i, ok := t.index[name]
	if !ok || i >= len(r.fields) {
		return ""
	}
	return strings.TrimSpace(r.fields[i])
}

func (t *table) has(name string) bool { _, ok := t.index[name]; return ok }

// readTable reads path. A missing file is os.ErrNotExist (wrapped); a
// file that cannot be read as CSV at all, or whose header is unusable, is
// an error naming it; bad rows are problems, and reading goes on.
func readTable(path string) (*table, []RowProblem, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	name := filepath.Base(path)
	br := bufio.NewReader(f)
	if b, _ := br.Peek(3); bytes.Equal(b, []byte{0xEF, 0xBB, 0xBF}) {
		br.Discard(3)
	}
	cr := csv.NewReader(br)
	cr.FieldsPerRecord = -1
	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return nil, nil, fmt.Errorf("%s: the file is empty; it needs a header row naming its columns", name)
	}
	if err != nil {
		return nil, nil, fmt.Errorf("%s: line 1: the header row cannot be read: %w", name, err)
	}
	if len(header) == 1 && (strings.Contains(header[0], ";") || strings.Contains(header[0], "\t")) {
		return nil, nil, fmt.Errorf("%s: line 1: the columns are separated by ; or tabs; save the file as CSV with commas", name)
	}
	t := &table{file: name, header: header, index: make(map[string]int, len(header))}
	for i, h := range header {
		n := normColumn(h)
		if n == "" {
			continue
		}
		if j, dup := t.index[n]; dup {
			return nil, nil, fmt.Errorf("%s: line 1: the column %s appears twice (columns %d and %d)", name, n, j+1, i+1)
		}
		t.index[n] = i
	}
	var problems []RowProblem
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if !errors.As(err, &pe) {
				return t, problems, fmt.Errorf("%s: %w", name, err)
			}
			problems = append(problems, RowProblem{File: name, Line: pe.StartLine, Reason: pe.Err.Error()})
			if len(problems) >= maxProblems {
				return t, problems, fmt.Errorf("%s: more than %d bad rows; stopped reading (is it the right file?)", name, maxProblems)
			}
			continue
		}
		line, _ := cr.FieldPos(0)
		if blank(rec) {
			continue
		}
		if len(rec) != len(header) {
			problems = append(problems, RowProblem{File: name, Line: line,
				Reason: fmt.Sprintf("the row has %d values but the header has %d columns", len(rec), len(header))})
			continue
		}
		t.rows = append(t.rows, tableRow{line: line, fields: rec})
	}
	return t, problems, nil
}

func blank(rec []string) bool {
	for _, v := range rec {
		if strings.TrimSpace(v) != "" {
			return false
		}
	}
	return true
}

// rewrite writes t over its file atomically: a temporary file in the same
// folder, synced, then renamed over the old one.
func rewrite(path string, t *table) error {
	old, err := os.Stat(path)
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return err
	}
	done := false
	defer func() {
		if !done {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	w := csv.NewWriter(bufio.NewWriter(tmp))
	w.Write(t.header)
	for _, r := range t.rows {
		w.Write(r.fields)
	}
	w.Flush()
	if err := w.Error(); err != nil {
		return err
	}
	if err := tmp.Chmod(old.Mode().Perm()); err != nil {
		return err
	}
	if err := tmp.Sync(); err != nil {
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return err
	}
	done = true
	return nil
}

// appendRows adds rows to path, creating it with header when it does not
// exist. The rows are written with one call, after a line end if the file
// lacks a final one.
func appendRows(path string, header []string, rows [][]string) error {
	if len(rows) == 0 {
		return nil
	}
	var buf bytes.Buffer
	st, err := os.Stat(path)
	switch {
	case errors.Is(err, os.ErrNotExist) || (err == nil && st.Size() == 0):
		w := csv.NewWriter(&buf)
		w.Write(header)
		w.Flush()
	case err != nil:
		return err
	default:
		last, err := lastByte(path, st.Size())
		if err != nil {
			return err
		}
		if last != '\n' {
			buf.WriteByte('\n')
		}
	}
	w := csv.NewWriter(&buf)
	w.WriteAll(rows)
	if err := w.Error(); err != nil {
		return err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		return err
	}
	if _, err := f.Write(buf.Bytes()); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func lastByte(path string, size int64) (byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	b := make([]byte, 1)
	if _, err := f.ReadAt(b, size-1); err != nil {
		return 0, err
	}
	return b[0], nil
}
