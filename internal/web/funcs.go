package web

import (
	"fmt"
	"html/template"
	"maps"
	"math"
	"strings"
	"time"

	"github.com/dustin/go-humanize"
)

// extraFuncs are template functions added by other files of the console
// (each area registers its own in an init), merged into funcs().
var extraFuncs = template.FuncMap{}

// addFuncs registers template functions; call it from init only.
func addFuncs(m template.FuncMap) { maps.Copy(extraFuncs, m) }

// funcs are the template functions every page may use.
func funcs() template.FuncMap {
	m := template.FuncMap{
		// ago: "3 hours ago"; empty for a zero time.
		"ago": func(t time.Time) string {
			if t.IsZero() {
				return ""
			}
			return humanize.Time(t)
		},
		// when: a full UTC timestamp for title attributes and tables.
		"when": func(t time.Time) string {
			if t.IsZero() {
				return ""
			}
			return t.UTC().Format("2006-01-02 15:04 UTC")
		},
		"date": func(t time.Time) string {
			if t.IsZero() {
				return ""
			}
			return t.UTC().Format("2006-01-02")
		},
		// money: "$12,400"; "" for zero.
		"money": func(v float64) string {
			if v == 0 {
				return ""
			}
			return "$" + humanize.Commaf(math.Round(v))
		},
		"count": func(n any) string { return humanize.Comma(toInt64(n)) },
		// pct: 0.1234 → "12.3%".
		"pct":   func(v float64) string { return fmt.Sprintf("%.1f%%", v*100) },
		"lower": strings.ToLower,
		"title": func(s string) string {
			s = strings.ReplaceAll(s, "_", " ")
			if s == "" {
				return s
			}
			return strings.ToUpper(s[:1]) + s[1:]
		},
		"join": strings.Join,
		"add":  func(a, b int) int { return a + b },
	}
	maps.Copy(m, extraFuncs)
	return m
}

func toInt64(n any) int64 {
	switch v := n.(type) {
	case int:
		return int64(v)
	case int64:
		return v
	case int32:
		return int64(v)
	case float64:
		return int64(v)
	}
	return 0
}
