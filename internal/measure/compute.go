package measure

import (
	"math"
	"slices"
	"time"

	"github.com/towerops/tower/internal/proposal"
)

// Compute scores every record and autonomy change in h, whatever its
// agent: the caller groups. Buckets are disjoint — each proposal is
// exactly one of accepted, edited, rejected, expired, denied, waiting,
// autonomous, or none of them yet (allowed or approved, not yet run).
func Compute(h *History, reviewMinutes float64) Card {
	if reviewMinutes <= 0 {
		reviewMinutes = DefaultReviewMinutes
	}
	c := Card{By: ByFleet, Since: h.Since, Until: h.Until}
	var waits []time.Duration
	var personDecided, personApproved, editedDecided, reviews int
	for _, r := range h.Records {
		p := r.Proposal
		c.Proposals++
		edited := p.Revision > 1 || p.EditedBy != ""
		approvals, approvedBy, verdictAt := verdictsOf(p)
		reviews += approvals
		if edited {
			reviews++ // the edit itself
		}
		ran := p.Status == proposal.StatusExecuted || p.Status == proposal.StatusUndone
		decided := p.Status != proposal.StatusPendingApproval && p.Status != proposal.StatusProposed &&
			p.Status != proposal.StatusExpired && p.Status != proposal.StatusDenied
		switch {
		case edited:
			c.Edited++
			if decided {
				editedDecided++
				personDecided++
				if p.Status != proposal.StatusRejected {
					personApproved++
				}
				if verdictAt.IsZero() {
					verdictAt = p.CreatedAt // the edit is the verdict when the revision ran on its own
				}
			}
		case p.Status == proposal.StatusRejected:
			c.Rejected++
			personDecided++
			if verdictAt.IsZero() {
				verdictAt = p.UpdatedAt
			}
		case p.Status == proposal.StatusExpired:
			c.Expired++
		case p.Status == proposal.StatusDenied:
			c.Denied++
		case p.Status == proposal.StatusPendingApproval || p.Status == proposal.StatusProposed:
			c.Waiting++
		case approvedBy:
			c.Accepted++
			personDecided++
			personApproved++
		case ran && !approvedBy:
			c.Autonomous++
		}
		if edited || (p.Decision != nil && p.Decision.Effect == proposal.EffectRequireApproval) {
			c.Handoffs.ToPeople++
		}
		if p.Trigger == "manual" {
			c.Handoffs.ToAgent++
		}
		if (edited || approvedBy || p.Status == proposal.StatusRejected) && decided && !verdictAt.IsZero() {
			waits = append(waits, verdictAt.Sub(r.Made))
		}
		switch p.Status {
		case proposal.StatusExecuted, proposal.StatusUndone:
			c.Executed++
			c.Expected = addValue(c.Expected, p.ExpectedValue, 1)
			if r.Outcome != nil {
				c.Measured++
				c.Realised = addValue(c.Realised, r.Outcome.Value, 1)
				c.ExpectedMeasured = addValue(c.ExpectedMeasured, p.ExpectedValue, 1)
			} else {
				c.Pending++
			}
			if p.Status == proposal.StatusUndone {
				c.Undone++
			}
		case proposal.StatusFailed:
			c.Failed++
		}
	}
	for _, ch := range h.Changes {
		if ch.Promoted {
			c.Handoffs.Promotions++
		} else {
			c.Handoffs.Demotions++
		}
	}
	c.Decided = len(waits)
	c.DecisionP50, c.DecisionP90 = hours(quantile(waits, 0.5)), hours(quantile(waits, 0.9))
	c.AcceptRate = ratio(personApproved, personDecided)
	c.EditRate = ratio(editedDecided, personDecided)
	c.AutonomousShare = ratio(c.Autonomous, c.Executed)
	c.UndoRate = ratio(c.Undone, c.Executed)
	c.ErrorRate = ratio(c.Failed, c.Executed+c.Failed)
	c.RealisedRatio = realisedRatio(c.Realised, c.ExpectedMeasured)
	c.ReviewHours = round(float64(reviews)*reviewMinutes/60, 2)
	c.Expected.Assumptions, c.Realised.Assumptions, c.ExpectedMeasured.Assumptions = nil, nil, nil
	return c
}

// verdictsOf counts people's verdicts on p, says whether one approved it,
// and when the last verdict came.
func verdictsOf(p proposal.Proposal) (n int, approved bool, last time.Time) {
	if p.Decision == nil {
		return 0, false, time.Time{}
	}
	for _, a := range p.Decision.Approvals {
		n++
		if a.Verdict == "approved" {
			approved = true
		}
		if a.At.After(last) {
			last = a.At
		}
	}
	return n, approved, last
}

// addValue adds v times k to sum (assumptions are not summed).
func addValue(sum, v proposal.Value, k float64) proposal.Value {
	sum.Conversions += v.Conversions * k
	sum.PipelineUSD += v.PipelineUSD * k
	sum.SavingsUSD += v.SavingsUSD * k
	sum.HoursSaved += v.HoursSaved * k
	return sum
}

// realisedRatio compares realised with promised value in dollars, or in
// hours when nothing in dollars was promised; 0 when nothing was.
func realisedRatio(realised, promised proposal.Value) float64 {
	if usd := promised.PipelineUSD + promised.SavingsUSD; usd > 0 {
		return round((realised.PipelineUSD+realised.SavingsUSD)/usd, 4)
	}
	if promised.HoursSaved > 0 {
		return round(realised.HoursSaved/promised.HoursSaved, 4)
	}
	return 0
}

// quantile is the nearest-rank q-quantile of ds (0 for none): the
// smallest value with at least q of the values at or below it.
func quantile(ds []time.Duration, q float64) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	i := int(math.Ceil(q*float64(len(s)))) - 1
	return s[max(0, min(i, len(s)-1))]
}

func hours(d time.Duration) float64 { return round(d.Hours(), 2) }

func ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return round(float64(a)/float64(b), 4)
}

func round(x float64, places int) float64 {
	f := math.Pow(10, float64(places))
	return math.Round(x*f) / f
}
