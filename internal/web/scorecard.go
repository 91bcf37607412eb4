package web

import (
	"slices"
	"time"

	"github.com/towerops/tower/internal/proposal"
)

// scorecardDays is the period the agents page scores agents over.
const scorecardDays = 30

// scorecard is one agent's record over a period, from its proposals.
type scorecard struct {
	// Proposals counts the proposals made in the period.
	Proposals int
	// Accepted counts those a person approved; Rejected, Expired and
	// Undone those that ended so.
	Accepted, Rejected, Expired, Undone int
	// OnItsOwn counts those executed without a person (policy allowed
	// them at the agent's autonomy), including any undone since.
	OnItsOwn int
	// MedianDecision is the median time from proposal to a person's
	// verdict (approval or rejection); Decided counts those verdicts.
	MedianDecision time.Duration
	Decided        int
	// PerDay counts proposals per UTC day, oldest first, today last.
	PerDay []float64
}

// AcceptRate is accepted over accepted plus rejected; 0 with neither.
func (s scorecard) AcceptRate() float64 {
	if s.Accepted+s.Rejected == 0 {
		return 0
	}
	return float64(s.Accepted) / float64(s.Accepted+s.Rejected)
}

// scorecardOf scores proposals (of one agent) created in the days
// ending with now's UTC day. Edited proposals are counted once: the
// superseded revision is left out, its replacement carries the verdict.
func scorecardOf(ps []proposal.Proposal, now time.Time, days int) scorecard {
	now = now.UTC()
	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
	start := today.AddDate(0, 0, -(days - 1))
	s := scorecard{PerDay: make([]float64, days)}
	var waits []time.Duration
	for _, p := range ps {
		c := p.CreatedAt.UTC()
		if c.Before(start) || c.After(now) || p.Status == proposal.StatusSuperseded {
			continue
		}
		s.Proposals++
		s.PerDay[int(c.Sub(start)/(24*time.Hour))]++
		var verdict time.Time
		approved := false
		if p.Decision != nil {
			for _, a := range p.Decision.Approvals {
				if a.At.After(verdict) {
					verdict = a.At
				}
				if a.Verdict == "approved" {
					approved = true
				}
			}
		}
		switch p.Status {
		case proposal.StatusRejected:
			s.Rejected++
			if verdict.IsZero() {
				verdict = p.UpdatedAt
			}
		case proposal.StatusExpired:
			s.Expired++
		case proposal.StatusUndone:
			s.Undone++
		}
		if approved && p.Status != proposal.StatusRejected && p.Status != proposal.StatusPendingApproval {
			s.Accepted++
		}
		if (p.Status == proposal.StatusExecuted || p.Status == proposal.StatusUndone) && p.Decision != nil &&
			p.Decision.Effect == proposal.EffectAllow && len(p.Decision.Approvals) == 0 {
			s.OnItsOwn++
		}
		if (approved || p.Status == proposal.StatusRejected) && !verdict.IsZero() && p.Status != proposal.StatusPendingApproval {
			waits = append(waits, verdict.Sub(p.CreatedAt))
		}
	}
	s.Decided = len(waits)
	if len(waits) > 0 {
		slices.Sort(waits)
		m := len(waits) / 2
		s.MedianDecision = waits[m]
		if len(waits)%2 == 0 {
			s.MedianDecision = (waits[m-1] + waits[m]) / 2
		}
	}
	return s
}
