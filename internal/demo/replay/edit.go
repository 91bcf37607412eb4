package replay

import (
	"strconv"

	"github.com/towerops/tower/internal/proposal"
)

// editOf returns the change a person of the team would make to p before
// approving it, and why; ok is false when there is nothing believable to
// change (the person then approves it as proposed). The changes are the
// ones marketing-operations people make every day: keep a licence seat
// back, leave a subject line as written, take a manual task themselves.
func editOf(p *proposal.Proposal, user string) (change func(*proposal.Proposal) error, reason string, ok bool) {
	for i, a := range p.Actions {
		if a.Kind == proposal.CutLicenseSeats {
			seats, has := a.Number("seats")
			before, ok := seatsBefore(p, i)
			if !has || !ok || before <= seats+1 {
				continue
			}
			return func(q *proposal.Proposal) error {
				q.Actions[i].Params["seats"] = seats + 1
				return nil
			}, "Keeping one seat back for the hire who starts next month.", true
		}
	}
	if len(p.Actions) > 1 {
		for i, a := range p.Actions {
			if a.Kind == proposal.FixTemplate && a.Param("field") == "subject" {
				return func(q *proposal.Proposal) error {
					q.Actions = append(q.Actions[:i:i], q.Actions[i+1:]...)
					return nil
				}, "The subject line stays as the campaign owner wrote it; the rest of the fix goes ahead.", true
			}
		}
	}
	for i, a := range p.Actions {
		if a.Kind == proposal.CreateTask && a.Param("owner_id") != user {
			return func(q *proposal.Proposal) error {
				if q.Actions[i].Params == nil {
					q.Actions[i].Params = map[string]any{}
				}
				q.Actions[i].Params["owner_id"] = user
				return nil
			}, "I'll fix this part by hand myself this week.", true
		}
	}
	return nil, "", false
}

// seatsBefore reads action i's current seat count from p's preview.
func seatsBefore(p *proposal.Proposal, i int) (float64, bool) {
	for _, c := range p.Preview {
		if c.Action == i && c.Field == "seats" {
			n, err := strconv.ParseFloat(c.Before, 64)
			return n, err == nil
		}
	}
	return 0, false
}
