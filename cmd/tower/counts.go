package main

import (
	"io"

	"github.com/towerops/tower/internal/store"
)

// printCounts prints the size of a workspace, one kind per line.
func printCounts(w io.Writer, n *store.Counts) error {
	t := newTable(w, "WHAT", "ROWS")
	for _, kv := range []struct {
		what string
		n    int64
	}{
		{"people", n.People}, {"records (a person in one system)", n.Records}, {"consent facts", n.Consent},
		{"accounts", n.Accounts}, {"owners", n.Owners}, {"products", n.Products}, {"holdings", n.Holdings},
		{"campaigns", n.Campaigns}, {"campaign days", n.CampaignDays}, {"events", n.Events},
		{"licences", n.Licenses}, {"licence users", n.LicenseUsage}, {"templates", n.Templates},
	} {
		t.row(kv.what, kv.n)
	}
	return t.flush()
}
