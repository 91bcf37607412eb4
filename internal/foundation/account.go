package foundation

// Account is a company Tower's team sells to or serves.
type Account struct {
	ID             string
	Name           string
	Domain         string
	Industry       string
	Employees      int
	Region         string
	Tier           string
	OwnerID        string
	LifecycleStage string
	Traits         Traits
}

// Owner is a seller, customer-success manager or marketer who owns
// accounts, campaigns or agents. Capacity is how many open items (leads,
// tasks) they can take; routing skills respect it.
type Owner struct {
	ID       string
	Name     string
	Email    string
	Team     Team
	Region   string
	Capacity int
}
