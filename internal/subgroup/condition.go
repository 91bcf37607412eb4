package subgroup

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/towerops/tower/internal/dataset"
)

// Op is how a condition compares a column.
type Op string

// Operators. Between is lo <= value < hi.
const (
	Eq      Op = "="
	Less    Op = "<"
	AtLeast Op = ">="
	Between Op = "between"
)

// Condition is one part of a subgroup's rule. Level is set for Eq on a
// category column; Lo and Hi for the numeric operators (Lo for AtLeast
// and Between, Hi for Less and Between).
type Condition struct {
	Column string  `json:"column"`
	Op     Op      `json:"op"`
	Level  string  `json:"level,omitempty"`
	Lo     float64 `json:"lo,omitempty"`
	Hi     float64 `json:"hi,omitempty"`
}

// String writes the condition as a person reads it: job = retired,
// age >= 60, 30 <= age < 40.
func (c Condition) String() string {
	switch c.Op {
	case Eq:
		return fmt.Sprintf("%s = %s", c.Column, c.Level)
	case Less:
		return fmt.Sprintf("%s < %s", c.Column, num(c.Hi))
	case AtLeast:
		return fmt.Sprintf("%s >= %s", c.Column, num(c.Lo))
	default:
		return fmt.Sprintf("%s <= %s < %s", num(c.Lo), c.Column, num(c.Hi))
	}
}

// Rule joins conditions with "and".
func Rule(cs []Condition) string {
	parts := make([]string, len(cs))
	for i, c := range cs {
		parts[i] = c.String()
	}
	return strings.Join(parts, " and ")
}

func num(f float64) string { return strconv.FormatFloat(f, 'g', 6, 64) }

// Match reports whether row i of col meets the condition. A missing
// number meets no numeric condition.
func (c Condition) Match(col *dataset.Column, i int) bool {
	if c.Op == Eq {
		return col.Values[i] == c.Level
	}
	v := col.Float(i)
	if math.IsNaN(v) {
		return false
	}
	switch c.Op {
	case Less:
		return v < c.Hi
	case AtLeast:
		return v >= c.Lo
	default:
		return v >= c.Lo && v < c.Hi
	}
}

// Members lists the rows of t (0-based, ascending) that meet every
// condition of the segment.
func (s Segment) Members(t *dataset.Table) ([]int, error) {
	cols := make([]*dataset.Column, len(s.Conditions))
	for i, c := range s.Conditions {
		col, err := t.Column(c.Column)
		if err != nil {
			return nil, err
		}
		cols[i] = col
	}
	var out []int
rows:
	for i := range t.Len() {
		for k, c := range s.Conditions {
			if !c.Match(cols[k], i) {
				continue rows
			}
		}
		out = append(out, i)
	}
	return out, nil
}
