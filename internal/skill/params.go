package skill

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
)

// ParamType is the type of a skill parameter.
type ParamType string

// Parameter types. Durations are written like "30d", "12h" or "90m".
const (
	Int      ParamType = "int"
	Float    ParamType = "float"
	String   ParamType = "string"
	Bool     ParamType = "bool"
	Duration ParamType = "duration"
)

// Param declares one parameter with its default and bounds.
type Param struct {
	Name     string
	Type     ParamType
	Default  any
	Min, Max *float64 // for Int and Float
	Enum     []string // for String; empty allows any
	// List: a String holding a comma-separated list ("email, sms"); each
	// item must be in Enum (when set). It is checked when the agent is
	// configured, not when it first runs, and read with Params.List.
	List        bool
	Description string
}

// Bound is a convenience for Param.Min and Param.Max.
func Bound(f float64) *float64 { return &f }

// Params are resolved parameter values: every declared parameter present
// and of its declared type (int64, float64, string, bool, time.Duration).
type Params map[string]any

// Int returns an Int parameter.
func (p Params) Int(name string) int64 { v, _ := p[name].(int64); return v }

// Float returns a Float parameter.
func (p Params) Float(name string) float64 { v, _ := p[name].(float64); return v }

// String returns a String parameter.
func (p Params) String(name string) string { v, _ := p[name].(string); return v }

// List returns the items of a List parameter, trimmed, without empty ones
// or repeats, in the order written.
func (p Params) List(name string) []string { return listItems(p.String(name)) }

func listItems(s string) []string {
	var out []string
	for _, part := range strings.Split(s, ",") {
		if part = strings.TrimSpace(part); part != "" && !slices.Contains(out, part) {
			out = append(out, part)
		}
	}
	return out
}

// Bool returns a Bool parameter.
func (p Params) Bool(name string) bool { v, _ := p[name].(bool); return v }

// Duration returns a Duration parameter.
func (p Params) Duration(name string) time.Duration { v, _ := p[name].(time.Duration); return v }

// Resolve applies overrides to the manifest's defaults and checks every
// value. Unknown names are an error naming the parameters the skill has.
func (m Manifest) Resolve(overrides map[string]any) (Params, error) {
	out := Params{}
	byName := map[string]Param{}
	for _, p := range m.Params {
		byName[p.Name] = p
		v, err := p.coerce(p.Default)
		if err != nil {
			return nil, fmt.Errorf("%s: default: %w", p.Name, err)
		}
		out[p.Name] = v
	}
	names := make([]string, 0, len(overrides))
	for n := range overrides {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		p, ok := byName[n]
		if !ok {
			known := make([]string, 0, len(m.Params))
			for _, q := range m.Params {
				known = append(known, q.Name)
			}
			return nil, fmt.Errorf("parameter %q: skill %s has no such parameter (it has: %s)", n, m.Name, strings.Join(known, ", "))
		}
		v, err := p.coerce(overrides[n])
		if err != nil {
			return nil, fmt.Errorf("parameter %s: %w", n, err)
		}
		out[n] = v
	}
	return out, nil
}

func (p Param) check(v any) error {
	_, err := p.coerce(v)
	return err
}

// coerce converts a value as written in TOML, JSON or on the command line
// to the parameter's type and checks its bounds.
func (p Param) coerce(v any) (any, error) {
	switch p.Type {
	case Int:
		f, err := number(v)
		if err != nil {
			return nil, err
		}
		if f != math.Trunc(f) {
			return nil, fmt.Errorf("want a whole number, got %v", v)
		}
		return int64(f), p.bounds(f)
	case Float:
		f, err := number(v)
		if err != nil {
			return nil, err
		}
		return f, p.bounds(f)
	case String:
		s, ok := v.(string)
		if !ok {
			return nil, fmt.Errorf("want text, got %v", v)
		}
		if p.List && len(p.Enum) > 0 {
			for _, item := range listItems(s) {
				if !slices.Contains(p.Enum, item) {
					return nil, fmt.Errorf("%q is not one of %s", item, strings.Join(p.Enum, ", "))
				}
			}
			return s, nil
		}
		if len(p.Enum) > 0 && !slices.Contains(p.Enum, s) {
			return nil, fmt.Errorf("%q is not one of %s", s, strings.Join(p.Enum, ", "))
		}
		return s, nil
	case Bool:
		switch b := v.(type) {
		case bool:
			return b, nil
		case string:
			if r, err := strconv.ParseBool(b); err == nil {
				return r, nil
			}
		}
		return nil, fmt.Errorf("want true or false, got %v", v)
	case Duration:
		switch d := v.(type) {
		case time.Duration:
			return d, nil
		case string:
			return ParseDuration(d)
		}
		return nil, fmt.Errorf("want a duration like 30d or 12h, got %v", v)
	}
	return nil, fmt.Errorf("unknown parameter type %q", p.Type)
}

func (p Param) bounds(f float64) error {
	if p.Min != nil && f < *p.Min {
		return fmt.Errorf("%v is below the minimum %v", f, *p.Min)
	}
	if p.Max != nil && f > *p.Max {
		return fmt.Errorf("%v is above the maximum %v", f, *p.Max)
	}
	return nil
}

func number(v any) (float64, error) {
	switch n := v.(type) {
	case int:
		return float64(n), nil
	case int64:
		return float64(n), nil
	case float64:
		if math.IsNaN(n) || math.IsInf(n, 0) {
			return 0, fmt.Errorf("want a number, got %v", n)
		}
		return n, nil
	case string:
		f, err := strconv.ParseFloat(strings.TrimSpace(n), 64)
		if err != nil {
			return 0, fmt.Errorf("want a number, got %q", n)
		}
		return f, nil
	}
	return 0, fmt.Errorf("want a number, got %v", v)
}

// ParseDuration parses "30d", "12h", "90m", "2w" and Go durations.
func ParseDuration(s string) (time.Duration, error) {
	s = strings.TrimSpace(s)
	for suffix, unit := range map[string]time.Duration{"d": 24 * time.Hour, "w": 7 * 24 * time.Hour} {
		if n, ok := strings.CutSuffix(s, suffix); ok {
			f, err := strconv.ParseFloat(n, 64)
			if err != nil || f < 0 {
				return 0, fmt.Errorf("want a duration like 30d, got %q", s)
			}
			return time.Duration(f * float64(unit)), nil
		}
	}
	d, err := time.ParseDuration(s)
	if err != nil || d < 0 {
		return 0, fmt.Errorf("want a duration like 30d, 12h or 90m, got %q", s)
	}
	return d, nil
}
