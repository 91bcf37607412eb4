package foundation

import (
	"encoding/json"
	"time"
)

// Event is one Segment-spec message (identify, track, page, screen, group,
// alias). Properties, traits and context are kept as the raw JSON the
// source sent, so nothing a team instruments is lost.
type Event struct {
	ID          int64
	MessageID   string // dedupe key; the importer derives one when absent
	Type        EventType
	UserID      string
	AnonymousID string
	Event       string // track: the event name ("Pricing Viewed")
	Name        string // page/screen name
	GroupID     string // group: the account id
	PreviousID  string // alias: the id being aliased
	Email       string // normalised e-mail from traits, used for linking
	Properties  json.RawMessage
	Traits      json.RawMessage
	Context     json.RawMessage
	Timestamp   time.Time
	ReceivedAt  time.Time
	PersonID    int64 // resolved by the store; 0 when nobody matched
	// Source is the id of the source that sent the event over HTTP; ""
	// for imported files.
	Source string
}
