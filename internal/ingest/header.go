package ingest

import (
	"fmt"
	"strings"
)

// column is a column Tower knows for a kind.
type column struct {
	name     string
	required bool
}

// layout is a kind's CSV columns.
type layout struct {
	columns []column
	// anyOf names columns of which at least one must be present
	// (consent is keyed by system_id or by email).
	anyOf []string
	// traits says unknown columns are kept in the row's traits; kinds
	// without traits ignore them, with a warning.
	traits bool
}

// header maps a file's columns to the layout.
type header struct {
	names []string       // normalised column name per field index
	index map[string]int // known column name → field index
	extra []int          // field indices of columns Tower has no field for
}

// refusal says why a whole file cannot be imported.
type refusal struct {
	line   int64
	column string
	reason string
}

func (r *refusal) Error() string { return r.reason }

// normColumn is the name a header cell is matched by: trimmed, lower-case,
// with spaces and dashes as underscores, so "System ID", "system-id" and
// " SYSTEM_ID" all mean system_id.
func normColumn(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	return strings.Map(func(r rune) rune {
		if r == ' ' || r == '-' {
			return '_'
		}
		return r
	}, s)
}

// readHeader checks a header row against the layout. Any problem refuses
// the whole file: with a column missing or doubled, no row can be read
// the way the person meant it.
func readHeader(fields []string, l *layout) (*header, []string, *refusal) {
	h := &header{names: make([]string, len(fields)), index: make(map[string]int, len(fields))}
	known := make(map[string]bool, len(l.columns))
	for _, c := range l.columns {
		known[c.name] = true
	}
	if len(fields) == 1 {
		if r := delimiterRefusal(fields[0]); r != nil {
			return nil, nil, r
		}
	}
	seen := make(map[string]int, len(fields))
	var warnings []string
	for i, f := range fields {
		name := normColumn(f)
		if name == "" {
			name = fmt.Sprintf("column_%d", i+1)
		}
		if j, dup := seen[name]; dup {
			return nil, nil, &refusal{line: 1, column: name, reason: fmt.Sprintf(
				"column %q appears twice in the header (columns %d and %d); remove or rename one", name, j+1, i+1)}
		}
		seen[name] = i
		h.names[i] = name
		switch {
		case known[name]:
			h.index[name] = i
		case l.traits:
			h.extra = append(h.extra, i)
		case strings.TrimSpace(f) == "":
			warnings = append(warnings, fmt.Sprintf("column %d has no name; its values were ignored", i+1))
		default:
			warnings = append(warnings, fmt.Sprintf("column %q is not a column Tower reads here; its values were ignored", name))
		}
	}
	for _, c := range l.columns {
		if _, ok := h.index[c.name]; c.required && !ok {
			return nil, nil, missingColumn(fields, h.names, fmt.Sprintf("the required column %q is missing", c.name), c.name)
		}
	}
	if len(l.anyOf) > 0 {
		found := false
		for _, name := range l.anyOf {
			_, ok := h.index[name]
			found = found || ok
		}
		if !found {
			quoted := make([]string, len(l.anyOf))
			for i, n := range l.anyOf {
				quoted[i] = fmt.Sprintf("%q", n)
			}
			return nil, nil, missingColumn(fields, h.names,
				"the file needs a "+strings.Join(quoted, " or a ")+" column", l.anyOf[0])
		}
	}
	return h, warnings, nil
}

func missingColumn(raw, names []string, what, column string) *refusal {
	for _, f := range raw {
		if r := delimiterRefusal(f); r != nil {
			r.column = column
			return r
		}
	}
	return &refusal{line: 1, column: column, reason: what + "; the header has: " + strings.Join(names, ", ")}
}

// delimiterRefusal recognises a header written with another separator,
// which otherwise reads as one long column name.
func delimiterRefusal(cell string) *refusal {
	switch {
	case strings.Contains(cell, ";"):
		return &refusal{line: 1, reason: "this file uses ';' between columns; Tower reads comma-separated " +
			"files — re-export as CSV with commas"}
	case strings.Contains(cell, "\t"):
		return &refusal{line: 1, reason: "this file uses tabs between columns; Tower reads comma-separated " +
			"files — re-export as CSV with commas"}
	case strings.Contains(cell, "|"):
		return &refusal{line: 1, reason: "this file uses '|' between columns; Tower reads comma-separated " +
			"files — re-export as CSV with commas"}
	}
	return nil
}
