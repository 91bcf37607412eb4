package governance

import (
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"

	"cel.dev/cel-go/cel"
	"cel.dev/cel-go/common/cost"

	"github.com/towerops/tower/internal/proposal"
)

// RuleCostLimit bounds the work one rule may do on one action (CEL cost
// units, roughly one per operation). A rule that would go over it — say a
// comprehension nested over long lists — stops with an error instead of
// hanging the decision; Decide then holds the proposal for approval.
// Rules whose worst case the checker can bound under the limit run without
// the (slower) cost tracking, with the same result.
const RuleCostLimit = 100_000

// compiledRules is the compiled form of a pack's rules.
type compiledRules struct {
	rules []compiledRule
	// byKind lists, per action kind, the rules that can match it, in pack
	// order; kinds not listed use all.
	byKind map[string][]*compiledRule
	all    []*compiledRule
}

// compiledRule is one rule ready to run.
type compiledRule struct {
	rule  *Rule
	index int
	prg   cel.Program
	// kinds, when set, are the only action kinds the rule can match: its
	// condition requires action.kind to be one of them (see prefilter).
	kinds []string
}

// Compile type-checks and compiles every rule. Every problem is reported,
// each naming the rule's FILE:LINE and the CEL message.
func (p *Pack) Compile() error { return p.compile(nil) }

// compile compiles the rules; whenAt, when known, is the "FILE:LINE" of
// each rule's condition, where CEL errors point.
func (p *Pack) compile(whenAt []string) error {
	env, err := policyEnv()
	if err != nil {
		return fmt.Errorf("governance: building the policy language: %w", err)
	}
	c := &compiledRules{byKind: map[string][]*compiledRule{}}
	c.rules = make([]compiledRule, len(p.Rules))
	var errs []error
	for i := range p.Rules {
		r := &p.Rules[i]
		if r.When == "" && whenAt != nil {
			continue // ParsePack already said it is required
		}
		cr, err := compileRule(env, r)
		if err != nil {
			at := r.Source
			if i < len(whenAt) && whenAt[i] != "" {
				at = whenAt[i]
			}
			errs = append(errs, fmt.Errorf("%s: rule %s: when: %w", at, r.ID, err))
			continue
		}
		cr.index = i
		c.rules[i] = cr
	}
	if len(errs) > 0 {
		return errors.Join(errs...)
	}
	for i := range c.rules {
		c.all = append(c.all, &c.rules[i])
	}
	for _, k := range proposal.Kinds() {
		for i := range c.rules {
			cr := &c.rules[i]
			if cr.kinds == nil || hasString(cr.kinds, string(k)) {
				c.byKind[string(k)] = append(c.byKind[string(k)], cr)
			}
		}
	}
	p.compiled = c
	return nil
}

// policyEnv is the one CEL environment, built once: it is immutable and
// safe to share.
var policyEnv = sync.OnceValues(newEnv)

func compileRule(env *cel.Env, r *Rule) (compiledRule, error) {
	ast, iss := env.Compile(r.When)
	if iss.Err() != nil {
		return compiledRule{}, errors.New(celMessage(iss.Err().Error()))
	}
	if !ast.OutputType().IsExactType(cel.BoolType) {
		return compiledRule{}, fmt.Errorf("the condition must give true or false, but %q gives %s", r.When, ast.OutputType())
	}
	kinds, restricted := prefilter(ast.NativeRep())
	if restricted {
		for _, k := range kinds {
			if _, err := proposal.ParseKind(k); err != nil {
				return compiledRule{}, fmt.Errorf("the condition compares action.kind with %q: %w", k, err)
			}
		}
		sort.Strings(kinds)
		if kinds == nil {
			kinds = []string{}
		}
	} else {
		kinds = nil
	}
	var opts []cel.ProgramOption
	est, err := env.EstimateCost(ast, sizeEstimator{})
	if err != nil || est.Max > RuleCostLimit {
		opts = append(opts, cel.CostLimit(RuleCostLimit))
	}
	prg, err := env.Program(ast, opts...)
	if err != nil {
		return compiledRule{}, err
	}
	return compiledRule{rule: r, prg: prg, kinds: kinds}, nil
}

// celMessage makes a CEL message read well after "when:": CEL names the
// expression "<input>" and starts with "ERROR: ".
func celMessage(s string) string {
	s = strings.ReplaceAll(s, "ERROR: <input>:", "")
	s = strings.ReplaceAll(s, "\n", "\n    ")
	return s
}

// sizeEstimator lets the checker assume nothing about list sizes: a rule
// that iterates over action.fields is tracked at run time.
type sizeEstimator struct{}

func (sizeEstimator) EstimateSize(cost.AstNode) *cost.SizeEstimate { return nil }

func (sizeEstimator) EstimateCallCost(string, string, *cost.AstNode, []cost.AstNode) *cost.CallEstimate {
	return nil
}
