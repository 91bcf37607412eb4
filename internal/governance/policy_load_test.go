package governance

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/towerops/tower/internal/proposal"
)

// Every problem of every file is reported at once, each naming the file,
// the line, the field and the reason.
func TestLoadErrorsNameFileLineAndField(t *testing.T) {
	cases := []struct {
		name  string
		files map[string]string
		want  []string
	}{
		{"yaml problems", map[string]string{"a.yaml": `rules:
  - id: one
    when: action.records > 10
    effect: alow
  - id: two
    when: action.recrods > 10
    effect: deny
    colour: red
  - id: three
    when: action.records > "x"
    effect: deny
  - id: four
    when: action.records
    effect: deny
freeze:
  - {name: Backwards, from: 2026-05-02, to: 2026-05-01}
autonomy:
  defaults: {tagg: auto, notify: sometimes}
  promote: {no_undo_for: 3 weeks}
caps:
  skills: {s: {records_per_run: -1}}
approvals: {roles: [boss], on_timeout: later}
colours: []
`}, []string{
			`a.yaml:4: rules[0].effect: unknown effect "alow"`,
			`a.yaml:6: rule two: when: 1:7: undeclared reference to 'action.recrods' (did you mean 'action.records'?)`,
			`a.yaml:8: rules[1].colour: unknown field`,
			`a.yaml:10: rule three: when: 1:16: found no matching overload for '_>_' applied to '(int, string)'`,
			`a.yaml:13: rule four: when: the condition must give true or false`,
			`a.yaml:16: freeze[0].to: the window ends (2026-05-01 00:00) before it starts`,
			`a.yaml:18: autonomy.defaults.tagg: unknown action kind "tagg"`,
			`a.yaml:18: autonomy.defaults.notify: unknown autonomy level "sometimes"`,
			`a.yaml:19: autonomy.promote.no_undo_for: "3 weeks" is not a duration`,
			`a.yaml:21: caps.skills.s.records_per_run: must not be negative`,
			`a.yaml:22: approvals.roles[0]: unknown role "boss"`,
			`a.yaml:22: approvals.on_timeout: unknown "later": use expire or deny`,
			`a.yaml:23: colours: unknown field`,
		}},
		{"across files", map[string]string{
			"a.yaml": "rules:\n  - {id: same, when: 'true', effect: deny}\nbreaker: {undos: 3}\n",
			"b.yaml": "\n\nrules:\n  - {id: same, when: 'true', effect: allow}\nbreaker: {undos: 4}\n",
		}, []string{
			`b.yaml:4: rules[0].id: rule id "same" is used twice: here and at a.yaml:2`,
			`b.yaml:5: breaker: already defined at a.yaml:3`,
		}},
		{"toml problems", map[string]string{"p.toml": `[[rules]]
id = "one"
when = "action.records > 10"
effect = "deny"

[[rules]]
id = "two"
when = "action.people > 'x'"
effect = "maybe"

[autonomy.defaults]
notify = "loud"

[[freeze]]
name = "Launch"
from = 2026-05-02T00:00:00Z
to = 2026-05-02T00:00:00Z
`}, []string{
			`p.toml:8: rule two: when: 1:15: found no matching overload`,
			`p.toml:9: rules[1].effect: unknown effect "maybe"`,
			`p.toml:12: autonomy.defaults.notify: unknown autonomy level "loud"`,
			`p.toml:17: freeze[0].to: the window ends`,
		}},
		{"syntax", map[string]string{"bad.yaml": "rules:\n  - id: x\n\twhen: y\n", "bad.toml": "a = 1\nrules = [\n"}, []string{
			`bad.yaml:2: not valid YAML: found a tab character`, `bad.toml:2: not valid TOML`,
		}},
		{"required fields", map[string]string{"r.yaml": "rules:\n  - description: nothing else\n  - {id: x, when: 'true', effect: allow, approval: {count: 2}}\n"}, []string{
			`r.yaml:2: rules[0].id: required`, `r.yaml:2: rules[0].when: required`, `r.yaml:2: rules[0].effect: required`,
			`r.yaml:3: rules[1].approval: only a require_approval rule can say who approves`,
		}},
		{"unknown kind in a condition", map[string]string{"k.yaml": "rules:\n  - id: k\n    when: action.kind in ['tag', 'emial'] && action.records > 1\n    effect: deny\n"}, []string{
			`k.yaml:3: rule k: when: the condition compares action.kind with "emial": unknown action kind`,
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			files := map[string][]byte{}
			for k, v := range c.files {
				files[k] = []byte(v)
			}
			_, err := ParsePack(files)
			if err == nil {
				t.Fatal("no error")
			}
			for _, w := range c.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("missing %q in:\n%v", w, err)
				}
			}
		})
	}
}

// One pack written in TOML reads like the same pack in YAML, with the
// lines of its own rules.
func TestTOMLPackMatchesYAML(t *testing.T) {
	yamlPack := polPack(t, map[string]string{"p.yaml": `rules:
  - id: big
    description: Big changes
    when: action.records > 100
    effect: require_approval
    reason: Big.
    approval: {roles: [approver], count: 2, segregation_of_duties: true, sla: 2d, escalate: [{roles: [admin], sla: 8h}, {users: [head]}], on_timeout: deny}
  - id: never
    when: action.kind == "cut_license_seats"
    effect: deny
freeze:
  - {name: Launch, from: 2026-05-01T00:00:00Z, to: 2026-05-02T00:00:00Z}
autonomy:
  defaults: {notify: auto}
  skills: {stale-consent: {tag: approve}}
  promote: {after: 20, no_undo_for: 30d, from: approve, to: auto, except: [merge_people]}
  demote_on: [undo]
caps:
  default: {records_per_run: 5000, system_pct: 10}
breaker: {window: 24h, min_decided: 10, reject_rate: 0.5}
approvals: {roles: [approver], sla: 24h}
`})
	tomlPack := polPack(t, map[string]string{"p.toml": `# the same pack
[[rules]]
id = "big"
description = "Big changes"
when = "action.records > 100"
effect = "require_approval"
reason = "Big."
[rules.approval]
roles = ["approver"]
count = 2
segregation_of_duties = true
sla = "2d"
escalate = [{roles = ["admin"], sla = "8h"}, {users = ["head"]}]
on_timeout = "deny"

[[rules]]
id = "never"
when = 'action.kind == "cut_license_seats"'
effect = "deny"

[[freeze]]
name = "Launch"
from = 2026-05-01T00:00:00Z
to = 2026-05-02T00:00:00Z

[autonomy]
defaults = {notify = "auto"}
skills = {stale-consent = {tag = "approve"}}
promote = {after = 20, no_undo_for = "30d", from = "approve", to = "auto", except = ["merge_people"]}
demote_on = ["undo"]

[caps.default]
records_per_run = 5000
system_pct = 10

[breaker]
window = "24h"
min_decided = 10
reject_rate = 0.5

[approvals]
roles = ["approver"]
sla = "24h"
`})
	if got := []string{tomlPack.Rules[0].Source, tomlPack.Rules[1].Source}; !reflect.DeepEqual(got, []string{"p.toml:3", "p.toml:17"}) {
		t.Errorf("TOML rule sources %v", got)
	}
	for i := range yamlPack.Rules {
		yamlPack.Rules[i].Source, tomlPack.Rules[i].Source = "", ""
	}
	yamlPack.Files, tomlPack.Files = nil, nil
	yamlPack.compiled, tomlPack.compiled = nil, nil
	if !reflect.DeepEqual(yamlPack, tomlPack) {
		t.Fatalf("YAML and TOML packs differ:\n%+v\n%+v", yamlPack, tomlPack)
	}
	want := ApprovalPlan{Roles: []string{"approver"}, Count: 2, SegregationOfDuties: true, SLA: 48 * time.Hour,
		Escalate: []EscalationLevel{{Roles: []string{"admin"}, SLA: 8 * time.Hour}, {Users: []string{"head"}}}, OnTimeout: "deny"}
	if !reflect.DeepEqual(yamlPack.Rules[0].Approval, want) {
		t.Fatalf("approval %+v", yamlPack.Rules[0].Approval)
	}
	if yamlPack.Autonomy.Promote.NoUndoFor != 30*24*time.Hour || yamlPack.Autonomy.Skills["stale-consent"][proposal.Tag] != Approve {
		t.Fatalf("autonomy %+v", yamlPack.Autonomy)
	}
}

func TestLoadPackFromFolder(t *testing.T) {
	// A missing folder gives the default pack.
	p, err := LoadPack(filepath.Join(t.TempDir(), "policies"))
	if err != nil || len(p.Rules) != 7 || p.Rules[0].ID != "consent.email" {
		t.Fatalf("default pack: %v %v", p, err)
	}
	// A folder's YAML and TOML files are read; tests/ and other files are not.
	dir := t.TempDir()
	write := func(name, s string) {
		if err := os.MkdirAll(filepath.Dir(filepath.Join(dir, name)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("a.yaml", "rules:\n  - {id: a, when: 'true', effect: allow}\n")
	write("b.toml", "[[rules]]\nid = 'b'\nwhen = 'false'\neffect = 'deny'\n")
	write("notes.md", "not a policy")
	write("tests/cases.yaml", "cases: []\n")
	p, err = LoadPack(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Rules) != 2 || p.Rules[0].ID != "a" || p.Rules[1].ID != "b" || p.Rules[1].Source != filepath.Join(dir, "b.toml")+":2" {
		t.Fatalf("rules %+v", p.Rules)
	}
}

// The kind prefilter skips rules without changing any decision: for every
// kind and a spread of actions, the filtered and the unfiltered pack agree.
func TestKindPrefilterChangesNothing(t *testing.T) {
	p := polPack(t, map[string]string{"p.yaml": `rules:
  - {id: eq, when: 'action.kind == "tag" && action.records > 2', effect: deny}
  - {id: eq-rev, when: '"notify" == action.kind', effect: require_approval}
  - {id: in, when: 'action.kind in ["merge_people", "unmerge_people"] && action.people > 3', effect: deny}
  - {id: or, when: '(action.kind == "suppress" || action.kind == "unsuppress") && action.records > 1', effect: deny}
  - {id: or-open, when: 'action.kind == "suppress" || action.records > 4', effect: require_approval}
  - {id: and-both, when: 'action.kind in ["tag", "notify"] && action.kind in ["notify", "suppress"]', effect: deny}
  - {id: not, when: '!(action.kind == "tag")', effect: require_approval}
  - {id: err, when: 'action.kind == "shift_budget" && action.records / action.people > 1', effect: deny}
  - {id: open-err, when: 'action.records / action.people > 1 && action.kind == "shift_budget"', effect: deny}
`})
	wantKinds := map[string][]string{"eq": {"tag"}, "eq-rev": {"notify"}, "in": {"merge_people", "unmerge_people"},
		"or": {"suppress", "unsuppress"}, "or-open": nil, "and-both": {"notify"}, "not": nil, "err": {"shift_budget"}, "open-err": {"shift_budget"}}
	for _, cr := range p.compiled.rules {
		if !reflect.DeepEqual(cr.kinds, wantKinds[cr.rule.ID]) {
			t.Errorf("%s: kinds %v, want %v", cr.rule.ID, cr.kinds, wantKinds[cr.rule.ID])
		}
	}
	unfiltered := *p.compiled
	unfiltered.byKind = map[string][]*compiledRule{}
	kinds := append([]string{"not_a_kind"}, func() (out []string) {
		for _, k := range proposal.Kinds() {
			out = append(out, string(k))
		}
		return
	}()...)
	for _, k := range kinds {
		for records := 0; records < 7; records++ {
			for people := 0; people < 6; people++ {
				v := polVars(k, Auto, func(a *ActionVars) { a.Records, a.People = records, people })
				got := p.compiled.match(nil, 0, &v)
				want := unfiltered.match(nil, 0, &v)
				if !reflect.DeepEqual(got, want) {
					t.Fatalf("%s records=%d people=%d: filtered %v, unfiltered %v", k, records, people, got, want)
				}
			}
		}
	}
}

func TestDefaultPackTestsPass(t *testing.T) {
	p := polDefaultPack(t)
	files := map[string][]byte{}
	for n, b := range DefaultPackFiles() {
		if isTestFile(n) {
			files[n] = b
		}
	}
	res, err := RunPolicyTestFiles(p, files)
	if err != nil {
		t.Fatal(err)
	}
	covered := map[string]bool{}
	for _, r := range res {
		if !r.Pass {
			t.Errorf("%s %s: %s", r.Source, r.Name, r.Reason)
		}
		for _, id := range r.WantRules {
			covered[id] = true
		}
	}
	for _, r := range p.Rules {
		if !covered[r.ID] && r.ID != "freeze.sends" { // the default pack has no freeze window; TestDefaultPackRules covers it
			t.Errorf("rule %s has no test case in the default pack's tests", r.ID)
		}
	}
}

func TestPolicyTestsReportFailuresAndFileErrors(t *testing.T) {
	p := polDefaultPack(t)
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "t.yaml"), []byte(`cases:
  - name: wrongly expects allow
    action: {kind: tag, records: 9000}
    agent: {autonomy: auto}
    expect: allow
  - name: expects a rule that does not match
    action: {kind: tag, records: 10}
    expect: require_approval
    rules: [records.large]
  - name: passes
    actions:
      - {kind: tag, records: 10, autonomy: auto}
      - {kind: notify}
    expect: allow
  - name: broken
    action: {kind: tagg, recods: 3}
    agent: {autonomy: sometimes}
    expect: maybe
  - action: {kind: tag}
`), 0o644); err != nil {
		t.Fatal(err)
	}
	res, err := RunPolicyTests(p, dir)
	if len(res) != 3 {
		t.Fatalf("results %+v", res)
	}
	if res[0].Pass || !strings.Contains(res[0].Reason, "expected allow, got require_approval") || res[0].Source != filepath.Join(dir, "t.yaml")+":2" {
		t.Errorf("case 1: %+v", res[0])
	}
	if res[1].Pass || !strings.Contains(res[1].Reason, "expected rule(s) records.large to match") {
		t.Errorf("case 2: %+v", res[1])
	}
	if !res[2].Pass {
		t.Errorf("case 3: %+v", res[2])
	}
	for _, w := range []string{`t.yaml:16: cases[3].actions[0].kind: unknown action kind "tagg"`, `t.yaml:16: cases[3].actions[0].recods: unknown field`,
		`t.yaml:17: cases[3].agent.autonomy: unknown autonomy level`, `t.yaml:18: cases[3].expect: unknown effect "maybe"`,
		`t.yaml:19: cases[4].name: required`, `t.yaml:19: cases[4].expect: required`} {
		if err == nil || !strings.Contains(err.Error(), w) {
			t.Errorf("missing %q in %v", w, err)
		}
	}
	if res, err := RunPolicyTests(p, filepath.Join(dir, "none")); res != nil || err != nil {
		t.Fatalf("a missing folder: %v %v", res, err)
	}
}
