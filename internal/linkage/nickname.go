package linkage

import (
	_ "embed"
	"strings"
)

// nicknames.txt is a small hand-kept table of formal names and their
// diminutives. Edit distance and phonetic codes cannot equate Bill and
// William, so a shared group is its own comparison level with its own m
// and u rather than a kind of equality: the mapping is many-to-many and
// ambiguous (ron may be Aaron, Ronald or Veronica).
//
//go:embed nicknames.txt
var nicknameTable string

// nicknameGroups maps a lower-case name to the groups it belongs to.
type nicknameGroups map[string][]uint16

func loadNicknames() nicknameGroups {
	g := nicknameGroups{}
	var id uint16
	for _, line := range strings.Split(nicknameTable, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || line[0] == '#' {
			continue
		}
		id++
		for _, n := range strings.Fields(line) {
			g[n] = append(g[n], id)
		}
	}
	return g
}

// same reports whether a and b share a nickname group.
func (g nicknameGroups) same(a, b string) bool {
	ga, gb := g[a], g[b]
	for _, x := range ga {
		for _, y := range gb {
			if x == y {
				return true
			}
		}
	}
	return false
}
