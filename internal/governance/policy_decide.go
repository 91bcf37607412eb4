package governance

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"cel.dev/cel-go/common/types"

	"github.com/towerops/tower/internal/proposal"
)

// DecideInput is everything the pure decision needs: the rule variables
// of each action (Vars[i] for action i, with Agent.Autonomy set to the
// level for that action's kind) and matches found outside the rules (caps).
// Now is when the decision is made; an action's Vars.Now, when zero, is
// set to it. Calendar is always filled from the pack's freeze windows.
type DecideInput struct {
	Vars  []Vars
	Extra []proposal.Match
	Now   time.Time
}

// Calendar says whether t is in one of the pack's freeze windows (from
// inclusive, to exclusive) and, if so, which.
func (p *Pack) Calendar(t time.Time) CalendarVars {
	for _, w := range p.Freeze {
		if !t.Before(w.From) && t.Before(w.To) {
			return CalendarVars{InFreeze: true, Freeze: w.Name}
		}
	}
	return CalendarVars{}
}

// Decide combines, for a whole proposal, the matching rules of every
// action, the autonomy level of every action and the extra matches into
// one decision: the strictest effect (deny > require_approval > allow),
// every matched rule id, the reasons and the inputs. Approvers are left
// for PlanFor.
//
// Autonomy is one more source of matches, never a way around a rule: a
// rule's deny or require_approval wins over auto, and a rule's allow does
// not loosen an approve or off level.
//
// A rule that fails while running (its cost limit, an overflow, a division
// by zero) does not fail the decision: it counts as a require_approval
// match whose reason says the rule failed, so a person looks at it. A
// broken guardrail holds work back; it never lets it through.
func (p *Pack) Decide(in DecideInput) (proposal.Decision, error) {
	if p.compiled == nil {
		if err := p.Compile(); err != nil {
			return proposal.Decision{}, err
		}
	}
	d := proposal.Decision{Effect: proposal.EffectAllow, DecidedAt: in.Now.UTC()}
	strictest := AutoSilent
	matched := make([]proposal.Match, 0, 2*len(in.Vars)+len(in.Extra))
	d.Inputs = make([]proposal.Inputs, 0, len(in.Vars))
	for i := range in.Vars {
		v := in.Vars[i] // a copy: the caller's Vars stay as given
		if v.Now.IsZero() {
			v.Now = in.Now
		}
		v.Calendar = p.Calendar(v.Now)
		level, err := levelOf(v.Agent.Autonomy)
		if err != nil {
			return proposal.Decision{}, fmt.Errorf("action %d (%s): %w", i, v.Action.Kind, err)
		}
		if rank(level) < rank(strictest) {
			strictest = level
		}
		matched = append(matched, autonomyMatch(i, &v, level))
		matched = p.compiled.match(matched, i, &v)
		d.Inputs = append(d.Inputs, inputsOf(&v, level))
	}
	if len(in.Vars) == 0 {
		strictest = Approve
		matched = append(matched, proposal.Match{Rule: "no-actions", Effect: proposal.EffectRequireApproval,
			Reason: "the proposal has no actions to judge", Source: "governance", Action: -1})
	}
	matched = append(matched, in.Extra...)
	d.Autonomy = string(strictest)
	for _, m := range matched {
		if stricter(m.Effect, d.Effect) {
			d.Effect = m.Effect
		}
	}
	d.Matched = matched
	d.Rules = ruleIDs(matched)
	d.Reason = reasonOf(matched, d.Effect)
	return d, nil
}

// levelOf reads an action's autonomy level; none given means approve,
// the level an agent starts with for anything that changes data.
func levelOf(s string) (Level, error) {
	if s == "" {
		return Approve, nil
	}
	return ParseLevel(s)
}

// autonomyText holds, per action kind and level, the match id and reason
// of an autonomy match, built once: a decision should not spend its time
// concatenating the same strings.
var autonomyText = func() map[string]*[5][2]string {
	m := map[string]*[5][2]string{}
	for _, k := range proposal.Kinds() {
		var t [5][2]string
		for i, l := range Levels() {
			t[i] = [2]string{"autonomy:" + string(k) + "=" + string(l), autonomyReason(string(k), l, "")}
		}
		m[string(k)] = &t
	}
	return m
}()

func autonomyReason(kind string, l Level, agent string) string {
	switch l {
	case Off:
		if agent == "" {
			return kind + " is switched off for this agent"
		}
		return kind + " is switched off for agent " + agent
	case Suggest:
		return kind + " is suggest-only: a person carries it out"
	case Approve:
		return kind + " needs approval at this agent's autonomy level"
	case Auto:
		return kind + " runs on its own at this agent's autonomy level; people are told"
	}
	return kind + " runs on its own at this agent's autonomy level"
}

func autonomyMatch(i int, v *Vars, l Level) proposal.Match {
	m := proposal.Match{Effect: effectOf(l), Source: "autonomy", Action: i}
	if t, ok := autonomyText[v.Action.Kind]; ok && l != Off {
		m.Rule, m.Reason = t[rank(l)][0], t[rank(l)][1]
		return m
	}
	m.Rule, m.Reason = "autonomy:"+v.Action.Kind+"="+string(l), autonomyReason(v.Action.Kind, l, v.Agent.Name)
	return m
}

// match appends a match for every rule whose condition holds for action i.
func (c *compiledRules) match(out []proposal.Match, i int, v *Vars) []proposal.Match {
	rules, ok := c.byKind[v.Action.Kind]
	if !ok {
		rules = c.all
	}
	act := activation{v: v}
	for _, cr := range rules {
		val, _, err := cr.prg.Eval(act)
		if err == nil {
			if b, isBool := val.(types.Bool); isBool {
				if b {
					out = append(out, proposal.Match{Rule: cr.rule.ID, Effect: cr.rule.Effect, Reason: ruleReason(cr.rule), Source: cr.rule.Source, Action: i})
				}
				continue
			}
			err = fmt.Errorf("it gave %v instead of true or false", val)
		}
		out = append(out, proposal.Match{Rule: cr.rule.ID, Effect: proposal.EffectRequireApproval, Source: cr.rule.Source, Action: i,
			Reason: fmt.Sprintf("rule %s could not be checked (%v), so a person must approve", cr.rule.ID, err)})
	}
	return out
}

func ruleReason(r *Rule) string {
	switch {
	case r.Reason != "":
		return r.Reason
	case r.Description != "":
		return r.Description
	}
	return "rule " + r.ID + " matched"
}

// ruleIDs are the sorted unique ids of the matches.
func ruleIDs(ms []proposal.Match) []string {
	out := make([]string, 0, len(ms))
	for _, m := range ms {
		out = append(out, m.Rule)
	}
	sort.Strings(out)
	j := 0
	for i, s := range out {
		if i == 0 || s != out[j-1] {
			out[j] = s
			j++
		}
	}
	return out[:j]
}

// reasonOf joins the reasons of the matches that set the effect, each
// once, in match order.
func reasonOf(ms []proposal.Match, e proposal.Effect) string {
	var b strings.Builder
	first := -1
	for i, m := range ms {
		if m.Effect != e || m.Reason == "" {
			continue
		}
		dup := false
		for _, prev := range ms[:i] {
			if prev.Effect == e && prev.Reason == m.Reason {
				dup = true
				break
			}
		}
		if dup {
			continue
		}
		if first >= 0 {
			b.WriteString("; ")
		}
		first = i
		b.WriteString(m.Reason)
	}
	return b.String()
}

// inputsOf is what explain shows of an action's variables: the figures
// rules most often use (the full set is in docs/governance.md).
func inputsOf(v *Vars, l Level) proposal.Inputs {
	in := proposal.Inputs{Kind: v.Action.Kind, Records: v.Action.Records, People: v.Action.People, Autonomy: string(l),
		AudienceSize: v.Action.AudienceSize, Channel: v.Action.Channel, EmailsPeople: v.Action.EmailsPeople,
		Amount: v.Action.Amount, Systems: v.Action.Systems}
	if v.Action.EmailsPeople {
		in.WithoutConsent = v.Action.WithoutConsent
	}
	if v.Calendar.InFreeze {
		in.Freeze = v.Calendar.Freeze
	}
	return in
}
