package governance

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/towerops/tower/internal/proposal"
)

// Policy tests keep a team's guardrails tested in its own CI. A test file
// (policies/tests/*.yaml, .yml or .toml) lists cases:
//
//	cases:
//	  - name: no e-mail without consent
//	    action: {kind: notify, emails_people: true, without_consent: 3}
//	    proposal: {skill: campaign-watch, confidence: 0.9}
//	    agent: {name: watch, owner: dana, autonomy: auto}
//	    actor: agent:watch
//	    now: 2026-11-27T10:00:00Z
//	    expect: deny
//	    rules: [consent.email]
//
// action takes the fields rules see (action.records → records); several
// actions go in "actions" (a list), each may set its own "autonomy". An
// agent without autonomy gets the pack's level for the skill and kind.
// rules, when given, must all be among the matched rule ids.

// PolicyTestResult is the outcome of one case.
type PolicyTestResult struct {
	Name   string          `json:"name"`
	Source string          `json:"source"` // FILE:LINE of the case
	Pass   bool            `json:"pass"`
	Want   proposal.Effect `json:"want"`
	Got    proposal.Effect `json:"got"`
	// WantRules are the rule ids the case expects to match.
	WantRules []string `json:"want_rules,omitempty"`
	Rules     []string `json:"rules"`  // the ids that matched
	Reason    string   `json:"reason"` // why it failed, or the decision's reason
}

// RunPolicyTests runs every test file in dir against p. A missing dir has
// no tests. Problems in test files are returned, each with FILE:LINE,
// alongside the results of the cases that could run.
func RunPolicyTests(p *Pack, dir string) ([]PolicyTestResult, error) {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("reading the policy tests folder: %w", err)
	}
	files := map[string][]byte{}
	for _, e := range entries {
		if e.IsDir() || !policyFile(e.Name()) {
			continue
		}
		name := filepath.Join(dir, e.Name())
		if files[name], err = os.ReadFile(name); err != nil {
			return nil, fmt.Errorf("reading policy tests: %w", err)
		}
	}
	return RunPolicyTestFiles(p, files)
}

// RunPolicyTestFiles runs the cases of files (name → content), in name
// order; the default pack's own tests run this way.
func RunPolicyTestFiles(p *Pack, files map[string][]byte) ([]PolicyTestResult, error) {
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	sort.Strings(names)
	var out []PolicyTestResult
	var errs []error
	for _, name := range names {
		d := &decoder{file: name}
		if root := d.parseFile(name, files[name]); root != nil {
			d.fields(root, "", []string{"cases"}, func(_ string, _, v *yaml.Node) {
				for i, n := range d.list(v, "cases") {
					if c, ok := d.testCase(n, fmt.Sprintf("cases[%d]", i), p); ok {
						out = append(out, c.run(p))
					}
				}
			})
		}
		errs = append(errs, d.errs...)
	}
	return out, errors.Join(errs...)
}

// policyCase is one decoded case.
type policyCase struct {
	name   string
	source string
	in     DecideInput
	want   proposal.Effect
	rules  []string
}

func (c policyCase) run(p *Pack) PolicyTestResult {
	r := PolicyTestResult{Name: c.name, Source: c.source, Want: c.want, WantRules: c.rules}
	d, err := p.Decide(c.in)
	if err != nil {
		r.Reason = err.Error()
		return r
	}
	r.Got, r.Rules, r.Reason = d.Effect, d.Rules, d.Reason
	var missing []string
	for _, id := range c.rules {
		if !hasString(d.Rules, id) {
			missing = append(missing, id)
		}
	}
	switch {
	case d.Effect != c.want:
		r.Reason = fmt.Sprintf("expected %s, got %s (matched %s: %s)", c.want, d.Effect, strings.Join(d.Rules, ", "), d.Reason)
	case len(missing) > 0:
		r.Reason = fmt.Sprintf("expected rule(s) %s to match; matched %s", strings.Join(missing, ", "), strings.Join(d.Rules, ", "))
	default:
		r.Pass = true
	}
	return r
}

var caseFields = []string{"name", "action", "actions", "proposal", "agent", "actor", "now", "expect", "rules"}

func (d *decoder) testCase(n *yaml.Node, path string, p *Pack) (policyCase, bool) {
	before := len(d.errs)
	c := policyCase{source: d.at(n)}
	var base Vars
	var actions []*yaml.Node
	var expectNode *yaml.Node
	d.fields(n, path, caseFields, func(key string, k, v *yaml.Node) {
		f := fieldPath(path, key)
		switch key {
		case "name":
			c.name = d.str(v, f)
		case "action":
			actions = append(actions, v)
		case "actions":
			actions = append(actions, d.list(v, f)...)
		case "proposal":
			d.celStruct(v, f, reflect.ValueOf(&base.Proposal).Elem(), nil)
		case "agent":
			d.celStruct(v, f, reflect.ValueOf(&base.Agent).Elem(), func(key string, val *yaml.Node) bool {
				if key == "autonomy" {
					base.Agent.Autonomy = string(d.level(val, fieldPath(f, key)))
					return true
				}
				return false
			})
		case "actor":
			base.Actor = d.str(v, f)
		case "now":
			base.Now = d.timestamp(v, f)
		case "expect":
			expectNode = v
			e, err := effectOfName(d.str(v, f))
			if err != nil {
				d.errf(v, f, "%v", err)
			}
			c.want = e
		case "rules":
			c.rules = d.strs(v, f)
		}
	})
	if n.Kind != yaml.MappingNode {
		return c, false
	}
	if c.name == "" {
		d.errf(n, fieldPath(path, "name"), "required: say what the case checks")
	}
	if expectNode == nil {
		d.errf(n, fieldPath(path, "expect"), "required: allow, require_approval or deny")
	}
	if len(actions) == 0 {
		d.errf(n, fieldPath(path, "action"), "required: the action to decide (or actions: a list)")
	}
	if base.Now.IsZero() {
		base.Now = time.Date(2026, 1, 5, 10, 0, 0, 0, time.UTC) // a quiet Monday
	}
	if base.Actor == "" && base.Agent.Name != "" {
		base.Actor = "agent:" + base.Agent.Name
	}
	c.in.Now = base.Now
	base.Proposal.Actions = len(actions)
	for i, an := range actions {
		v := base
		var level string
		d.celStruct(an, fmt.Sprintf("%s.actions[%d]", path, i), reflect.ValueOf(&v.Action).Elem(), func(key string, val *yaml.Node) bool {
			if key != "autonomy" {
				return false
			}
			level = string(d.level(val, fmt.Sprintf("%s.actions[%d].autonomy", path, i)))
			return true
		})
		if kind, err := proposal.ParseKind(v.Action.Kind); err != nil {
			d.errf(an, fmt.Sprintf("%s.actions[%d].kind", path, i), "%v", err)
		} else if level == "" && v.Agent.Autonomy == "" {
			level = string(packLevel(p, v.Proposal.Skill, kind))
		}
		if level != "" {
			v.Agent.Autonomy = level
		}
		c.in.Vars = append(c.in.Vars, v)
	}
	return c, len(d.errs) == before
}

// packLevel is the configured level of a skill's kind in p: the skill's
// own, else the pack's default, else Tower's, else approve.
func packLevel(p *Pack, skill string, kind proposal.Kind) Level {
	if l, ok := p.Autonomy.Skills[skill][kind]; ok {
		return l
	}
	if l, ok := p.Autonomy.Defaults[kind]; ok {
		return l
	}
	if l, ok := DefaultLevels[kind]; ok {
		return l
	}
	return Approve
}

// celStruct fills a Vars struct from a mapping whose keys are the struct's
// cel names; extra, when set, may claim keys of its own.
func (d *decoder) celStruct(n *yaml.Node, path string, v reflect.Value, extra func(key string, val *yaml.Node) bool) {
	if n.Kind != yaml.MappingNode {
		d.errf(n, path, "expected a set of fields")
		return
	}
	t := v.Type()
	var names []string
	byName := map[string]int{}
	for i := 0; i < t.NumField(); i++ {
		if tag := t.Field(i).Tag.Get("cel"); tag != "" {
			names = append(names, tag)
			byName[tag] = i
		}
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, val := n.Content[i], n.Content[i+1]
		f := fieldPath(path, k.Value)
		if extra != nil && extra(k.Value, val) {
			continue
		}
		idx, ok := byName[k.Value]
		if !ok {
			d.errf(k, f, "unknown field: use %s", strings.Join(names, ", "))
			continue
		}
		fv := v.Field(idx)
		switch fv.Kind() {
		case reflect.String:
			fv.SetString(d.str(val, f))
		case reflect.Bool:
			fv.SetBool(d.boolean(val, f))
		case reflect.Int, reflect.Int64:
			fv.SetInt(int64(d.integer(val, f)))
		case reflect.Float64:
			fv.SetFloat(d.number(val, f))
		case reflect.Slice:
			fv.Set(reflect.ValueOf(d.strs(val, f)))
		case reflect.Struct:
			d.celStruct(val, f, fv, nil)
		default:
			d.errf(k, f, "cannot be set in a test case")
		}
	}
}
