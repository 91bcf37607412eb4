package foundation

import "time"

// Consent is one consent fact from one system: "on the ESP, record 88213
// unsubscribed from e-mail on 3 May". Tower keeps every fact, not only the
// latest, because reconciling systems needs the history (a newer explicit
// opt-in can override an older unsubscribe; DOMAIN §1.1).
//
// A fact names its subject by SystemID, or by Email when the system only
// keeps an address list (an ESP suppression list). The store links it to
// the record and person it can find.
type Consent struct {
	ID       int64
	System   string
	SystemID string // "" when the fact is keyed by e-mail only
	Email    string // normalised
	Channel  Channel
	Status   ConsentStatus
	Reason   string
	At       time.Time
	RecordID int64 // resolved by the store; 0 when no record matched
	PersonID int64 // resolved by the store; 0 when no person matched
}
