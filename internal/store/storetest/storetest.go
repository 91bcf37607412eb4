package storetest

import (
	"context"
	"testing"

	"github.com/towerops/tower/internal/store"
)

// NewStore returns a fresh, empty store with every migration applied. It
// must register its own cleanup (closing the store, dropping a schema) on
// t, because the suite calls it once per subtest and runs subtests in
// parallel.
type NewStore func(t *testing.T) store.Store

// Run runs the conformance suite against the backend newStore opens. Each
// subtest gets its own store and runs in parallel with the others.
func Run(t *testing.T, newStore NewStore) {
	t.Helper()
	groups := []struct {
		name  string
		tests []test
	}{
		{"Admin", adminTests},
		{"Owners", ownerTests},
		{"Accounts", accountTests},
		{"Products", productTests},
		{"Holdings", holdingTests},
		{"Records", recordTests},
		{"People", peopleTests},
		{"Consent", consentTests},
		{"Campaigns", campaignTests},
		{"CampaignDays", campaignDayTests},
		{"Licenses", licenseTests},
		{"Templates", templateTests},
		{"Events", eventTests},
		{"Tx", txTests},
		{"Counts", countTests},
		{"Required", requiredTests},
		{"Runtime", runtimeTests},
		{"Effects", effectsTests},
		{"Security", securityTests},
		{"Approvals", approvalTests},
		{"GovState", govStateTests},
		{"Ingest", ingestTests},
		{"Measure", measureTests},
		{"Deliveries", deliveryTests},
		{"Segments", segmentTests},
	}
	for _, g := range groups {
		t.Run(g.name, func(t *testing.T) {
			t.Parallel()
			for _, tc := range g.tests {
				t.Run(tc.name, func(t *testing.T) {
					t.Parallel()
					tc.fn(t, newStore(t))
				})
			}
		})
	}
}

// test is one conformance check; it receives a fresh store.
type test struct {
	name string
	fn   func(t *testing.T, s store.Store)
}

// ctx returns the test's context, cancelled when the test ends.
func ctx(t *testing.T) context.Context { return t.Context() }
