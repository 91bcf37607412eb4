package segmentscout

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/towerops/tower/internal/subgroup"
)

// traitName is a trait the segment language can name as
// person.traits.NAME.
var traitName = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// celRule writes a subgroup's conditions in Tower's segment language.
func (pp *people) celRule(cs []subgroup.Condition) string {
	parts := make([]string, len(cs))
	for i, c := range cs {
		f := pp.features[c.Column]
		switch {
		case f.contains:
			parts[i] = f.expr
		case c.Op == subgroup.Eq:
			parts[i] = fmt.Sprintf("%s == %s", f.expr, strconv.Quote(c.Level))
		case c.Op == subgroup.Less:
			parts[i] = fmt.Sprintf("%s < %s", f.expr, number(c.Hi))
		case c.Op == subgroup.AtLeast:
			parts[i] = fmt.Sprintf("%s >= %s", f.expr, number(c.Lo))
		default:
			parts[i] = fmt.Sprintf("%s >= %s && %s < %s", f.expr, number(c.Lo), f.expr, number(c.Hi))
		}
	}
	return strings.Join(parts, " && ")
}

// plainRule writes the conditions for people: "account industry is
// Logistics, title contains "Operations" and at least 2 "Pricing Viewed"
// events in the last 180 days".
func (pp *people) plainRule(cs []subgroup.Condition) string {
	parts := make([]string, len(cs))
	for i, c := range cs {
		f := pp.features[c.Column]
		switch {
		case f.contains:
			parts[i] = f.plain
		case c.Op == subgroup.Eq:
			parts[i] = fmt.Sprintf("%s is %s", f.plain, c.Level)
		case c.Op == subgroup.Less:
			parts[i] = fmt.Sprintf("fewer than %s %s", number(c.Hi), f.plain)
		case c.Op == subgroup.AtLeast:
			parts[i] = fmt.Sprintf("at least %s %s", number(c.Lo), f.plain)
		default:
			parts[i] = fmt.Sprintf("%s to under %s %s", number(c.Lo), number(c.Hi), f.plain)
		}
	}
	if len(parts) == 1 {
		return parts[0]
	}
	return strings.Join(parts[:len(parts)-1], ", ") + " and " + parts[len(parts)-1]
}

// number writes whole numbers without a decimal point (the segment
// language compares ints with ints).
func number(f float64) string {
	if f == float64(int64(f)) {
		return strconv.FormatInt(int64(f), 10)
	}
	return strconv.FormatFloat(f, 'g', -1, 64)
}

var nonSlug = regexp.MustCompile(`[^a-z0-9]+`)

// slug makes a segment id from the rule: lower-case words joined by
// hyphens, at most 63 characters ("logistics-operations-pricing-viewed-2-plus").
func slug(cs []subgroup.Condition) string {
	var words []string
	for _, c := range cs {
		w := c.Level
		if w == "" || w == "yes" {
			w = c.Column
			if q := quoted.FindString(w); q != "" {
				w, _ = strconv.Unquote(q)
			} else if i := strings.LastIndex(w, "."); i >= 0 {
				w = w[i+1:]
			}
		}
		switch c.Op {
		case subgroup.AtLeast:
			w += " " + number(c.Lo) + " plus"
		case subgroup.Less:
			w += " under " + number(c.Hi)
		case subgroup.Between:
			w += " " + number(c.Lo) + " to " + number(c.Hi)
		}
		words = append(words, w)
	}
	s := strings.Trim(nonSlug.ReplaceAllString(strings.ToLower(strings.Join(words, " ")), "-"), "-")
	if len(s) > 63 {
		s = strings.TrimRight(s[:63], "-")
	}
	if s == "" {
		s = "segment"
	}
	return s
}

var quoted = regexp.MustCompile(`"(?:[^"\\]|\\.)*"`)
