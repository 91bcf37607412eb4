package dataset

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
)

// Column is one column of a table. Values holds every row's text (trimmed);
// when Numeric, Nums holds the same rows parsed, NaN where the cell is
// empty or a missing-value marker.
type Column struct {
	Name    string
	Numeric bool
	Values  []string
	Nums    []float64
}

// Table is a CSV export read into columns. Lines[i] is the file line row i
// came from, so later errors can point at it.
type Table struct {
	File    string
	Columns []*Column
	Lines   []int
	Skipped []RowError
}

// RowError is one row (or cell) left out and why.
type RowError struct {
	File   string `json:"file"`
	Line   int    `json:"line"`
	Column string `json:"column,omitempty"`
	Reason string `json:"reason"`
}

func (e RowError) Error() string {
	if e.Column != "" {
		return fmt.Sprintf("%s:%d: column %q: %s", e.File, e.Line, e.Column, e.Reason)
	}
	return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Reason)
}

// ErrMissingColumn: a column the caller named is not in the file.
var ErrMissingColumn = errors.New("column not found")

// Len is the number of rows.
func (t *Table) Len() int { return len(t.Lines) }

// Names lists the column names in file order.
func (t *Table) Names() []string {
	out := make([]string, len(t.Columns))
	for i, c := range t.Columns {
		out[i] = c.Name
	}
	return out
}

// fold makes header names comparable: case, spaces, dots, hyphens and
// underscores are ignored ("emp.var.rate" matches "Emp Var Rate").
func fold(s string) string {
	return strings.Map(func(r rune) rune {
		switch r {
		case ' ', '.', '-', '_':
			return -1
		}
		return r
	}, strings.ToLower(strings.TrimSpace(s)))
}

// Column finds a column by name: exactly, else ignoring case, spaces, dots,
// hyphens and underscores. The error names the columns that exist.
func (t *Table) Column(name string) (*Column, error) {
	for _, c := range t.Columns {
		if c.Name == name {
			return c, nil
		}
	}
	for _, c := range t.Columns {
		if fold(c.Name) == fold(name) {
			return c, nil
		}
	}
	return nil, fmt.Errorf("%s: %w: %q is not in the header; the columns are: %s",
		t.File, ErrMissingColumn, name, strings.Join(t.Names(), ", "))
}

// Has reports whether the table has the named column.
func (t *Table) Has(name string) bool {
	_, err := t.Column(name)
	return err == nil
}

// Float returns row i of a numeric column (NaN when missing).
func (c *Column) Float(i int) float64 {
	if !c.Numeric {
		return math.NaN()
	}
	return c.Nums[i]
}

// Levels lists the distinct non-empty values of the column, sorted.
func (c *Column) Levels() []string {
	seen := map[string]bool{}
	for _, v := range c.Values {
		if v != "" {
			seen[v] = true
		}
	}
	out := make([]string, 0, len(seen))
	for v := range seen {
		out = append(out, v)
	}
	slices.Sort(out)
	return out
}
