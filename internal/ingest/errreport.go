package ingest

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"os"
	"strconv"
	"strings"
)

// maxReportRow caps the row text written to the errors report; a refused
// 10 MB row needs its first few kilobytes to be recognised, not all of it.
const maxReportRow = 4096

// errorSink receives every row error of an import. It keeps the first
// ones in the Report for display and streams all of them to the errors
// report file, so a file with a million bad rows does not hold them in
// memory. The file is created at the first error.
type errorSink struct {
	path string // "" writes no file
	rep  *Report
	f    *os.File
	w    *csv.Writer
	err  error // first failure writing the file
}

// errorsHeader is the errors report's header row.
var errorsHeader = []string{"file", "line", "column", "reason", "row"}

func (s *errorSink) add(e RowError) {
	s.rep.ErrorCount++
	if len(s.rep.Errors) < maxListedErrors {
		s.rep.Errors = append(s.rep.Errors, e)
	}
	if s.path == "" || s.err != nil {
		return
	}
	if s.w == nil {
		if s.f, s.err = os.Create(s.path); s.err != nil {
			s.err = fmt.Errorf("creating the errors report: %w", s.err)
			return
		}
		s.w = csv.NewWriter(s.f)
		s.w.Write(errorsHeader)
		s.rep.ErrorsReport = s.path
	}
	line := ""
	if e.Line > 0 {
		line = strconv.FormatInt(e.Line, 10)
	}
	s.w.Write([]string{e.File, line, e.Column, e.Reason, e.Row})
}

// close flushes the report. With no errors it removes a report left at
// the path by an earlier import when removeStale is set (the default
// location), so the folder never shows problems that are fixed.
func (s *errorSink) close(removeStale bool) error {
	if s.w == nil {
		if removeStale && s.path != "" && s.err == nil {
			if err := os.Remove(s.path); err != nil && !os.IsNotExist(err) {
				return fmt.Errorf("removing the errors report of an earlier import: %w", err)
			}
		}
		return s.err
	}
	s.w.Flush()
	if err := s.w.Error(); err != nil && s.err == nil {
		s.err = fmt.Errorf("writing the errors report: %w", err)
	}
	if err := s.f.Close(); err != nil && s.err == nil {
		s.err = fmt.Errorf("writing the errors report: %w", err)
	}
	return s.err
}

// rowText is a row's raw bytes as report text: valid UTF-8 (bad bytes
// become U+FFFD so the report itself opens cleanly) and cut at
// maxReportRow.
func rowText(raw []byte, cut bool) string {
	if len(raw) > maxReportRow {
		raw, cut = raw[:maxReportRow], true
	}
	s := string(bytes.ToValidUTF8(raw, []byte("\uFFFD")))
	if cut {
		s = strings.TrimRight(s, "\uFFFD") + " …(cut)"
	}
	return s
}
