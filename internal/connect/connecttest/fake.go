package connecttest

import (
	"time"

	"github.com/towerops/tower/internal/connect"
	"github.com/towerops/tower/internal/foundation"
)

// Seed is one record a test puts in a fake before connecting to it.
type Seed struct {
	Email     string
	FirstName string
	LastName  string
	// Suppressed seeds the record as not sendable by e-mail (the vendor's
	// own representation: HubSpot NOT_SUBSCRIBED, Salesforce
	// HasOptedOutOfEmail, Mautic do-not-contact reason 1).
	Suppressed bool
}

// Fake is what every fake system offers the suite: seeding, the state of
// its records as the vendor would show it, and faults on cue. A fake keeps
// time by the Clock it was built with.
type Fake interface {
	// URL is the base URL the connector is pointed at ("" for csvdir).
	URL() string
	// Seed creates records and returns their ids in the fake, in order.
	Seed(recs []Seed) []string
	// Sendable reports whether the record may be contacted on ch.
	Sendable(id string, ch foundation.Channel) bool
	// Field returns a Tower field ("first_name", "traits.x") of the record
	// as the fake holds it.
	Field(id, field string) string
	// MergedInto returns the id a record was merged into ("" if none).
	MergedInto(id string) string
	// Mutations counts changes the fake applied that changed state. A
	// change applied twice counts once: the second application changes
	// nothing. The suite compares it to the changes it made.
	Mutations() int
	// Requests counts requests received.
	Requests() int

	// RateLimit answers the next n requests 429 with Retry-After: after.
	RateLimit(n int, after time.Duration)
	// FailNext answers the next n requests with status (500, 502, 503).
	FailNext(n int, status int)
	// DropNext applies the next n requests but never answers them (the
	// connection is cut), as a timeout looks from the client.
	DropNext(n int)
	// Down answers every request 503 until the fake's clock reaches until.
	Down(until time.Time)
	// Reject makes every change to record id fail permanently with the
	// vendor's own per-record error (a validation error, a locked record).
	Reject(id string)
	Close()
}

// Target is one connector kind under test.
type Target struct {
	Kind string
	// New builds a fresh fake on clock.
	New func(clock *Clock) Fake
	// Open builds the connector pointed at fake; batch is the batch size
	// to configure (0: the kind's default).
	Open func(fake Fake, clock *Clock, batch int) (connect.Connector, error)
	// Faults is false for connectors with no server to fail (csvdir).
	Faults bool
	// PullPageSize is how many records one pull page holds, so the suite
	// can seed enough to need several pages.
	PullPageSize int
}
