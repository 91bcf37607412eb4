package store

import (
	"fmt"
	"math"
)

// CheckOutcomes refuses outcomes a backend must not store: one without a
// proposal id (it would be stored under the empty key), or with a share
// outside [0,1] (a report would then count more than was expected).
// Outcomes come from Tower's own measurement, never from users, so a bad
// one is a bug and fails the whole batch.
func CheckOutcomes(os []Outcome) error {
	for i, o := range os {
		if o.ProposalID == "" {
			return fmt.Errorf("outcome %d has no proposal id", i)
		}
		if math.IsNaN(o.Share) || o.Share < 0 || o.Share > 1 {
			return fmt.Errorf("outcome of %s: share %v is not between 0 and 1", o.ProposalID, o.Share)
		}
	}
	return nil
}
