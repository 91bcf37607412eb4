package governance

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/towerops/tower/internal/proposal"
	"github.com/towerops/tower/internal/store"
)

// Engine is the workspace's governor: policy rules, autonomy levels
// (configured or earned) and caps, decided together for every proposal.
type Engine struct {
	Pack *Pack
	// Reader answers the foundation lookups some rule variables need
	// (consent of the people an action e-mails); nil: Input.Reader.
	Reader store.Reader
}

var _ Governor = (*Engine)(nil)

// Decide gathers the rule variables of every action, checks the caps and
// lets the pack decide; a decision that needs people gets its approvers.
func (e *Engine) Decide(ctx context.Context, in Input) (proposal.Decision, error) {
	pack := e.Pack
	if pack == nil {
		return proposal.Decision{}, fmt.Errorf("governance: no policy pack loaded")
	}
	r := e.Reader
	if in.Reader != nil {
		r = in.Reader
	}
	now := in.Now
	if now.IsZero() {
		now = time.Now().UTC()
	}
	p := in.Proposal
	actor := in.Actor
	if actor == "" {
		actor = "agent:" + in.Agent.Name
	}
	pv := ProposalVars{Skill: p.Skill, Confidence: p.Confidence, BlastRadius: p.BlastRadius, Actions: len(p.Actions),
		ExpectedValue: ValueVars{Conversions: p.ExpectedValue.Conversions, PipelineUSD: p.ExpectedValue.PipelineUSD,
			SavingsUSD: p.ExpectedValue.SavingsUSD, HoursSaved: p.ExpectedValue.HoursSaved}}
	cal := pack.Calendar(now)
	vars := make([]Vars, len(p.Actions))
	for i, act := range p.Actions {
		var av ActionVars
		if r != nil {
			var err error
			if av, err = ActionFacts(ctx, r, act); err != nil {
				return proposal.Decision{}, fmt.Errorf("action %d (%s): %w", i, act.Kind, err)
			}
		} else {
			av = ActionVars{Kind: string(act.Kind), Records: distinctTargets(act.Targets)}
		}
		track := in.Track[act.Kind]
		level, earned := pack.Autonomy.LevelFor(in.Agent, act.Kind, track)
		tv := in.History
		tv.Earned = earned
		if track != nil {
			tv.Streak = track.Streak
		}
		vars[i] = Vars{Action: av, Proposal: pv, Actor: actor, Now: now, Calendar: cal,
			Agent: AgentVars{Name: in.Agent.Name, Owner: in.Agent.Owner, Autonomy: string(level), Track: tv}}
	}
	caps := pack.Caps.CapsFor(p.Skill, in.Agent.Caps)
	extra := CheckCaps(caps, in.Usage, p, vars, in.SystemTotals)
	d, err := pack.Decide(DecideInput{Vars: vars, Extra: extra, Now: now})
	if err != nil {
		return proposal.Decision{}, err
	}
	d.DecidedAt = now
	if d.Effect == proposal.EffectRequireApproval {
		ApplyPlan(&d, pack.PlanFor(&d))
	}
	return d, nil
}

var (
	defaultPackOnce sync.Once
	defaultPack     *Pack
	defaultPackErr  error
)

// DefaultPack is the built-in pack (the files `tower init` writes),
// parsed once.
func DefaultPack() (*Pack, error) {
	defaultPackOnce.Do(func() {
		defaultPack, defaultPackErr = ParsePack(DefaultPackFiles())
	})
	return defaultPack, defaultPackErr
}

// NeedsHistory reports whether a rule looks at an agent's recent record
// (agent.track.approved, rejected, undone, failed), which costs a query
// per agent to gather.
func (p *Pack) NeedsHistory() bool {
	for _, r := range p.Rules {
		for _, f := range []string{"track.approved", "track.rejected", "track.undone", "track.failed"} {
			if strings.Contains(r.When, f) {
				return true
			}
		}
	}
	return false
}

// NeedsSystemTotals reports whether a cap is set in percent of a system.
// Agents' own caps (agents/*.toml audience_pct) count too, so this is
// true whenever any percent cap could apply.
func (p *Pack) NeedsSystemTotals() bool {
	if p.Caps.Default.SystemPct > 0 {
		return true
	}
	for _, c := range p.Caps.Skills {
		if c.SystemPct > 0 {
			return true
		}
	}
	return false
}

// BreakerWindow is the breaker's window (24h when not set).
func (p *Pack) BreakerWindow() time.Duration {
	if p.Breaker.Window > 0 {
		return p.Breaker.Window
	}
	return 24 * time.Hour
}
