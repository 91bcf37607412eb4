package suppressionsync

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/towerops/tower/internal/foundation"
	"github.com/towerops/tower/internal/proposal"
	"github.com/towerops/tower/internal/skill"
	"github.com/towerops/tower/internal/skills/suppressionsync/consentstate"
)

// Name is the skill's name.
const Name = "suppression-sync"

func init() { skill.Register(Skill{}) }

// Skill implements suppression-sync.
type Skill struct{}

var _ skill.Skill = Skill{}

// Manifest declares the skill. It runs hourly because the tightest
// deadline it serves is 48 hours, and on every consent import.
func (Skill) Manifest() skill.Manifest {
	return skill.Manifest{
		Name:        Name,
		Team:        "marketing-ops",
		Description: "Propagates unsubscribes, complaints and do-not-contact stops to every system of the person that can still send to them, within the legal opt-out deadlines; proposes to lift an old stop when the person opted in again.",
		Triggers:    skill.Triggers{Schedule: "17 * * * *", Events: []string{"import:consent"}},
		Actions:     []proposal.Kind{proposal.Suppress, proposal.Unsuppress},
		Scopes:      []string{"region", "accounts"},
		Params: []skill.Param{
			{Name: "channels", Type: skill.String, Default: "email", List: true, Enum: []string{"email", "sms", "phone"}, Description: "the channels to reconcile, comma-separated (email, sms, phone)"},
			{Name: "max_proposals", Type: skill.Int, Default: 1000, Min: skill.Bound(1), Max: skill.Bound(100000), Description: "at most this many proposals per agent per run, oldest opt-outs first"},
			{Name: "grace", Type: skill.Duration, Default: "30m", Description: "leave opt-outs younger than this to the regular sync, which usually carries them within minutes"},
			{Name: "consent_systems", Type: skill.String, Default: "", List: true, Description: "systems whose opt-ins can override an older opt-out, comma-separated; empty: every system"},
			{Name: "propose_unsuppress", Type: skill.Bool, Default: true, Description: "propose lifting an old opt-out that a newer opt-in overrode"},
		},
	}
}

// Run folds consent once per channel for the batch, then builds each
// agent's proposals from it by the agent's parameters and scope.
func (s Skill) Run(ctx context.Context, v skill.View, batch []skill.Agent) ([]proposal.Draft, error) {
	folded := map[foundation.Channel]map[int64]*consentstate.Person{}
	var drafts []proposal.Draft
	for _, a := range batch {
		chans := a.Params.List("channels")
		if len(chans) == 0 {
			return nil, fmt.Errorf("agent %s: parameter channels: name at least one of email, sms, phone", a.Name)
		}
		var got []candidate
		for _, name := range chans {
			ch := foundation.Channel(name)
			if folded[ch] == nil {
				var err error
				if folded[ch], err = consentstate.Load(ctx, v, ch); err != nil {
					return nil, err
				}
			}
			got = append(got, forAgent(a, ch, folded[ch], v.Now())...)
		}
		drafts = append(drafts, limit(got, int(a.Params.Int("max_proposals")))...)
	}
	return drafts, nil
}

// candidate is one proposal to make, with what orders it.
type candidate struct {
	draft  proposal.Draft
	since  time.Time // when the governing fact happened
	revert bool      // an unsuppress: after every suppress
}

func forAgent(a skill.Agent, ch foundation.Channel, people map[int64]*consentstate.Person, now time.Time) []candidate {
	rule := consentstate.OptInRule{Systems: a.Params.List("consent_systems")}
	grace := a.Params.Duration("grace")
	var out []candidate
	for _, p := range people {
		if !p.InScope(a.Scope) {
			continue
		}
		v := p.Decide(rule)
		if g := v.Governing; g != nil {
			if now.Sub(g.At) < grace {
				continue
			}
			if lag := lagging(p); len(lag) > 0 {
				out = append(out, candidate{draft: suppressDraft(a, ch, p, *g, lag, v.Overridden, now), since: g.At})
			}
			continue
		}
		if a.Params.Bool("propose_unsuppress") {
			if blocked := blocking(p, v.Overridden); len(blocked) > 0 {
				out = append(out, candidate{draft: unsuppressDraft(a, ch, p, blocked), since: blocked[0].old.At, revert: true})
			}
		}
	}
	return out
}

// limit orders the candidates (suppressions first, oldest opt-out first:
// the most overdue) and keeps the first n drafts.
func limit(cands []candidate, n int) []proposal.Draft {
	slices.SortFunc(cands, func(x, y candidate) int {
		if x.revert != y.revert {
			if x.revert {
				return 1
			}
			return -1
		}
		if c := x.since.Compare(y.since); c != 0 {
			return c
		}
		return strings.Compare(x.draft.Key, y.draft.Key)
	})
	out := make([]proposal.Draft, 0, min(n, len(cands)))
	for _, c := range cands[:min(n, len(cands))] {
		out = append(out, c.draft)
	}
	return out
}

// lagging are the person's records that carry no consent stop: their
// latest fact is subscribed, a bounce, or there is none.
func lagging(p *consentstate.Person) []foundation.Record {
	var out []foundation.Record
	for _, r := range p.Records {
		if c, ok := p.Latest[r.ID]; !ok || !consentstate.IsConsent(c.Status) {
			out = append(out, r)
		}
	}
	return out
}

// blocked is a record still stopped by an opt-out that a newer opt-in
// overrode.
type blocked struct {
	rec      foundation.Record
	old, opt foundation.Consent
}

// blocking returns the records whose latest fact is an overridden opt-out.
func blocking(p *consentstate.Person, over []consentstate.Override) []blocked {
	var out []blocked
	for _, r := range p.Records {
		c, ok := p.Latest[r.ID]
		if !ok {
			continue
		}
		for _, o := range over {
			if o.Old.ID == c.ID {
				out = append(out, blocked{rec: r, old: o.Old, opt: o.By})
				break
			}
		}
	}
	return out
}
