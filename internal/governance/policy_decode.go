package governance

import (
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/towerops/tower/internal/auth"
	"github.com/towerops/tower/internal/proposal"
)

// decoder turns one policy file, as a yaml.Node tree (TOML is converted to
// one, see policy_toml.go), into pack sections. It never stops at the
// first problem: every error names the file, the line, the field and the
// reason, so a person fixes a file in one pass.
type decoder struct {
	file string
	errs []error
}

func (d *decoder) errf(n *yaml.Node, field, format string, args ...any) {
	line := 0
	if n != nil {
		line = n.Line
	}
	msg := fmt.Sprintf(format, args...)
	if field != "" {
		msg = field + ": " + msg
	}
	d.errs = append(d.errs, fmt.Errorf("%s:%d: %s", d.file, line, msg))
}

func (d *decoder) at(n *yaml.Node) string { return fmt.Sprintf("%s:%d", d.file, n.Line) }

var yamlLine = regexp.MustCompile(`^yaml: line (\d+): `)

// parseFile parses YAML or TOML into a mapping node; nil on error (recorded)
// or for an empty file.
func (d *decoder) parseFile(name string, b []byte) *yaml.Node {
	if strings.HasSuffix(strings.ToLower(name), ".toml") {
		return d.parseTOML(b)
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(b, &doc); err != nil {
		msg := err.Error()
		line := 0
		if m := yamlLine.FindStringSubmatch(msg); m != nil {
			line, _ = strconv.Atoi(m[1])
			msg = msg[len(m[0]):]
		} else {
			msg = strings.TrimPrefix(msg, "yaml: ")
		}
		d.errs = append(d.errs, fmt.Errorf("%s:%d: not valid YAML: %s", d.file, line, msg))
		return nil
	}
	if len(doc.Content) == 0 {
		return nil
	}
	root := doc.Content[0]
	if root.Kind == yaml.ScalarNode && root.Tag == "!!null" {
		return nil
	}
	if root.Kind != yaml.MappingNode {
		d.errf(root, "", "a policy file is a set of sections (rules, freeze, autonomy, caps, breaker, approvals)")
		return nil
	}
	return root
}

// fields walks a mapping, calling fn for each key it knows and reporting
// unknown and repeated keys.
func (d *decoder) fields(n *yaml.Node, path string, known []string, fn func(key string, k, v *yaml.Node)) {
	if n.Kind != yaml.MappingNode {
		if n.Kind == yaml.ScalarNode && n.Tag == "!!null" {
			return
		}
		d.errf(n, path, "expected a set of fields (%s)", strings.Join(known, ", "))
		return
	}
	seen := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		key := k.Value
		name := fieldPath(path, key)
		switch {
		case seen[key]:
			d.errf(k, name, "defined twice")
			continue
		case !hasString(known, key):
			d.errf(k, name, "unknown field: use %s", strings.Join(known, ", "))
			continue
		}
		seen[key] = true
		fn(key, k, v)
	}
}

func fieldPath(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

func hasString(s []string, x string) bool {
	for _, v := range s {
		if v == x {
			return true
		}
	}
	return false
}

func isNullNode(n *yaml.Node) bool { return n.Kind == yaml.ScalarNode && n.Tag == "!!null" }

func (d *decoder) str(n *yaml.Node, field string) string {
	if isNullNode(n) {
		return ""
	}
	if n.Kind != yaml.ScalarNode {
		d.errf(n, field, "expected text")
		return ""
	}
	return n.Value
}

func (d *decoder) integer(n *yaml.Node, field string) int {
	var v int
	if n.Kind != yaml.ScalarNode || n.Decode(&v) != nil {
		d.errf(n, field, "expected a whole number, got %q", n.Value)
		return 0
	}
	if v < 0 {
		d.errf(n, field, "must not be negative")
	}
	return v
}

func (d *decoder) number(n *yaml.Node, field string) float64 {
	var v float64
	if n.Kind != yaml.ScalarNode || n.Decode(&v) != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		d.errf(n, field, "expected a number, got %q", n.Value)
		return 0
	}
	if v < 0 {
		d.errf(n, field, "must not be negative")
	}
	return v
}

func (d *decoder) boolean(n *yaml.Node, field string) bool {
	var v bool
	if n.Kind != yaml.ScalarNode || n.Decode(&v) != nil {
		d.errf(n, field, "expected true or false, got %q", n.Value)
	}
	return v
}

func (d *decoder) list(n *yaml.Node, field string) []*yaml.Node {
	if isNullNode(n) {
		return nil
	}
	if n.Kind != yaml.SequenceNode {
		d.errf(n, field, "expected a list")
		return nil
	}
	return n.Content
}

func (d *decoder) strs(n *yaml.Node, field string) []string {
	var out []string
	for i, c := range d.list(n, field) {
		if s := d.str(c, fmt.Sprintf("%s[%d]", field, i)); s != "" {
			out = append(out, s)
		}
	}
	return out
}

func (d *decoder) roles(n *yaml.Node, field string) []string {
	var out []string
	for i, c := range d.list(n, field) {
		f := fmt.Sprintf("%s[%d]", field, i)
		r, err := auth.ParseRole(d.str(c, f))
		if err != nil {
			d.errf(c, f, "%v", err)
			continue
		}
		out = append(out, string(r))
	}
	return out
}

func (d *decoder) kind(n *yaml.Node, field string) (proposal.Kind, bool) {
	k, err := proposal.ParseKind(n.Value)
	if err != nil {
		d.errf(n, field, "%v", err)
		return "", false
	}
	return k, true
}

func (d *decoder) level(n *yaml.Node, field string) Level {
	l, err := ParseLevel(d.str(n, field))
	if err != nil {
		d.errf(n, field, "%v", err)
	}
	return l
}

func (d *decoder) duration(n *yaml.Node, field string) time.Duration {
	v, err := parseDuration(d.str(n, field))
	if err != nil {
		d.errf(n, field, "%v", err)
	}
	return v
}

var daysPrefix = regexp.MustCompile(`^(\d+)d(.*)$`)

// parseDuration accepts Go durations ("36h", "90m") and whole days ("30d",
// "2d12h"): policies speak in days, Go does not.
func parseDuration(s string) (time.Duration, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, nil
	}
	var days time.Duration
	rest := s
	if m := daysPrefix.FindStringSubmatch(s); m != nil {
		n, err := strconv.Atoi(m[1])
		if err != nil || n > 100000 {
			return 0, fmt.Errorf("%q is not a duration: too many days", s)
		}
		days, rest = time.Duration(n)*24*time.Hour, m[2]
	}
	var v time.Duration
	if rest != "" {
		var err error
		if v, err = time.ParseDuration(rest); err != nil {
			return 0, fmt.Errorf("%q is not a duration: write for example 8h, 90m or 2d", s)
		}
	}
	if v < 0 {
		return 0, fmt.Errorf("%q is not a duration: it must not be negative", s)
	}
	return days + v, nil
}

// timestamp accepts RFC 3339 times and plain dates (midnight UTC).
func (d *decoder) timestamp(n *yaml.Node, field string) time.Time {
	s := d.str(n, field)
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05", "2006-01-02 15:04:05", "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC()
		}
	}
	d.errf(n, field, "%q is not a time: write for example 2026-11-26T00:00:00Z or 2026-11-26", s)
	return time.Time{}
}

func effectOfName(s string) (proposal.Effect, error) {
	switch e := proposal.Effect(s); e {
	case proposal.EffectAllow, proposal.EffectRequireApproval, proposal.EffectDeny:
		return e, nil
	}
	return "", fmt.Errorf("unknown effect %q: use allow, require_approval or deny", s)
}
