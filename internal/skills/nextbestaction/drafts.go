package nextbestaction

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/towerops/tower/internal/proposal"
)

// nurtureAudience is how many of an account's people, most likely first,
// a nurture proposal tags.
const nurtureAudience = 10

// draft turns a plan into a proposal: a task for the seller or the CSM,
// or the account's people tagged into the nurture audience.
func (p AccountPlan) draft(agent, tag string, sc *scores, now time.Time) proposal.Draft {
	a, f := p.Account, p.Figures
	top := p.People[0]
	facts := []proposal.Fact{
		{Name: "likelihood someone at the account starts a trial within the window", Value: round(f.Propensity, 3), Source: "propensity model (" + sc.kind + ")"},
		{Name: "most likely person", Value: fmt.Sprintf("%s (%s), %.0f%%", top.Email, top.Title, 100*sc.p[top.ID])},
		{Name: "value: a year of list price of products not held", Value: round(f.Value, 0), Unit: "USD", Source: strings.Join(p.Open, ", ")},
		{Name: "expected value (likelihood × value)", Value: round(f.Expected(), 0), Unit: "USD"},
		{Name: "lifecycle stage", Value: a.LifecycleStage, Source: "account"},
		{Name: "tier", Value: a.Tier, Source: "account"},
		{Name: "employees", Value: a.Employees, Source: "account"},
		{Name: "model learned from", Value: fmt.Sprintf("%d people, %.1f%% started a trial", sc.rows, 100*sc.rate)},
	}
	for _, d := range drivers(sc, top.ID) {
		facts = append(facts, proposal.Fact{Name: "what drove it: " + d, Source: "events, latest window"})
	}
	for _, w := range p.WhyNot {
		facts = append(facts, proposal.Fact{Name: "why not", Value: w})
	}
	d := proposal.Draft{
		Agent:      agent,
		Evidence:   proposal.Evidence{Facts: facts},
		Confidence: min(0.95, max(0.05, f.Propensity)),
		Key:        "nba:" + a.ID + ":" + string(p.Motion),
		TTL:        7 * 24 * time.Hour,
		ExpectedValue: proposal.Value{PipelineUSD: round(f.Expected(), 0), Conversions: round(f.Propensity, 3), Assumptions: []string{
			"likelihood: the propensity model's chance that at least one of the account's people starts a trial in the next window",
			"value: twelve months of list price of every product the account does not hold",
			"no holdout data exists, so this is propensity × value, not measured uplift: some of these accounts would convert anyway",
		}},
	}
	account := proposal.Target{Type: proposal.TargetAccount, ID: a.ID, Label: a.Name}
	person := proposal.Target{Type: proposal.TargetPerson, ID: personID(top), Label: top.Email}
	switch p.Motion {
	case Sales, Service:
		who := "seller"
		if p.Motion == Service {
			who = "customer success manager"
		}
		title := fmt.Sprintf("Call %s at %s", top.Name(), a.Name)
		note := fmt.Sprintf("%s. %s is the most likely to start a trial (%.0f%%); recent activity: %s. Not held yet: %s.",
			capitalise(p.Why), top.Name(), 100*sc.p[top.ID], strings.Join(drivers(sc, top.ID), "; "), strings.Join(p.Open, ", "))
		d.Title = fmt.Sprintf("%s: %s for %s (%s expected)", capitalise(string(p.Motion)), title, p.Owner.Name, proposal.Dollars(f.Expected()))
		d.Rationale = fmt.Sprintf("%s. The account's %s, %s, gets a task: %s", capitalise(p.Why), who, p.Owner.Name, note)
		d.Actions = []proposal.Action{{Kind: proposal.CreateTask, Targets: []proposal.Target{account, person},
			Params: map[string]any{"title": title, "owner_id": p.Owner.ID, "due": now.AddDate(0, 0, 3).Format(time.DateOnly), "note": note}}}
	case Digital:
		var targets []proposal.Target
		for _, pp := range p.People {
			if pp.Email != "" && len(targets) < nurtureAudience {
				targets = append(targets, proposal.Target{Type: proposal.TargetPerson, ID: personID(pp), Label: pp.Email})
			}
		}
		if len(targets) == 0 {
			targets = []proposal.Target{person}
		}
		d.Title = fmt.Sprintf("Nurture %s: add %d people to %s (%s expected)", a.Name, len(targets), tag, proposal.Dollars(f.Expected()))
		d.Rationale = fmt.Sprintf("%s. Tagging %d of its people (most likely first) with %s puts them in the nurture programme's audience; the sending path still checks each person's consent.",
			capitalise(p.Why), len(targets), tag)
		d.Actions = []proposal.Action{{Kind: proposal.Tag, Targets: targets, Params: map[string]any{"tag": tag}}}
	}
	return d
}

// drivers lists the person's recent activities above the average person,
// most above first: the signals behind the score that a person can check.
func drivers(sc *scores, id int64) []string {
	type d struct {
		name  string
		n     int
		ratio float64
	}
	var ds []d
	for name, n := range sc.acts[id] {
		if m := sc.mean[name]; n > 0 && float64(n) > m {
			ds = append(ds, d{name, n, float64(n) / max(m, 0.01)})
		}
	}
	slices.SortFunc(ds, func(x, y d) int {
		if x.ratio != y.ratio {
			if x.ratio > y.ratio {
				return -1
			}
			return 1
		}
		return strings.Compare(x.name, y.name)
	})
	var out []string
	for _, x := range ds {
		out = append(out, fmt.Sprintf("%s %d (average %.2f)", strings.ReplaceAll(x.name, "_", " "), x.n, sc.mean[x.name]))
	}
	if len(out) == 0 {
		out = []string{"no activity above average; the score comes from who the person and account are"}
	}
	return out
}

func round(f float64, digits int) float64 {
	p := 1.0
	for range digits {
		p *= 10
	}
	return float64(int64(f*p+0.5)) / p
}

func capitalise(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
