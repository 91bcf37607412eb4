package knowledge

import (
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/pelletier/go-toml/v2"
)

// file is one knowledge file being decoded: where problems go and the
// line of every key. Decoding never stops at the first problem, so a team
// fixing a file sees everything wrong with it at once.
type file struct {
	name     string         // relative to the knowledge folder, slash-separated
	lines    map[string]int // key path → line
	problems *[]Problem
}

// parse decodes b into its top-level table; nil when the file is not
// valid TOML (the problem, with its line, is recorded).
func (f *file) parse(b []byte) *table {
	var m map[string]any
	if err := toml.Unmarshal(b, &m); err != nil {
		var de *toml.DecodeError
		if errors.As(err, &de) {
			row, _ := de.Position()
			f.add(row, "", "not valid TOML: "+strings.TrimPrefix(de.Error(), "toml: "))
		} else {
			_, dup := keyLines(b)
			f.add(dup, "", "not valid TOML: "+strings.TrimPrefix(err.Error(), "toml: "))
		}
		return nil
	}
	f.lines, _ = keyLines(b)
	return &table{f: f, m: m, seen: map[string]bool{}}
}

func (f *file) add(line int, field, reason string) {
	*f.problems = append(*f.problems, Problem{File: f.name, Line: line, Field: field, Reason: reason})
}

// table is one TOML table of a file: the top level, one [[product]] or
// [source_by_esp]. Every key read is marked seen; done reports the rest
// as unknown, with their lines, so a typo ("pairswith") is not silently
// ignored.
type table struct {
	f    *file
	path string // key path in the document: "", "product.2", "source_by_esp"
	name string // how the table is named in problems: "", "product", "source_by_esp"
	m    map[string]any
	seen map[string]bool
	read []string // keys asked for, in the order the layer reads them
}

// field is how a key of this table is named in a problem: "id" at the
// top, "product.id" inside [[product]].
func (t *table) field(key string) string { return joinPath(t.name, key) }

// line is the line of key, or of the table itself when key is absent.
func (t *table) line(key string) int {
	if key != "" {
		if l, ok := t.f.lines[joinPath(t.path, key)]; ok {
			return l
		}
	}
	return t.f.lines[t.path]
}

func (t *table) problem(key, reason string) { t.f.add(t.line(key), t.field(key), reason) }

func (t *table) get(key string) (any, bool) {
	if !t.seen[key] {
		t.seen[key] = true
		t.read = append(t.read, key)
	}
	v, ok := t.m[key]
	return v, ok
}

// has reports whether key is written in the table.
func (t *table) has(key string) bool { _, ok := t.m[key]; return ok }

func (t *table) str(key string) string {
	v, ok := t.get(key)
	if !ok {
		return ""
	}
	s, isStr := v.(string)
	if !isStr {
		t.problem(key, fmt.Sprintf("must be text in quotes, not %s", kindOf(v)))
		return ""
	}
	return strings.TrimSpace(s)
}

// required reads a text key that must be present and not blank.
func (t *table) required(key string) string {
	s := t.str(key)
	if s == "" && !t.badType(key) {
		t.problem(key, "is required")
	}
	return s
}

// badType reports whether key is present with a non-text value (already
// reported by str).
func (t *table) badType(key string) bool {
	v, ok := t.m[key]
	if !ok {
		return false
	}
	_, isStr := v.(string)
	return !isStr
}

func (t *table) strs(key string) []string {
	v, ok := t.get(key)
	if !ok {
		return nil
	}
	list, isList := v.([]any)
	if !isList {
		t.problem(key, fmt.Sprintf(`must be a list in brackets, like ["a", "b"], not %s`, kindOf(v)))
		return nil
	}
	out := make([]string, 0, len(list))
	for i, e := range list {
		s, isStr := e.(string)
		if !isStr {
			t.f.add(t.elemLine(key, i), t.field(key), fmt.Sprintf("entry %d must be text in quotes, not %s", i+1, kindOf(e)))
			continue
		}
		out = append(out, strings.TrimSpace(s))
	}
	return out
}

// elemLine is the line of entry i of the list under key.
func (t *table) elemLine(key string, i int) int {
	if l, ok := t.f.lines[joinPath(joinPath(t.path, key), strconv.Itoa(i))]; ok {
		return l
	}
	return t.line(key)
}

func (t *table) integer(key string, def int) int {
	v, ok := t.get(key)
	if !ok {
		return def
	}
	n, isInt := v.(int64)
	if !isInt {
		t.problem(key, fmt.Sprintf("must be a whole number, not %s", kindOf(v)))
		return def
	}
	return int(n)
}

func (t *table) boolean(key string, def bool) bool {
	v, ok := t.get(key)
	if !ok {
		return def
	}
	b, isBool := v.(bool)
	if !isBool {
		t.problem(key, fmt.Sprintf("must be true or false (no quotes), not %s", kindOf(v)))
		return def
	}
	return b
}

// date reads a TOML date (2026-10-01, no quotes). A date-time is accepted
// and cut to its day: the layer only ever needs the day.
func (t *table) date(key string) time.Time {
	v, ok := t.get(key)
	if !ok {
		return time.Time{}
	}
	switch d := v.(type) {
	case toml.LocalDate:
		return time.Date(d.Year, time.Month(d.Month), d.Day, 0, 0, 0, 0, time.UTC)
	case toml.LocalDateTime:
		return time.Date(d.Year, time.Month(d.Month), d.Day, 0, 0, 0, 0, time.UTC)
	case time.Time:
		return time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, time.UTC)
	case string:
		if _, err := time.Parse(time.DateOnly, strings.TrimSpace(d)); err == nil {
			t.problem(key, fmt.Sprintf("write the date without quotes: %s = %s", key, strings.TrimSpace(d)))
			return time.Time{}
		}
	}
	t.problem(key, fmt.Sprintf("must be a date like 2026-10-01 (no quotes), not %s", kindOf(v)))
	return time.Time{}
}

// tables reads an array of tables ([[product]] blocks).
func (t *table) tables(key string) []*table {
	v, ok := t.get(key)
	if !ok {
		return nil
	}
	list, isList := v.([]any)
	if !isList {
		t.problem(key, fmt.Sprintf("must be written as [[%s]] blocks, not %s", key, kindOf(v)))
		return nil
	}
	var out []*table
	for i, e := range list {
		m, isMap := e.(map[string]any)
		if !isMap {
			t.f.add(t.elemLine(key, i), t.field(key), fmt.Sprintf("must be written as [[%s]] blocks, not a list of %s", key, kindOf(e)))
			continue
		}
		out = append(out, &table{f: t.f, path: joinPath(joinPath(t.path, key), strconv.Itoa(i)), name: t.field(key), m: m, seen: map[string]bool{}})
	}
	return out
}

// sub reads a table ([source_by_esp]); nil when absent or not a table.
func (t *table) sub(key string) *table {
	v, ok := t.get(key)
	if !ok {
		return nil
	}
	m, isMap := v.(map[string]any)
	if !isMap {
		t.problem(key, fmt.Sprintf("must be a [%s] table, not %s", key, kindOf(v)))
		return nil
	}
	return &table{f: t.f, path: joinPath(t.path, key), name: t.field(key), m: m, seen: map[string]bool{}}
}

// keys lists the table's keys in file order.
func (t *table) keys() []string {
	keys := make([]string, 0, len(t.m))
	for k := range t.m {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		li, lj := t.line(keys[i]), t.line(keys[j])
		if li != lj {
			return li < lj
		}
		return keys[i] < keys[j]
	})
	return keys
}

// done reports every key of the table that the layer did not ask for as
// unknown, listing the keys it knows.
func (t *table) done() {
	for _, k := range t.keys() {
		if !t.seen[k] {
			t.problem(k, "unknown key; expected one of "+strings.Join(t.read, ", "))
		}
	}
}

// kindOf names a decoded TOML value's type for a person.
func kindOf(v any) string {
	switch v.(type) {
	case string:
		return "text"
	case int64:
		return "a number"
	case float64:
		return "a decimal number"
	case bool:
		return "true/false"
	case []any:
		return "a list"
	case map[string]any:
		return "a table"
	case toml.LocalDate, toml.LocalDateTime, time.Time:
		return "a date"
	case toml.LocalTime:
		return "a time of day"
	}
	return fmt.Sprintf("%T", v)
}
