package briefing

import (
	"strings"

	"github.com/pelletier/go-toml/v2/unstable"
)

// positions maps a setting's dotted path ("people.maria.channels",
// "smtp") to the line it is written on, so checks made after decoding
// (a channel without its settings, a person who is no user) can name the
// line like decoding errors do.
type positions map[string]int

// line is where key is written; 0 when it is not.
func (p positions) line(key string) int { return p[key] }

// indexPositions reads the table headers and keys of a TOML document that
// already decoded without error.
func indexPositions(b []byte) positions {
	pos := positions{}
	var parser unstable.Parser
	parser.Reset(b)
	var table []string
	for parser.NextExpression() {
		e := parser.Expression()
		switch e.Kind {
		case unstable.Table, unstable.ArrayTable:
			keys, line := keyPath(&parser, e)
			table = keys
			pos.add(keys, line)
		case unstable.KeyValue:
			keys, line := keyPath(&parser, e)
			pos.add(append(append([]string{}, table...), keys...), line)
		}
	}
	return pos
}

func keyPath(p *unstable.Parser, e *unstable.Node) ([]string, int) {
	var keys []string
	line := 0
	it := e.Key()
	for it.Next() {
		n := it.Node()
		keys = append(keys, string(n.Data))
		if line == 0 {
			line = p.Shape(p.Range(n.Data)).Start.Line
		}
	}
	return keys, line
}

func (p positions) add(keys []string, line int) {
	for i := 1; i <= len(keys); i++ {
		k := strings.Join(keys[:i], ".")
		if _, ok := p[k]; !ok {
			p[k] = line
		}
	}
}
