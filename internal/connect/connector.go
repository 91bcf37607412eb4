package connect

import (
	"context"

	"github.com/towerops/tower/internal/foundation"
)

// Op is what a change does to a remote record.
type Op string

// Operations a connector may support.
const (
	// OpSuppress stops sending on Change.Channel: the remote record gets
	// the remote system's closest equivalent of Change.Status.
	OpSuppress Op = "suppress"
	// OpUnsuppress makes the record sendable again on Change.Channel (an
	// explicit new opt-in, or the undo of a suppress).
	OpUnsuppress Op = "unsuppress"
	// OpMerge merges record SystemID into record IntoID (which survives).
	OpMerge Op = "merge"
	// OpUnmerge asks to split a merge again. Few systems can; a connector
	// that cannot returns a permanent error saying what to do by hand.
	OpUnmerge Op = "unmerge"
	// OpUpdateField sets Change.Field (a Tower field name such as
	// "first_name", or "traits.NAME") to Change.Value.
	OpUpdateField Op = "update_field"
)

// Change is one change to push to one remote record.
type Change struct {
	// Key is the idempotency key: the same change pushed twice (a retry
	// after a lost response) carries the same key.
	Key      string
	Op       Op
	SystemID string // the record's id in the remote system
	Email    string // its address, for systems keyed by address
	Channel  foundation.Channel
	// Status is the consent status Tower holds for the record after the
	// change (suppress: unsubscribed, complaint, hard_bounce or
	// do_not_contact; unsuppress: subscribed).
	Status foundation.ConsentStatus
	Reason string
	Field  string
	Value  string
	IntoID string
}

// Result is what pushing one change came to. Err nil means the remote
// system accepted it (or already had it: pushing a change twice is not an
// error). Otherwise Err says why, and Retryable(Err) whether trying later
// may work.
type Result struct {
	Key string
	Err error
}

// Batch is one page of what a pull read.
type Batch struct {
	Records []foundation.Record
	Consent []foundation.Consent
}

// Description says what a connector is and can do.
type Description struct {
	Name   string // the configured name (the file's stem)
	Kind   string // "hubspot", "salesforce", "mautic", "csvdir", "webhook"
	System string // the system name its records carry in Tower
	// Ops lists the operations Push supports; others come back as
	// permanent errors.
	Ops []Op
	// Pull says whether Pull reads anything (a webhook only pushes).
	Pull bool
	// MaxBatch is the most changes one Push call sends (the remote API's
	// batch limit); the deliverer never passes more.
	MaxBatch int
}

// Connector is one configured external system.
type Connector interface {
	Describe() Description
	// Pull reads every record and consent fact the system holds, page by
	// page, calling emit once per page. A page that fails for a passing
	// reason (429, 5xx, a timeout) is retried with backoff before Pull
	// gives up; emit's error stops the pull and is returned.
	Pull(ctx context.Context, emit func(context.Context, Batch) error) error
	// Push sends changes (at most Describe().MaxBatch) and returns one
	// Result per change, in the same order. One record's failure does not
	// fail the others. Push does not retry: the deliverer decides when to
	// try again, so a retry survives a restart.
	Push(ctx context.Context, changes []Change) []Result
}

// Supports reports whether d lists op.
func (d Description) Supports(op Op) bool {
	for _, o := range d.Ops {
		if o == op {
			return true
		}
	}
	return false
}
