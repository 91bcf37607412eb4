package governance

import (
	"fmt"
	"sort"
	"strconv"

	"github.com/towerops/tower/internal/proposal"
	"github.com/towerops/tower/internal/store"
)

// Usage is what an agent already changed, for caps.
type Usage struct {
	Today   int // records changed since the start of the day (UTC)
	ThisRun int // records in proposals earlier in this run
}

// CapsFor merges the pack's caps for a skill with an agent's own: the
// skill's non-zero limits replace the pack default (a skill may be
// trusted with more or less than the rest), then the agent's caps apply
// on top and the lower non-zero limit wins, so an agent file can only
// tighten what the policies allow.
func (c CapsConfig) CapsFor(skill string, agent store.Caps) Caps {
	out := c.Default
	if s, ok := c.Skills[skill]; ok {
		out.RecordsPerRun = orInt(s.RecordsPerRun, out.RecordsPerRun)
		out.RecordsPerDay = orInt(s.RecordsPerDay, out.RecordsPerDay)
		if s.SystemPct > 0 {
			out.SystemPct = s.SystemPct
		}
	}
	out.RecordsPerRun = lowerLimit(out.RecordsPerRun, agent.RecordsPerRun)
	out.RecordsPerDay = lowerLimit(out.RecordsPerDay, agent.RecordsPerDay)
	if agent.AudiencePct > 0 && (out.SystemPct == 0 || agent.AudiencePct < out.SystemPct) {
		out.SystemPct = agent.AudiencePct
	}
	return out
}

func orInt(v, fallback int) int {
	if v > 0 {
		return v
	}
	return fallback
}

// lowerLimit is the tighter of two limits where 0 means none.
func lowerLimit(a, b int) int {
	switch {
	case a <= 0:
		return max(b, 0)
	case b <= 0:
		return a
	}
	return min(a, b)
}

// Cap rule names, as they appear in a decision's matched rules.
const (
	CapRecordsPerRun = "cap:records_per_run"
	CapRecordsPerDay = "cap:records_per_day"
	CapSystemPct     = "cap:system_pct:" // + the system's name
)

// CheckCaps returns a require_approval match for every cap the proposal
// would go over: a proposal over a cap waits for a person instead of
// running on its own, whatever the agent's autonomy. Per run counts the
// records of earlier proposals in the same run; per day those of
// proposals already allowed today; percent of a system compares the
// proposal's record targets in each system with the records Tower knows
// there (systemTotals). vars are the decision's rule variables; the
// counts come from p itself, so a cap holds whether or not rules ran.
func CheckCaps(c Caps, usage Usage, p *proposal.Proposal, vars []Vars, systemTotals map[string]int) []proposal.Match {
	var out []proposal.Match
	if c.RecordsPerRun > 0 && usage.ThisRun+p.BlastRadius > c.RecordsPerRun {
		total := usage.ThisRun + p.BlastRadius
		reason := fmt.Sprintf("would change %s records; this agent may change %s per run", thousands(p.BlastRadius), thousands(c.RecordsPerRun))
		if usage.ThisRun > 0 {
			reason = fmt.Sprintf("would bring this run to %s records; this agent may change %s per run", thousands(total), thousands(c.RecordsPerRun))
		}
		out = append(out, capMatch(CapRecordsPerRun, reason))
	}
	if c.RecordsPerDay > 0 && usage.Today+usage.ThisRun+p.BlastRadius > c.RecordsPerDay {
		out = append(out, capMatch(CapRecordsPerDay, fmt.Sprintf("would bring today's changes to %s records; this agent may change %s per day",
			thousands(usage.Today+usage.ThisRun+p.BlastRadius), thousands(c.RecordsPerDay))))
	}
	if c.SystemPct > 0 && len(systemTotals) > 0 {
		out = append(out, systemCaps(c.SystemPct, p, systemTotals)...)
	}
	return out
}

func capMatch(rule, reason string) proposal.Match {
	return proposal.Match{Rule: rule, Effect: proposal.EffectRequireApproval, Source: "caps", Reason: reason}
}

// systemCaps counts the distinct record targets of p per system and
// matches each system where they are more than pct percent of its
// records. A system Tower holds no records of is not checked: there is
// nothing to take a percentage of.
func systemCaps(pct float64, p *proposal.Proposal, totals map[string]int) []proposal.Match {
	seen := map[string]struct{}{}
	per := map[string]int{}
	first := map[string]int{}
	for i, a := range p.Actions {
		for _, t := range a.Targets {
			if t.Type != proposal.TargetRecord {
				continue
			}
			if _, dup := seen[t.ID]; dup {
				continue
			}
			seen[t.ID] = struct{}{}
			sys, _, ok := proposal.SplitRecordID(t.ID)
			if !ok {
				continue
			}
			if _, ok := per[sys]; !ok {
				first[sys] = i
			}
			per[sys]++
		}
	}
	var out []proposal.Match
	for sys, n := range per {
		total := totals[sys]
		if total <= 0 {
			continue
		}
		share := float64(n) / float64(total) * 100
		if share <= pct {
			continue
		}
		m := capMatch(CapSystemPct+sys, fmt.Sprintf("would change %s%% of the %s records (%s of %s); this agent may change %s%% of a system at once",
			percent(share), sys, thousands(n), thousands(total), percent(pct)))
		m.Action = first[sys]
		out = append(out, m)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Rule < out[j].Rule })
	return out
}

// thousands writes n with a comma every three digits: 6,200.
func thousands(n int) string {
	s := strconv.Itoa(n)
	neg := n < 0
	if neg {
		s = s[1:]
	}
	var b []byte
	for i := range len(s) {
		if i > 0 && (len(s)-i)%3 == 0 {
			b = append(b, ',')
		}
		b = append(b, s[i])
	}
	if neg {
		return "-" + string(b)
	}
	return string(b)
}

// percent writes a share with at most one decimal: 12, 2.5.
func percent(v float64) string { return strconv.FormatFloat(float64(int(v*10+0.5))/10, 'f', -1, 64) }
