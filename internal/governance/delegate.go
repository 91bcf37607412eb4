package governance

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/towerops/tower/internal/audit"
	"github.com/towerops/tower/internal/store"
)

// ErrBadDelegation is returned (wrapped) for a delegation that cannot be:
// to nobody, to oneself, or ending in the past.
var ErrBadDelegation = errors.New("that delegation cannot be set")

// Delegate records in q's transaction that to may approve in from's place
// until until, or with a zero until that from approves in person again,
// with its audit entry. actor is who set it ("user:NAME").
func Delegate(ctx context.Context, q store.Queries, from, to string, until, now time.Time, actor string) error {
	action := "delegation.cleared"
	if !until.IsZero() {
		switch {
		case to == "":
			return fmt.Errorf("%w: say who approves in %s's place", ErrBadDelegation, from)
		case to == from:
			return fmt.Errorf("%w: %s cannot delegate to themselves", ErrBadDelegation, from)
		case !until.After(now):
			return fmt.Errorf("%w: %s is already past", ErrBadDelegation, until.Format(time.RFC3339))
		}
		action = "delegation.set"
	} else {
		to = ""
	}
	if err := q.DelegationSet(ctx, &store.DelegationSetParams{From: from, To: to, Until: until, At: now}); err != nil {
		return err
	}
	return audit.Append(ctx, q, audit.Entry{Actor: actor, Action: action, Subject: "user:" + from, At: now,
		Data: map[string]any{"to": to, "until": until}})
}
