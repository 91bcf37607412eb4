package foundation

import "time"

// Person is one human, possibly known to several systems. Its fields are
// filled from its records (first non-empty value wins), so a person always
// has the best identity Tower knows.
type Person struct {
	ID        int64
	Email     string // normalised e-mail; "" if none of its records had one
	FirstName string
	LastName  string
	Title     string
	Phone     string
	AccountID string
	Country   string
	Region    string
	Traits    Traits
	CreatedAt time.Time
	UpdatedAt time.Time
	// MergedInto is set when this person was merged into another; merged
	// people keep their row so a merge can be undone.
	MergedInto int64
}

// Name returns "First Last", or the e-mail when no name is known.
func (p Person) Name() string {
	switch {
	case p.FirstName != "" && p.LastName != "":
		return p.FirstName + " " + p.LastName
	case p.FirstName != "" || p.LastName != "":
		return p.FirstName + p.LastName
	}
	return p.Email
}

// Record is a person as one system sees them: a CRM contact, a marketing
// automation lead, an ESP subscriber. (System, SystemID) is its natural key.
type Record struct {
	ID        int64
	PersonID  int64 // set by the store when it links the record
	System    string
	SystemID  string
	Email     string // as the system holds it; linking uses NormalizeEmail
	FirstName string
	LastName  string
	Title     string
	Phone     string
	AccountID string
	Country   string
	Region    string
	Traits    Traits
	CreatedAt time.Time // zero when the source did not say
	UpdatedAt time.Time
}

// PersonKey is the key that links a record to its person: the normalised
// e-mail when it has one, otherwise the record's own identity, so an
// e-mail-less record becomes a person of its own until someone merges it.
func (r Record) PersonKey() string {
	if e := NormalizeEmail(r.Email); e != "" {
		return "email:" + e
	}
	return "record:" + r.System + ":" + r.SystemID
}
