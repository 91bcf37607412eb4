package governance

import (
	"fmt"

	"gopkg.in/yaml.v3"

	"github.com/towerops/tower/internal/proposal"
)

var sectionNames = []string{"rules", "freeze", "autonomy", "caps", "breaker", "approvals"}

// pack decodes one file's sections into m. Rules from every file are
// concatenated; any other section may be defined by one file only, so two
// files never silently override each other.
func (d *decoder) pack(root *yaml.Node, m *merger) {
	d.fields(root, "", sectionNames, func(key string, k, v *yaml.Node) {
		if key != "rules" {
			if prev, ok := m.owner[key]; ok {
				d.errf(k, key, "already defined at %s: a section other than rules may appear in one file only", prev)
				return
			}
			m.owner[key] = d.at(k)
		}
		p := m.pack
		switch key {
		case "rules":
			for i, n := range d.list(v, "rules") {
				d.rule(n, fmt.Sprintf("rules[%d]", i), m)
			}
		case "freeze":
			for i, n := range d.list(v, "freeze") {
				d.freeze(n, fmt.Sprintf("freeze[%d]", i), p)
			}
		case "autonomy":
			d.autonomy(v, &p.Autonomy)
		case "caps":
			d.capsConfig(v, &p.Caps)
		case "breaker":
			d.breaker(v, &p.Breaker)
		case "approvals":
			p.Approvals = d.approval(v, "approvals")
		}
	})
}

func (d *decoder) rule(n *yaml.Node, path string, m *merger) {
	r := Rule{Source: d.at(n)}
	whenAt := d.at(n)
	var idNode, effNode *yaml.Node
	d.fields(n, path, []string{"id", "description", "when", "effect", "reason", "approval"}, func(key string, k, v *yaml.Node) {
		f := fieldPath(path, key)
		switch key {
		case "id":
			r.ID, idNode = d.str(v, f), k
			r.Source = d.at(k)
		case "description":
			r.Description = d.str(v, f)
		case "when":
			r.When, whenAt = d.str(v, f), d.at(v)
		case "effect":
			effNode = v
			e, err := effectOfName(d.str(v, f))
			if err != nil {
				d.errf(v, f, "%v", err)
			}
			r.Effect = e
		case "reason":
			r.Reason = d.str(v, f)
		case "approval":
			r.Approval = d.approval(v, f)
		}
	})
	if n.Kind != yaml.MappingNode {
		return
	}
	switch {
	case r.ID == "":
		d.errf(n, fieldPath(path, "id"), "required: every rule needs an id")
	case m.ruleAt[r.ID] != "":
		d.errf(idNode, fieldPath(path, "id"), "rule id %q is used twice: here and at %s", r.ID, m.ruleAt[r.ID])
	default:
		m.ruleAt[r.ID] = r.Source
	}
	if r.When == "" {
		d.errf(n, fieldPath(path, "when"), "required: the condition (CEL) under which the rule applies")
	}
	if effNode == nil {
		d.errf(n, fieldPath(path, "effect"), "required: allow, require_approval or deny")
	}
	if r.Effect != proposal.EffectRequireApproval && !emptyPlan(r.Approval) && effNode != nil {
		d.errf(effNode, fieldPath(path, "approval"), "only a require_approval rule can say who approves")
	}
	m.pack.Rules = append(m.pack.Rules, r)
	m.whenAt = append(m.whenAt, whenAt)
}

func emptyPlan(a ApprovalPlan) bool {
	return len(a.Roles) == 0 && len(a.Users) == 0 && a.Count == 0 && !a.SegregationOfDuties &&
		a.SLA == 0 && len(a.Escalate) == 0 && a.OnTimeout == ""
}

func (d *decoder) approval(n *yaml.Node, path string) ApprovalPlan {
	var a ApprovalPlan
	d.fields(n, path, []string{"roles", "users", "count", "segregation_of_duties", "sla", "escalate", "on_timeout"}, func(key string, k, v *yaml.Node) {
		f := fieldPath(path, key)
		switch key {
		case "roles":
			a.Roles = d.roles(v, f)
		case "users":
			a.Users = d.strs(v, f)
		case "count":
			a.Count = d.integer(v, f)
		case "segregation_of_duties":
			a.SegregationOfDuties = d.boolean(v, f)
		case "sla":
			a.SLA = d.duration(v, f)
		case "escalate":
			for i, c := range d.list(v, f) {
				a.Escalate = append(a.Escalate, d.escalation(c, fmt.Sprintf("%s[%d]", f, i)))
			}
		case "on_timeout":
			switch a.OnTimeout = d.str(v, f); a.OnTimeout {
			case "expire", "deny":
			default:
				d.errf(v, f, "unknown %q: use expire or deny", a.OnTimeout)
			}
		}
	})
	return a
}

func (d *decoder) escalation(n *yaml.Node, path string) EscalationLevel {
	var e EscalationLevel
	d.fields(n, path, []string{"roles", "users", "sla"}, func(key string, k, v *yaml.Node) {
		f := fieldPath(path, key)
		switch key {
		case "roles":
			e.Roles = d.roles(v, f)
		case "users":
			e.Users = d.strs(v, f)
		case "sla":
			e.SLA = d.duration(v, f)
		}
	})
	if n.Kind == yaml.MappingNode && len(e.Roles) == 0 && len(e.Users) == 0 {
		d.errf(n, path, "an escalation level needs roles or users")
	}
	return e
}

func (d *decoder) freeze(n *yaml.Node, path string, p *Pack) {
	var w FreezeWindow
	var toNode *yaml.Node
	d.fields(n, path, []string{"name", "from", "to"}, func(key string, k, v *yaml.Node) {
		f := fieldPath(path, key)
		switch key {
		case "name":
			w.Name = d.str(v, f)
		case "from":
			w.From = d.timestamp(v, f)
		case "to":
			w.To, toNode = d.timestamp(v, f), v
		}
	})
	if n.Kind != yaml.MappingNode {
		return
	}
	if w.From.IsZero() || w.To.IsZero() {
		d.errf(n, path, "a freeze window needs from and to")
		return
	}
	if !w.To.After(w.From) {
		d.errf(toNode, fieldPath(path, "to"), "the window ends (%s) before it starts (%s)", w.To.Format("2006-01-02 15:04"), w.From.Format("2006-01-02 15:04"))
		return
	}
	p.Freeze = append(p.Freeze, w)
}

func (d *decoder) levels(n *yaml.Node, path string) map[proposal.Kind]Level {
	out := map[proposal.Kind]Level{}
	if n.Kind != yaml.MappingNode {
		d.errf(n, path, "expected action kinds with their levels, for example {notify: auto}")
		return out
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		f := fieldPath(path, k.Value)
		kind, ok := d.kind(k, f)
		if _, dup := out[kind]; ok && dup {
			d.errf(k, f, "defined twice")
		}
		if l := d.level(v, f); ok && l != "" {
			out[kind] = l
		}
	}
	return out
}

func (d *decoder) autonomy(n *yaml.Node, a *AutonomyConfig) {
	d.fields(n, "autonomy", []string{"defaults", "skills", "promote", "demote_on"}, func(key string, k, v *yaml.Node) {
		f := fieldPath("autonomy", key)
		switch key {
		case "defaults":
			a.Defaults = d.levels(v, f)
		case "skills":
			a.Skills = map[string]map[proposal.Kind]Level{}
			if v.Kind != yaml.MappingNode {
				d.errf(v, f, "expected skills with their levels, for example {stale-consent: {tag: approve}}")
				return
			}
			for i := 0; i+1 < len(v.Content); i += 2 {
				a.Skills[v.Content[i].Value] = d.levels(v.Content[i+1], fieldPath(f, v.Content[i].Value))
			}
		case "promote":
			d.promote(v, f, &a.Promote)
		case "demote_on":
			for i, c := range d.list(v, f) {
				s := d.str(c, fmt.Sprintf("%s[%d]", f, i))
				if !hasString([]string{"undo", "incident", "breaker"}, s) {
					d.errf(c, fmt.Sprintf("%s[%d]", f, i), "unknown %q: use undo, incident or breaker", s)
					continue
				}
				a.DemoteOn = append(a.DemoteOn, s)
			}
		}
	})
}

func (d *decoder) promote(n *yaml.Node, path string, r *PromotionRule) {
	d.fields(n, path, []string{"after", "no_undo_for", "from", "to", "except", "min_accept_rate", "max_undo_rate",
		"min_realised_ratio", "window"}, func(key string, k, v *yaml.Node) {
		f := fieldPath(path, key)
		switch key {
		case "after":
			r.After = d.integer(v, f)
		case "no_undo_for":
			r.NoUndoFor = d.duration(v, f)
		case "from":
			r.From = d.level(v, f)
		case "to":
			r.To = d.level(v, f)
		case "except":
			for i, c := range d.list(v, f) {
				if kind, ok := d.kind(c, fmt.Sprintf("%s[%d]", f, i)); ok {
					r.Except = append(r.Except, kind)
				}
			}
		case "min_accept_rate":
			r.MinAcceptRate = d.rate(v, f)
		case "max_undo_rate":
			r.MaxUndoRate = d.rate(v, f)
		case "min_realised_ratio":
			r.MinRealisedRatio = d.number(v, f)
		case "window":
			r.Window = d.duration(v, f)
		}
	})
}

func (d *decoder) capsConfig(n *yaml.Node, c *CapsConfig) {
	d.fields(n, "caps", []string{"default", "skills"}, func(key string, k, v *yaml.Node) {
		f := fieldPath("caps", key)
		switch key {
		case "default":
			c.Default = d.caps(v, f)
		case "skills":
			c.Skills = map[string]Caps{}
			if v.Kind != yaml.MappingNode {
				d.errf(v, f, "expected skills with their caps, for example {stale-consent: {records_per_run: 1000}}")
				return
			}
			for i := 0; i+1 < len(v.Content); i += 2 {
				c.Skills[v.Content[i].Value] = d.caps(v.Content[i+1], fieldPath(f, v.Content[i].Value))
			}
		}
	})
}

func (d *decoder) caps(n *yaml.Node, path string) Caps {
	var c Caps
	d.fields(n, path, []string{"records_per_run", "records_per_day", "system_pct"}, func(key string, k, v *yaml.Node) {
		f := fieldPath(path, key)
		switch key {
		case "records_per_run":
			c.RecordsPerRun = d.integer(v, f)
		case "records_per_day":
			c.RecordsPerDay = d.integer(v, f)
		case "system_pct":
			if c.SystemPct = d.number(v, f); c.SystemPct > 100 {
				d.errf(v, f, "a percentage is at most 100")
			}
		}
	})
	return c
}

func (d *decoder) breaker(n *yaml.Node, b *BreakerConfig) {
	d.fields(n, "breaker", []string{"window", "min_decided", "reject_rate", "undos", "errors"}, func(key string, k, v *yaml.Node) {
		f := fieldPath("breaker", key)
		switch key {
		case "window":
			b.Window = d.duration(v, f)
		case "min_decided":
			b.MinDecided = d.integer(v, f)
		case "reject_rate":
			b.RejectRate = d.rate(v, f)
		case "undos":
			b.Undos = d.integer(v, f)
		case "errors":
			b.Errors = d.integer(v, f)
		}
	})
}

// rate reads a share between 0 and 1.
func (d *decoder) rate(n *yaml.Node, path string) float64 {
	r := d.number(n, path)
	if r > 1 {
		d.errf(n, path, "a rate is between 0 and 1 (0.5 is half)")
	}
	return r
}
