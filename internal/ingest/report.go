package ingest

import (
	"fmt"
	"io"
	"strings"
	"time"
)

// RowError is one problem with one row of one file. A row with several
// problems has several RowErrors; it counts once in FileReport.Rejected.
type RowError struct {
	// File is the file as the person knows it, relative to the bundle:
	// "people.csv", "templates/welcome.liquid".
	File string `json:"file"`
	// Line is the physical line in the file, counting from 1, where the
	// row starts (a quoted value may continue on later lines). 0 when the
	// problem is the whole file and no line is to blame.
	Line int64 `json:"line"`
	// Column names the column (CSV), the message key (events) or the
	// front-matter key (templates) at fault; "" when no column is.
	Column string `json:"column"`
	// Reason says what is wrong and, where Tower can tell, how to fix it.
	Reason string `json:"reason"`
	// Row is the row as it appears in the file, cut short when very long.
	Row string `json:"row"`
}

func (e RowError) String() string {
	loc := e.File
	if e.Line > 0 {
		loc = fmt.Sprintf("%s:%d", e.File, e.Line)
	}
	if e.Column != "" {
		return fmt.Sprintf("%s: %s: %s", loc, e.Column, e.Reason)
	}
	return loc + ": " + e.Reason
}

// FileReport is what importing one file did.
type FileReport struct {
	Kind Kind   `json:"kind"`
	File string `json:"file"` // relative to the bundle, as in RowError.File
	// Read counts data rows (CSV rows, event lines, template files); blank
	// lines are not rows.
	Read int64 `json:"read"`
	// Written counts rows the database now holds as the file says
	// (inserted, updated, or unchanged by a re-import).
	Written int64 `json:"written"`
	// Rejected counts rows not written because something is wrong with
	// them; each has at least one RowError.
	Rejected int64 `json:"rejected"`
	// Duplicates counts events skipped because their message id was
	// already stored or appeared earlier in the file (that is how Segment
	// de-duplicates retries). Duplicates are not errors.
	Duplicates int64 `json:"duplicates"`
	// Refused, when not empty, says why the whole file was refused
	// (missing required column, empty file, wrong delimiter, …).
	Refused string `json:"refused,omitempty"`
	// RolledBack is true when strict mode undid the file because of
	// rejected rows; Written is then 0.
	RolledBack bool          `json:"rolled_back"`
	Duration   time.Duration `json:"duration_ns"`
}

// Failed reports whether anything in the file went wrong.
func (f *FileReport) Failed() bool { return f.Refused != "" || f.Rejected > 0 }

// Skipped is an entry of a bundle folder that was not imported.
type Skipped struct {
	Name   string `json:"name"`
	Reason string `json:"reason"`
	// Warning is set when the skip is also in Report.Warnings (a file
	// Tower does not know, which may be a misnamed export).
	Warning bool `json:"warning"`
}

// Report is what an import did, file by file.
type Report struct {
	Dir     string       `json:"dir,omitempty"` // the bundle folder; "" for ImportFile
	Strict  bool         `json:"strict"`
	Files   []FileReport `json:"files"`   // in import order
	Skipped []Skipped    `json:"skipped"` // folder entries not imported, with why
	Missing []string     `json:"missing"` // bundle file names not found in the folder
	// Warnings are things worth reading that did not stop anything, such
	// as a file in the folder Tower does not know.
	Warnings []string `json:"warnings"`
	// Errors holds the first 100 row errors, for display; the errors
	// report file has them all.
	Errors []RowError `json:"errors"`
	// ErrorCount is the number of row errors in total.
	ErrorCount int64 `json:"error_count"`
	// ErrorsReport is the path of the errors report written, "" if none.
	ErrorsReport string        `json:"errors_report,omitempty"`
	Duration     time.Duration `json:"duration_ns"`
}

// Failed reports whether any file was refused or any row rejected; the
// CLI exits 1 when it is true.
func (r *Report) Failed() bool {
	for i := range r.Files {
		if r.Files[i].Failed() {
			return true
		}
	}
	return false
}

// Totals sums the rows of every file.
func (r *Report) Totals() (read, written, rejected, duplicates int64) {
	for _, f := range r.Files {
		read += f.Read
		written += f.Written
		rejected += f.Rejected
		duplicates += f.Duplicates
	}
	return
}

// WriteSummary prints the report for a person: one line per file, what
// was skipped or missing, warnings, and the first errors.
func (r *Report) WriteSummary(w io.Writer) error {
	var b strings.Builder
	width := len("file")
	for _, f := range r.Files {
		width = max(width, len(f.File))
	}
	fmt.Fprintf(&b, "%-*s  %9s  %9s  %9s  %10s\n", width, "file", "read", "written", "rejected", "duplicates")
	for _, f := range r.Files {
		fmt.Fprintf(&b, "%-*s  %9d  %9d  %9d  %10d%s\n", width, f.File, f.Read, f.Written, f.Rejected, f.Duplicates, fileNote(f))
	}
	if len(r.Missing) > 0 {
		fmt.Fprintf(&b, "Not in the folder (nothing imported for them): %s\n", strings.Join(r.Missing, ", "))
	}
	for _, s := range r.Skipped {
		if !s.Warning {
			fmt.Fprintf(&b, "Skipped %s: %s\n", s.Name, s.Reason)
		}
	}
	for _, warn := range r.Warnings {
		fmt.Fprintf(&b, "Warning: %s\n", warn)
	}
	if r.ErrorCount > 0 {
		fmt.Fprintf(&b, "%d problem(s) found", r.ErrorCount)
		if r.ErrorsReport != "" {
			fmt.Fprintf(&b, "; every one is listed in %s", r.ErrorsReport)
		}
		b.WriteString("\n")
		for _, e := range r.Errors {
			fmt.Fprintf(&b, "  %s\n", e)
		}
		if r.ErrorCount > int64(len(r.Errors)) {
			fmt.Fprintf(&b, "  … and %d more\n", r.ErrorCount-int64(len(r.Errors)))
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func fileNote(f FileReport) string {
	switch {
	case f.Refused != "":
		return "  refused: " + f.Refused
	case f.RolledBack:
		return "  rolled back (strict): nothing written"
	}
	return ""
}
