package action

import (
	"context"
	"errors"
	"fmt"
	"strconv"

	"github.com/towerops/tower/internal/proposal"
	"github.com/towerops/tower/internal/store"
)

// CutLicenseSeats lowers a licence's seat count. It refuses to raise it:
// buying seats is a purchase, not a clean-up an agent may make.
type CutLicenseSeats struct{}

var _ Executor = (*CutLicenseSeats)(nil)

func init() { Register(&CutLicenseSeats{}) }

func (*CutLicenseSeats) Kind() proposal.Kind { return proposal.CutLicenseSeats }

func (*CutLicenseSeats) Preview(ctx context.Context, r store.Reader, a proposal.Action) ([]proposal.Change, error) {
	changes, err := previewFields(ctx, r, a.Targets, "seats", paramText(a, "seats"))
	if err != nil {
		return nil, err
	}
	return changes, checkCut(a.Targets[0].ID, changes[0].Before, changes[0].After)
}

func (*CutLicenseSeats) Execute(ctx context.Context, q store.Queries, x Context, a proposal.Action) (Outcome, error) {
	t := a.Targets[0]
	l, err := FindLicense(ctx, q, t.ID)
	if err != nil {
		return Outcome{}, err
	}
	seats := paramText(a, "seats")
	if err := checkCut(t.ID, strconv.Itoa(l.Seats), seats); err != nil {
		return Outcome{}, err
	}
	changes, err := setFields(ctx, q, a.Targets, "seats", seats)
	if err != nil {
		return Outcome{}, err
	}
	return Outcome{Result: fmt.Sprintf("cut %s from %s to %s seats", t.ID, changes[0].Before, seats), Undo: marshal(changes)}, nil
}

func (*CutLicenseSeats) Undo(ctx context.Context, q store.Queries, x Context, undo []byte) error {
	return restoreFields(ctx, q, undo)
}

// ErrRaisesSeats is returned (wrapped) by cut_license_seats for a seat
// count above the current one.
var ErrRaisesSeats = errors.New("would raise the seat count")

func checkCut(tool, before, after string) error {
	b, err1 := strconv.ParseFloat(before, 64)
	a, err2 := strconv.ParseFloat(after, 64)
	if err1 == nil && err2 == nil && a > b {
		return fmt.Errorf("licence %s has %s seats; cutting to %s %w: buy seats with the vendor instead", tool, before, after, ErrRaisesSeats)
	}
	return nil
}
