package action

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"

	"github.com/towerops/tower/internal/proposal"
	"github.com/towerops/tower/internal/store"
)

// ShiftBudget moves an amount of budget from the first campaign to the
// second. It refuses to take a campaign below zero. Undo moves the same
// amount back (rather than restoring old figures), so budget changes made
// in between are kept.
type ShiftBudget struct{}

var _ Executor = (*ShiftBudget)(nil)

func init() { Register(&ShiftBudget{}) }

// ErrInsufficientBudget is returned (wrapped) when the campaign to take
// budget from has less than the amount.
var ErrInsufficientBudget = errors.New("not enough budget")

type budgetMove struct {
	From   string  `json:"from"`
	To     string  `json:"to"`
	Amount float64 `json:"amount"`
}

func (*ShiftBudget) Kind() proposal.Kind { return proposal.ShiftBudget }

func (*ShiftBudget) Preview(ctx context.Context, r store.Reader, a proposal.Action) ([]proposal.Change, error) {
	m := budgetMove{From: a.Targets[0].ID, To: a.Targets[1].ID}
	m.Amount, _ = a.Number("amount")
	from, to, err := budgets(ctx, r, m)
	if err != nil {
		return nil, err
	}
	return []proposal.Change{
		{Target: a.Targets[0], Field: "budget", Before: money(from), After: money(from - m.Amount)},
		{Target: a.Targets[1], Field: "budget", Before: money(to), After: money(to + m.Amount)},
	}, nil
}

func (*ShiftBudget) Execute(ctx context.Context, q store.Queries, x Context, a proposal.Action) (Outcome, error) {
	m := budgetMove{From: a.Targets[0].ID, To: a.Targets[1].ID}
	m.Amount, _ = a.Number("amount")
	if err := move(ctx, q, m); err != nil {
		return Outcome{}, err
	}
	return Outcome{Result: fmt.Sprintf("moved %s of budget from %s to %s", money(m.Amount), m.From, m.To), Undo: marshal(m)}, nil
}

func (*ShiftBudget) Undo(ctx context.Context, q store.Queries, x Context, undo []byte) error {
	var m budgetMove
	if err := json.Unmarshal(undo, &m); err != nil {
		return fmt.Errorf("read undo data: %w", err)
	}
	return move(ctx, q, budgetMove{From: m.To, To: m.From, Amount: m.Amount})
}

// move takes m.Amount from one campaign's budget and adds it to another's.
func move(ctx context.Context, q store.Queries, m budgetMove) error {
	from, to, err := budgets(ctx, q, m)
	if err != nil {
		return err
	}
	for _, set := range []struct {
		id    string
		value float64
	}{{m.From, from - m.Amount}, {m.To, to + m.Amount}} {
		if _, err := q.FieldSet(ctx, &store.FieldSetParams{Entity: store.EntityCampaign, ID: set.id,
			Field: "budget", Value: strconv.FormatFloat(set.value, 'f', -1, 64)}); err != nil {
			return err
		}
	}
	return nil
}

// budgets reads both campaigns' budgets and checks the move fits.
func budgets(ctx context.Context, r store.Reader, m budgetMove) (from, to float64, err error) {
	if m.From == m.To {
		return 0, 0, fmt.Errorf("shift_budget: the two campaigns are the same (%s)", m.From)
	}
	f, err := r.CampaignGet(ctx, &store.CampaignGetParams{ID: m.From})
	if err != nil {
		return 0, 0, err
	}
	t, err := r.CampaignGet(ctx, &store.CampaignGetParams{ID: m.To})
	if err != nil {
		return 0, 0, err
	}
	from, to = f.Campaign.Budget, t.Campaign.Budget
	if m.Amount > from {
		return 0, 0, fmt.Errorf("campaign %s has a budget of %s; moving %s would take it below zero: %w",
			m.From, money(from), money(m.Amount), ErrInsufficientBudget)
	}
	return from, to, nil
}

func money(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }
