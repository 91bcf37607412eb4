package dataset

import (
	"fmt"
	"strings"
)

// Condition is COL=VALUE from the command line: rows whose column holds
// the value. Text compares ignoring case and surrounding spaces; numbers
// compare as numbers ("1" matches "1.0").
type Condition struct {
	Column string
	Value  string
}

// ParseCondition reads "COL=VALUE". flag names the option in errors.
func ParseCondition(flag, s string) (Condition, error) {
	col, val, ok := strings.Cut(s, "=")
	col, val = strings.TrimSpace(col), strings.TrimSpace(val)
	if !ok || col == "" {
		return Condition{}, fmt.Errorf("%s %q: write it as COLUMN=VALUE, for example y=yes", flag, s)
	}
	return Condition{Column: col, Value: val}, nil
}

func (c Condition) String() string { return c.Column + "=" + c.Value }

// Mask returns, per row, whether the row meets the condition. It fails
// when the column is missing or no row holds the value (almost always a
// typo), naming the values that do occur.
func (t *Table) Mask(c Condition) ([]bool, error) {
	col, err := t.Column(c.Column)
	if err != nil {
		return nil, err
	}
	out := make([]bool, t.Len())
	want, wantNum, isNum := strings.ToLower(c.Value), 0.0, false
	if col.Numeric {
		wantNum, isNum = parseNumber(c.Value)
	}
	any := false
	for i, v := range col.Values {
		if isNum {
			out[i] = col.Nums[i] == wantNum
		} else {
			out[i] = strings.ToLower(v) == want
		}
		any = any || out[i]
	}
	if !any {
		levels := col.Levels()
		if len(levels) > 12 {
			levels = append(levels[:12], "…")
		}
		return nil, fmt.Errorf("%s: no row has %s = %q; the values in %q are: %s",
			t.File, col.Name, c.Value, col.Name, strings.Join(levels, ", "))
	}
	return out, nil
}

// SplitList reads a comma-separated option ("duration, y") into names.
func SplitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}
