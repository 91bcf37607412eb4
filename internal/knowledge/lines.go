package knowledge

import (
	"strconv"

	"github.com/pelletier/go-toml/v2/unstable"
)

// keyLines maps every key path of a TOML document to the line of its key,
// so a problem can point at the line a person has to edit. Elements of
// arrays of tables get their header's line ("product.2"); go-toml's
// decoder keeps no positions, hence this second pass over its parser.
// dup is the line of the first key or [table] written twice (0: none):
// go-toml reports that mistake without a position.
func keyLines(b []byte) (lines map[string]int, dup int) {
	lines = map[string]int{}
	defined := map[string]bool{} // paths given a value or a [table] header
	counts := map[string]int{}   // array-of-tables path → elements so far
	var p unstable.Parser
	p.Reset(b)
	lineOf := func(n *unstable.Node) int { return p.Shape(n.Raw).Start.Line }
	// resolve turns header keys into a path, indexing arrays of tables.
	resolve := func(keys []string) string {
		path := ""
		for _, k := range keys {
			path = joinPath(path, k)
			if c, ok := counts[path]; ok {
				path = joinPath(path, strconv.Itoa(c-1))
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
				elem := joinPath(path, strconv.Itoa(i))
				lines[elem] = line
				if n := it.Node(); n.Raw.Length > 0 {
					lines[elem] = lineOf(n) // one element a line in a long list
				}
				value(it.Node(), elem, lines[elem])
			}
		}
	}
	keyValue = func(n *unstable.Node, prefix string) {
		parts, line := keyParts(n)
		path := prefix
		for _, k := range parts {
			path = joinPath(path, k)
			if _, ok := lines[path]; !ok {
				lines[path] = line
			}
		}
		if defined[path] && dup == 0 {
			dup = line
		}
		defined[path] = true
		value(n.Value(), path, line)
	}
	prefix := ""
	for p.NextExpression() {
		e := p.Expression()
		switch e.Kind {
		case unstable.Table:
			parts, line := keyParts(e)
			prefix = resolve(parts)
			if defined[prefix] && dup == 0 {
				dup = line
			}
			defined[prefix] = true
			if _, ok := lines[prefix]; !ok {
				lines[prefix] = line
			}
		case unstable.ArrayTable:
			parts, line := keyParts(e)
			base := resolve(parts[:len(parts)-1])
			arr := joinPath(base, parts[len(parts)-1])
			if _, ok := lines[arr]; !ok {
				lines[arr] = line
			}
			counts[arr]++
			prefix = joinPath(arr, strconv.Itoa(counts[arr]-1))
			lines[prefix] = line
		case unstable.KeyValue:
			keyValue(e, prefix)
		}
	}
	return lines, dup
}

func joinPath(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}
