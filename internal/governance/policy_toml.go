package governance

import (
	"errors"
	"fmt"
	"sort"
	"strconv"
	"time"

	"github.com/pelletier/go-toml/v2"
	"github.com/pelletier/go-toml/v2/unstable"
	"gopkg.in/yaml.v3"
)

// parseTOML decodes a TOML policy file into the same node tree a YAML file
// gives, so one decoder checks both. go-toml decodes the values; a second
// pass over its parser finds the line of every key.
func (d *decoder) parseTOML(b []byte) *yaml.Node {
	var m map[string]any
	if err := toml.Unmarshal(b, &m); err != nil {
		var de *toml.DecodeError
		if errors.As(err, &de) {
			row, _ := de.Position()
			d.errs = append(d.errs, fmt.Errorf("%s:%d: not valid TOML: %s", d.file, row, de.Error()))
		} else {
			d.errs = append(d.errs, fmt.Errorf("%s:0: not valid TOML: %w", d.file, err))
		}
		return nil
	}
	lines := tomlLines(b)
	return tomlNode(m, "", 1, lines)
}

// tomlNode converts a decoded TOML value into a yaml.Node; path is the
// value's key path ("rules.0.id") and line the best line known for it.
func tomlNode(v any, path string, line int, lines map[string]int) *yaml.Node {
	if l, ok := lines[path]; ok {
		line = l
	}
	scalar := func(tag, s string) *yaml.Node {
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: tag, Value: s, Line: line, Style: yaml.DoubleQuotedStyle}
	}
	switch x := v.(type) {
	case map[string]any:
		n := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Line: line}
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Slice(keys, func(i, j int) bool {
			li, lj := lines[fieldPath(path, keys[i])], lines[fieldPath(path, keys[j])]
			if li != lj {
				return li < lj
			}
			return keys[i] < keys[j]
		})
		for _, k := range keys {
			child := tomlNode(x[k], fieldPath(path, k), line, lines)
			key := scalar("!!str", k)
			key.Line = child.Line
			n.Content = append(n.Content, key, child)
		}
		return n
	case []any:
		n := &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq", Line: line}
		for i, e := range x {
			n.Content = append(n.Content, tomlNode(e, fieldPath(path, strconv.Itoa(i)), line, lines))
		}
		return n
	case string:
		return scalar("!!str", x)
	case bool:
		return scalar("!!bool", strconv.FormatBool(x))
	case int64:
		return scalar("!!int", strconv.FormatInt(x, 10))
	case float64:
		return scalar("!!float", strconv.FormatFloat(x, 'g', -1, 64))
	case time.Time:
		return scalar("!!timestamp", x.Format(time.RFC3339Nano))
	case fmt.Stringer: // local dates and times
		return scalar("!!str", x.String())
	}
	return scalar("!!str", fmt.Sprint(v))
}

// tomlLines maps every key path of a TOML document to the line of its key;
// elements of arrays of tables get their header's line ("rules.2").
func tomlLines(b []byte) map[string]int {
	lines := map[string]int{}
	counts := map[string]int{} // array-of-tables path → elements so far
	var p unstable.Parser
	p.Reset(b)
	lineOf := func(n *unstable.Node) int { return p.Shape(n.Raw).Start.Line }
	// resolve turns header keys into a path, indexing arrays of tables.
	resolve := func(keys []string) string {
		path := ""
		for _, k := range keys {
			path = fieldPath(path, k)
			if c, ok := counts[path]; ok {
				path = fieldPath(path, strconv.Itoa(c-1))
			}
		}
		return path
	}
	keyParts := func(n *unstable.Node) ([]string, int) {
		var parts []string
		line := 0
		it := n.Key()
		for it.Next() {
			k := it.Node()
			if line == 0 {
				line = lineOf(k)
			}
			parts = append(parts, string(k.Data))
		}
		return parts, line
	}
	var keyValue func(n *unstable.Node, prefix string)
	var value func(v *unstable.Node, path string, line int)
	value = func(v *unstable.Node, path string, line int) {
		switch v.Kind {
		case unstable.InlineTable:
			it := v.Children()
			for it.Next() {
				keyValue(it.Node(), path)
			}
		case unstable.Array:
			it := v.Children()
			for i := 0; it.Next(); i++ {
				lines[fieldPath(path, strconv.Itoa(i))] = line
				value(it.Node(), fieldPath(path, strconv.Itoa(i)), line)
			}
		}
	}
	keyValue = func(n *unstable.Node, prefix string) {
		parts, line := keyParts(n)
		path := prefix
		for _, k := range parts {
			path = fieldPath(path, k)
			if _, ok := lines[path]; !ok {
				lines[path] = line
			}
		}
		value(n.Value(), path, line)
	}
	prefix := ""
	for p.NextExpression() {
		e := p.Expression()
		switch e.Kind {
		case unstable.Table:
			parts, line := keyParts(e)
			prefix = resolve(parts)
			if _, ok := lines[prefix]; !ok {
				lines[prefix] = line
			}
		case unstable.ArrayTable:
			parts, line := keyParts(e)
			base := resolve(parts[:len(parts)-1])
			arr := fieldPath(base, parts[len(parts)-1])
			if _, ok := lines[arr]; !ok {
				lines[arr] = line
			}
			counts[arr]++
			prefix = fieldPath(arr, strconv.Itoa(counts[arr]-1))
			lines[prefix] = line
		case unstable.KeyValue:
			keyValue(e, prefix)
		}
	}
	return lines
}
