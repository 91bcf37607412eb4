package fleet

import (
	"context"
	"fmt"
	"time"

	"github.com/towerops/tower/internal/proposal"
	"github.com/towerops/tower/internal/skill"
	"github.com/towerops/tower/internal/store"
)

// SimulateRequest replays history day by day.
type SimulateRequest struct {
	From, To time.Time // dates, inclusive
	Skills   []string  // nil: every skill with agents
	// Progress, when set, is called after each simulated day.
	Progress func(day time.Time, done, total int)
}

// SimDay is what one simulated day would have produced.
type SimDay struct {
	Date      string              `json:"date"`
	Proposed  int                 `json:"proposed"`
	Allowed   int                 `json:"allowed"`
	Held      int                 `json:"held"` // waiting for approval
	Denied    int                 `json:"denied"`
	Skipped   int                 `json:"skipped_duplicates"`
	Proposals []proposal.Proposal `json:"proposals"`
}

// SimResult is a whole simulation.
type SimResult struct {
	From     string       `json:"from"`
	To       string       `json:"to"`
	Skills   []string     `json:"skills"`
	Days     []SimDay     `json:"days"`
	Totals   SimDay       `json:"totals"`
	Problems []AgentError `json:"problems"`
}

// Simulate runs the skills and governance as of the end of each day from
// From to To, writing nothing and executing nothing. Dated facts (events,
// consent, campaign days) are cut at each simulated day; slowly changing
// rows (people, accounts) are as they are today. A proposal stays "open"
// in the simulation until its expiry, so an agent does not propose the
// same thing every day — as it would not in production.
func (r *Runner) Simulate(ctx context.Context, req SimulateRequest) (*SimResult, error) {
	if req.To.Before(req.From) {
		return nil, fmt.Errorf("--to %s is before --from %s", req.To.Format("2006-01-02"), req.From.Format("2006-01-02"))
	}
	skills := req.Skills
	if len(skills) == 0 {
		for _, s := range skill.All() {
			n, err := r.Store.AgentsCount(ctx, &store.AgentsListParams{Skill: s.Manifest().Name, State: store.AgentActive})
			if err != nil {
				return nil, err
			}
			if n > 0 {
				skills = append(skills, s.Manifest().Name)
			}
		}
	}
	res := &SimResult{From: req.From.Format("2006-01-02"), To: req.To.Format("2006-01-02"), Skills: skills}
	open := map[string]time.Time{} // agent + key → expiry
	from := dayStart(req.From)
	total := int(dayStart(req.To).Sub(from).Hours()/24) + 1
	for i := 0; i < total; i++ {
		day := from.AddDate(0, 0, i)
		now := day.Add(24*time.Hour - time.Second)
		sd := SimDay{Date: day.Format("2006-01-02"), Proposals: []proposal.Proposal{}}
		for _, s := range skills {
			out, err := r.Run(ctx, RunRequest{Skill: s, Trigger: skill.Trigger{Kind: "simulate"}, Now: now, DryRun: true})
			if err != nil {
				return nil, fmt.Errorf("%s on %s: %w", s, sd.Date, err)
			}
			res.Problems = append(res.Problems, out.Invalid...)
			for _, p := range out.Proposals {
				k := p.Agent + "\x00" + p.Key
				if exp, ok := open[k]; ok && now.Before(exp) {
					sd.Skipped++
					continue
				}
				open[k] = p.ExpiresAt
				sd.Proposed++
				switch p.Status {
				case proposal.StatusAllowed:
					sd.Allowed++
				case proposal.StatusPendingApproval:
					sd.Held++
				case proposal.StatusDenied:
					sd.Denied++
				}
				sd.Proposals = append(sd.Proposals, p)
			}
		}
		res.Days = append(res.Days, sd)
		res.Totals.Proposed += sd.Proposed
		res.Totals.Allowed += sd.Allowed
		res.Totals.Held += sd.Held
		res.Totals.Denied += sd.Denied
		res.Totals.Skipped += sd.Skipped
		if req.Progress != nil {
			req.Progress(day, i+1, total)
		}
	}
	res.Totals.Date = "total"
	res.Totals.Proposals = []proposal.Proposal{}
	return res, nil
}

func dayStart(t time.Time) time.Time {
	t = t.UTC()
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
}
