package foundation

import "time"

// Product is something the company sells.
type Product struct {
	ID        string
	Name      string
	Family    string
	ListPrice float64
}

// Holding says an account (and optionally one person in it) owns a
// product. Cross-sell skills read holdings to know what not to offer.
type Holding struct {
	AccountID   string
	ProductID   string
	PersonEmail string // normalised; "" when the whole account holds it
	Since       time.Time
	Seats       int
	MRR         float64
}
