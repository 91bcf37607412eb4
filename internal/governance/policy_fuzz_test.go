package governance

import (
	"strings"
	"testing"
)

// FuzzParsePack feeds policy files, YAML and TOML, to the loader: it must
// never panic, and a pack it accepts must decide without error.
func FuzzParsePack(f *testing.F) {
	for _, b := range DefaultPackFiles() {
		f.Add(string(b), false)
	}
	f.Add("rules:\n  - {id: x, when: 'action.records > 1', effect: deny}\n", false)
	f.Add("rules:\n  - id: x\n    when: action.recrods\n    effect: alow\n", false)
	f.Add("freeze:\n  - {name: a, from: 2026-05-02, to: 2026-05-01}\nautonomy: {defaults: {tag: loud}}\n", false)
	f.Add("rules: 3\ncaps: [1]\nbreaker: {window: 3 weeks}\n", false)
	f.Add("[[rules]]\nid = 'x'\nwhen = 'action.kind == \"tag\"'\neffect = 'deny'\n[autonomy.defaults]\nnotify = 'auto'\n", true)
	f.Add("[[rules]]\nid = 1\n[rules.approval]\nescalate = [{roles = ['boss']}]\n", true)
	f.Add("a = [\n", true)
	f.Fuzz(func(t *testing.T, src string, isTOML bool) {
		name := "p.yaml"
		if isTOML {
			name = "p.toml"
		}
		p, err := ParsePack(map[string][]byte{name: []byte(src)})
		if err != nil {
			if !strings.Contains(err.Error(), name+":") {
				t.Fatalf("error without its file: %v", err)
			}
			return
		}
		v := polVars("tag", Approve, nil)
		if _, err := p.Decide(DecideInput{Vars: []Vars{v}, Now: polMonday}); err != nil {
			t.Fatalf("an accepted pack failed to decide: %v", err)
		}
	})
}
