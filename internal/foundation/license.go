package foundation

import "time"

// License is a martech tool the company pays for by the seat.
type License struct {
	Tool             string
	Vendor           string
	Category         string
	Seats            int
	CostPerSeatMonth float64
	RenewalDate      time.Time // date only; zero when unknown
	OwnerEmail       string
}

// LicenseUsage is one user's activity in one tool.
type LicenseUsage struct {
	Tool         string
	UserEmail    string    // normalised
	LastActiveAt time.Time // zero when never active
	Actions30d   int
}
