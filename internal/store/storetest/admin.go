package storetest

import (
	"testing"

	"github.com/towerops/tower/internal/foundation"
	"github.com/towerops/tower/internal/store"
)

var adminTests = []test{
	{"MigrateUpIsIdempotent", func(t *testing.T, s store.Store) {
		applied := must[[]store.Migration](t)(s.MigrateUp(ctx(t)))
		if len(applied) != 0 {
			t.Errorf("second MigrateUp applied %+v, want nothing", applied)
		}
		status := must[[]store.Migration](t)(s.MigrateStatus(ctx(t)))
		if len(status) == 0 {
			t.Fatal("MigrateStatus lists no migrations")
		}
		for i, m := range status {
			if !m.Applied || m.AppliedAt.IsZero() || m.Name == "" || m.Version <= 0 {
				t.Errorf("migration %+v: want applied, with a name, version and time", m)
			}
			if i > 0 && m.Version <= status[i-1].Version {
				t.Errorf("migrations out of order: %d after %d", m.Version, status[i-1].Version)
			}
		}
	}},
	{"PingAndBackend", func(t *testing.T, s store.Store) {
		if err := s.Ping(ctx(t)); err != nil {
			t.Errorf("Ping: %v", err)
		}
		if b := s.Backend(); b != "sqlite" && b != "postgres" {
			t.Errorf("Backend() = %q, want sqlite or postgres", b)
		}
	}},
}

var countTests = []test{
	{"EmptyAndFull", func(t *testing.T, s store.Store) {
		checkEqual(t, "empty", counts(t, s), store.Counts{})
		seedCampaignDays(t, s) // owners 2, campaigns 3, days 8
		mustWrite(t, 3)(s.AccountsUpsert(ctx(t), &store.AccountsUpsertParams{Accounts: []foundation.Account{{ID: "A-1"}, {ID: "A-2"}, {ID: "A-3"}}}))
		seedProducts(t, s)
		mustWrite(t, 1)(s.HoldingsUpsert(ctx(t), &store.HoldingsUpsertParams{Holdings: []foundation.Holding{{AccountID: "A-1", ProductID: "P-001"}}}))
		mustWrite(t, 3)(s.RecordsUpsert(ctx(t), &store.RecordsUpsertParams{Records: []foundation.Record{
			{System: "crm", SystemID: "c1", Email: "a@x.test"}, {System: "esp", SystemID: "e1", Email: "a@x.test"}, {System: "esp", SystemID: "e2"}}}))
		mustWrite(t, 2)(s.ConsentUpsert(ctx(t), &store.ConsentUpsertParams{Consents: []foundation.Consent{
			{System: "esp", SystemID: "e1", Channel: "email", Status: "subscribed", At: date(2025, 1, 1)},
			{System: "esp", Email: "z@x.test", Channel: "email", Status: "hard_bounce", At: date(2025, 1, 1)}}}))
		mustWrite(t, 1)(s.LicensesUpsert(ctx(t), &store.LicensesUpsertParams{Licenses: []foundation.License{{Tool: "gong", Seats: 1}}}))
		mustWrite(t, 2)(s.LicenseUsageUpsert(ctx(t), &store.LicenseUsageUpsertParams{Usage: []foundation.LicenseUsage{
			{Tool: "gong", UserEmail: "a@x.test"}, {Tool: "gong", UserEmail: "b@x.test"}}}))
		mustWrite(t, 1)(s.TemplatesUpsert(ctx(t), &store.TemplatesUpsertParams{Templates: []foundation.Template{{ID: "T-1", ESP: "generic", Dialect: "liquid"}}}))
		mustWrite(t, 4)(s.EventsInsert(ctx(t), &store.EventsInsertParams{Events: []foundation.Event{
			{MessageID: "1", Type: "track", Timestamp: date(2025, 1, 1)}, {MessageID: "2", Type: "track", Timestamp: date(2025, 1, 2)}, {MessageID: "3", Type: "track", Timestamp: date(2025, 1, 3)}, {MessageID: "4", Type: "track", Timestamp: date(2025, 1, 4)}}}))
		checkEqual(t, "full", counts(t, s), store.Counts{
			People: 2, Records: 3, Accounts: 3, Owners: 2, Products: 2, Holdings: 1,
			Consent: 2, Campaigns: 3, CampaignDays: 8, Events: 4,
			Licenses: 1, LicenseUsage: 2, Templates: 1,
		})
	}},
}
