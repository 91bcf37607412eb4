package ingest

import (
	"strings"
	"time"

	"github.com/towerops/tower/internal/foundation"
)

// rowProblem is one thing wrong with one value of a row.
type rowProblem struct {
	column string
	reason string
}

// row gives a kind's decoder typed access to one CSV row. Accessors
// never fail: a value that cannot be read is recorded as a problem of its
// column and the zero value returned, so a decoder reads straight through
// and every problem of the row is reported at once.
type row struct {
	h        *header
	fields   []string
	problems []rowProblem
}

func (r *row) fail(column, reason string) {
	r.problems = append(r.problems, rowProblem{column, reason})
}

// str returns the trimmed value of a column; "" when the file has no
// such column.
func (r *row) str(column string) string {
	i, ok := r.h.index[column]
	if !ok || i >= len(r.fields) {
		return ""
	}
	return strings.TrimSpace(r.fields[i])
}

// email returns the column's address normalised (foundation.NormalizeEmail).
func (r *row) email(column string) string {
	s := r.str(column)
	if s == "" {
		return ""
	}
	if e := foundation.NormalizeEmail(s); e != "" {
		return e
	}
	return strings.ToLower(s) // kept so validation can quote it
}

func (r *row) date(column string) time.Time {
	s := r.str(column)
	if s == "" {
		return time.Time{}
	}
	t, err := parseDate(s)
	if err != nil {
		r.fail(column, err.Error())
	}
	return t
}

func (r *row) time(column string) time.Time {
	s := r.str(column)
	if s == "" {
		return time.Time{}
	}
	t, err := parseTime(s)
	if err != nil {
		r.fail(column, err.Error())
	}
	return t
}

func (r *row) int(column string) int {
	return int(r.intBits(column, 32))
}

func (r *row) int64(column string) int64 {
	return r.intBits(column, 64)
}

func (r *row) intBits(column string, bits int) int64 {
	s := r.str(column)
	if s == "" {
		return 0
	}
	n, err := parseInt(s, bits)
	if err != nil {
		r.fail(column, err.Error())
	}
	return n
}

func (r *row) decimal(column string) float64 {
	s := r.str(column)
	if s == "" {
		return 0
	}
	f, err := parseDecimal(s)
	if err != nil {
		r.fail(column, err.Error())
	}
	return f
}

// enum returns the column's value as one of allowed, or "" (empty, or
// not allowed: then a problem listing the allowed values is recorded).
func enum[T ~string](r *row, column string, allowed []T) T {
	s := r.str(column)
	if s == "" {
		return ""
	}
	v, err := foundation.ParseEnum(s, allowed)
	if err != nil {
		r.fail(column, err.Error())
	}
	return v
}

// traits collects the columns Tower has no field for. Empty values are
// left out, so a sparse custom column does not put "" on every row.
func (r *row) traits() foundation.Traits {
	var t foundation.Traits
	for _, i := range r.h.extra {
		if i >= len(r.fields) {
			break
		}
		if v := strings.TrimSpace(r.fields[i]); v != "" {
			if t == nil {
				t = make(foundation.Traits, len(r.h.extra))
			}
			t[r.h.names[i]] = v
		}
	}
	return t
}
