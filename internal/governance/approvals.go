package governance

import (
	"slices"
	"time"

	"github.com/towerops/tower/internal/auth"
	"github.com/towerops/tower/internal/proposal"
	"github.com/towerops/tower/internal/store"
)

// Built-in approval defaults, used where neither a rule nor the pack's
// approvals section says otherwise.
const (
	DefaultApprovalRole = "approver"
	DefaultApprovalSLA  = 24 * time.Hour
	OnTimeoutExpire     = "expire"
	OnTimeoutDeny       = "deny"
)

// PlanFor merges the approval plans of the rules a decision matched with
// the pack's defaults: who approves, how many, SoD, the chain and what
// happens on timeout. Every require_approval rule in d.Matched brings its
// own plan (its zero fields filled from the pack's approvals section);
// autonomy and caps matches, and a decision that explains nothing, bring
// the pack's defaults. The strictest wins: the most approvers, SoD if any
// asks, the shortest SLA, every named person, the highest role named, the
// longest chain, deny on timeout if any says so. A nil pack uses the
// built-in defaults (role approver, one approver, 24 hours, expire).
func (p *Pack) PlanFor(d *proposal.Decision) ApprovalPlan {
	var defaults ApprovalPlan
	var rules []Rule
	if p != nil {
		defaults, rules = p.Approvals, p.Rules
	}
	var plans []ApprovalPlan
	if d != nil {
		for _, m := range d.Matched {
			if m.Effect != proposal.EffectRequireApproval {
				continue
			}
			i := slices.IndexFunc(rules, func(r Rule) bool { return r.ID == m.Rule })
			if i < 0 {
				plans = append(plans, defaults)
				continue
			}
			plans = append(plans, fillPlan(rules[i].Approval, defaults))
		}
	}
	if len(plans) == 0 {
		plans = append(plans, defaults)
	}
	merged := plans[0]
	for _, pl := range plans[1:] {
		merged = mergePlans(merged, pl)
	}
	return normalPlan(merged)
}

// fillPlan fills the zero fields of plan from defaults.
func fillPlan(plan, defaults ApprovalPlan) ApprovalPlan {
	if len(plan.Roles) == 0 && len(plan.Users) == 0 {
		plan.Roles, plan.Users = defaults.Roles, defaults.Users
	}
	if plan.Count == 0 {
		plan.Count = defaults.Count
	}
	plan.SegregationOfDuties = plan.SegregationOfDuties || defaults.SegregationOfDuties
	if plan.SLA == 0 {
		plan.SLA = defaults.SLA
	}
	if len(plan.Escalate) == 0 {
		plan.Escalate = defaults.Escalate
	}
	if plan.OnTimeout == "" {
		plan.OnTimeout = defaults.OnTimeout
	}
	return plan
}

// mergePlans is the stricter combination of a and b.
func mergePlans(a, b ApprovalPlan) ApprovalPlan {
	out := ApprovalPlan{
		Count:               max(a.Count, b.Count),
		SegregationOfDuties: a.SegregationOfDuties || b.SegregationOfDuties,
		SLA:                 minNonZero(a.SLA, b.SLA),
		Users:               union(a.Users, b.Users),
		Escalate:            a.Escalate,
		OnTimeout:           a.OnTimeout,
	}
	if top := highestRole(append(slices.Clone(a.Roles), b.Roles...)); top != "" {
		out.Roles = []string{top}
	}
	if len(b.Escalate) > len(a.Escalate) {
		out.Escalate = b.Escalate
	}
	if b.OnTimeout == OnTimeoutDeny {
		out.OnTimeout = OnTimeoutDeny
	}
	return out
}

// normalPlan applies the built-in defaults to whatever is still unset.
func normalPlan(p ApprovalPlan) ApprovalPlan {
	if len(p.Roles) == 0 && len(p.Users) == 0 {
		p.Roles = []string{DefaultApprovalRole}
	}
	p.Count = max(p.Count, 1)
	if p.SLA <= 0 {
		p.SLA = DefaultApprovalSLA
	}
	if p.OnTimeout != OnTimeoutDeny {
		p.OnTimeout = OnTimeoutExpire
	}
	return p
}

func minNonZero(a, b time.Duration) time.Duration {
	switch {
	case a <= 0:
		return b
	case b <= 0:
		return a
	}
	return min(a, b)
}

func union(a, b []string) []string {
	out := slices.Clone(a)
	for _, s := range b {
		if !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}

// highestRole is the most powerful of roles ("" for none); a name that is
// not a role ranks below every role.
func highestRole(roles []string) string {
	top := ""
	for _, r := range roles {
		rr, tr := store.Role(r), store.Role(top)
		switch {
		case top == "", !known(tr) && known(rr):
			top = r
		case known(rr) && known(tr) && auth.Allows(rr, tr):
			top = r
		}
	}
	return top
}

func known(r store.Role) bool { return slices.Contains(store.Roles(), r) }

// ApplyPlan writes the plan into the decision, for people to read: who may
// approve ("role:approver" means that role or a higher one, "user:dana" a
// named person), how many must, and whether SoD applies.
func ApplyPlan(d *proposal.Decision, plan ApprovalPlan) {
	plan = normalPlan(plan)
	d.Approvers = nil
	for _, r := range plan.Roles {
		d.Approvers = append(d.Approvers, "role:"+r)
	}
	for _, u := range plan.Users {
		d.Approvers = append(d.Approvers, "user:"+u)
	}
	d.Required = plan.Count
	d.SegregationOfDuties = plan.SegregationOfDuties
}

// RequestFor builds the approval request of a proposal that went to
// pending_approval: level 0 of the chain is the plan's approvers with the
// plan's SLA, then each escalation level (an SLA of 0 takes the plan's).
// The first timer fires at now + the plan's SLA.
func RequestFor(p *proposal.Proposal, a store.Agent, plan ApprovalPlan, requester string, now time.Time) store.ApprovalRequest {
	plan = normalPlan(plan)
	chain := []store.ApprovalLevel{{Roles: plan.Roles, Users: plan.Users, SLA: plan.SLA}}
	for _, e := range plan.Escalate {
		sla := e.SLA
		if sla <= 0 {
			sla = plan.SLA
		}
		chain = append(chain, store.ApprovalLevel{Roles: e.Roles, Users: e.Users, SLA: sla})
	}
	now = now.UTC()
	return store.ApprovalRequest{
		ProposalID: p.ID, Agent: p.Agent, Owner: a.Owner, Requester: requester,
		Chain: chain, Required: plan.Count, SoD: plan.SegregationOfDuties, OnTimeout: plan.OnTimeout,
		DueAt: now.Add(plan.SLA), State: store.ApprovalOpen, CreatedAt: now, UpdatedAt: now,
	}
}
