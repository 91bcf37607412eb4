package measure

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strconv"

	"github.com/towerops/tower/internal/action"
	"github.com/towerops/tower/internal/proposal"
	"github.com/towerops/tower/internal/store"
)

// The kinds whose Preview cannot say whether the effect holds: a cut's
// preview refuses a seat count above the current one, and a budget move's
// preview always moves the amount again. They are measured against what
// was there before they ran.

// seatChange is the part of cut_license_seats' undo data read here: the
// licence's seats before the cut and the count it was cut to, as text
// (the executor's field change record).
type seatChange struct {
	ID     string `json:"id"`
	Before string `json:"before"`
	After  string `json:"after"`
}

// seatsFound measures a seat cut proportionally: (seats before − seats
// now) ÷ (seats before − seats cut to), between 0 and 1, so buying back
// half the seats cut keeps half the saving.
func seatsFound(ctx context.Context, st store.Store, a proposal.Action, e store.Execution) (found, error) {
	tool := a.Targets[0].ID
	l, err := action.FindLicense(ctx, st, tool)
	if errors.Is(err, store.ErrNotFound) {
		return found{0, fmt.Sprintf("the %s licence no longer exists", tool)}, nil
	}
	if err != nil {
		return found{}, err
	}
	now := l.Seats
	target, _ := a.Number("seats")
	var cs []seatChange
	if err := json.Unmarshal(e.Undo, &cs); err != nil || len(cs) == 0 {
		slog.WarnContext(ctx, "measure: seats before a cut not readable; judging by the target alone",
			"proposal", e.ProposalID, "err", err)
		if float64(now) <= target {
			return found{1, fmt.Sprintf("%s has %d seats, no more than the %s it was cut to", tool, now, num(target))}, nil
		}
		return found{0, fmt.Sprintf("%s has %d seats, more than the %s it was cut to", tool, now, num(target))}, nil
	}
	before, err1 := strconv.ParseFloat(cs[0].Before, 64)
	after, err2 := strconv.ParseFloat(cs[0].After, 64)
	if err := errors.Join(err1, err2); err != nil {
		return found{}, fmt.Errorf("seats recorded for the cut of %s: %w", tool, err)
	}
	cut := before - after
	if cut <= 0 {
		if float64(now) <= after {
			return found{1, fmt.Sprintf("%s has %d seats; the cut to %s removed none", tool, now, num(after))}, nil
		}
		return found{0, fmt.Sprintf("%s has %d seats, more than the %s it was set to", tool, now, num(after))}, nil
	}
	share := clamp01((before - float64(now)) / cut)
	still := min(max(before-float64(now), 0), cut)
	return found{share, fmt.Sprintf("%s has %d seats after a cut from %s to %s, so %s of the %s seats cut %s still cut",
		tool, now, num(before), num(after), num(still), num(cut), isAre(still))}, nil
}

// budgetMove is shift_budget's undo data.
type budgetMove struct {
	From   string  `json:"from"`
	To     string  `json:"to"`
	Amount float64 `json:"amount"`
}

// budgetFound measures a budget move: the part of the amount the first
// campaign is still short of its budget before the move, and the part
// the second still has on top of its own, averaged. The budgets before
// come from the proposal's preview; without one the move is counted as
// in place, and the sentence says so.
func budgetFound(ctx context.Context, st store.Store, p *proposal.Proposal, i int, e store.Execution) (found, error) {
	var m budgetMove
	if err := json.Unmarshal(e.Undo, &m); err != nil {
		return found{}, fmt.Errorf("read the budget move: %w", err)
	}
	if m.Amount <= 0 {
		return found{1, "no budget was moved"}, nil
	}
	before := map[string]float64{}
	for _, c := range p.Preview {
		if c.Action == i && c.Field == "budget" {
			if b, err := strconv.ParseFloat(c.Before, 64); err == nil {
				before[c.Target.ID] = b
			}
		}
	}
	fromBefore, ok1 := before[m.From]
	toBefore, ok2 := before[m.To]
	if !ok1 || !ok2 {
		return found{1, fmt.Sprintf("the budgets before moving %s from %s to %s were not recorded, so the move is counted as in place",
			num(m.Amount), m.From, m.To)}, nil
	}
	var now [2]float64
	for k, id := range []string{m.From, m.To} {
		d, err := st.CampaignGet(ctx, &store.CampaignGetParams{ID: id})
		if errors.Is(err, store.ErrNotFound) {
			return found{0, fmt.Sprintf("campaign %s no longer exists", id)}, nil
		}
		if err != nil {
			return found{}, err
		}
		now[k] = d.Campaign.Budget
	}
	taken := clamp01((fromBefore - now[0]) / m.Amount)
	added := clamp01((now[1] - toBefore) / m.Amount)
	return found{(taken + added) / 2, fmt.Sprintf("of the %s moved, %s is still taken from %s (budget %s, was %s) and %s still added to %s (budget %s, was %s)",
		num(m.Amount), num(taken*m.Amount), m.From, num(now[0]), num(fromBefore), num(added*m.Amount), m.To, num(now[1]), num(toBefore))}, nil
}

// num writes a figure without trailing zeros.
func num(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }

func isAre(n float64) string {
	if n == 1 {
		return "is"
	}
	return "are"
}
