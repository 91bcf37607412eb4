package storetest

import (
	"testing"
	"time"

	"github.com/towerops/tower/internal/foundation"
	"github.com/towerops/tower/internal/store"
)

// requiredCase is one row missing its natural key (or a field the key
// needs), sent in a batch with one good row. Every backend must reject the
// bad row by itself — not write it with an empty key, not fail the batch —
// because an importer reports such rows to the user and carries on.
type requiredCase struct {
	name  string
	seed  func(t *testing.T, s store.Store) // rows the good row refers to
	write func(t *testing.T, s store.Store) (*store.UpsertResult, error)
	bad   int    // index of the bad row in the batch
	field string // the column the rejection names
	// stored reads, from Counts, every kind the batch could have written;
	// each must hold exactly the good row's one.
	stored func(c store.Counts) map[string]int64
}

var (
	reqAt   = time.Date(2025, 5, 3, 9, 30, 0, 0, time.UTC)
	reqDate = date(2025, 3, 1)
)

func reqSeedAccountProduct(t *testing.T, s store.Store) {
	t.Helper()
	mustWrite(t, 1)(s.AccountsUpsert(ctx(t), &store.AccountsUpsertParams{Accounts: []foundation.Account{{ID: "A-001"}}}))
	mustWrite(t, 1)(s.ProductsUpsert(ctx(t), &store.ProductsUpsertParams{Products: []foundation.Product{{ID: "P-001"}}}))
}

func reqSeedCampaign(t *testing.T, s store.Store) {
	t.Helper()
	mustWrite(t, 1)(s.CampaignsUpsert(ctx(t), &store.CampaignsUpsertParams{Campaigns: []foundation.Campaign{
		{ID: "C-001", Channel: "email"}}}))
}

func reqSeedLicense(t *testing.T, s store.Store) {
	t.Helper()
	mustWrite(t, 1)(s.LicensesUpsert(ctx(t), &store.LicensesUpsertParams{Licenses: []foundation.License{{Tool: "gong"}}}))
}

func reqHoldings(hs ...foundation.Holding) func(*testing.T, store.Store) (*store.UpsertResult, error) {
	return func(t *testing.T, s store.Store) (*store.UpsertResult, error) {
		return s.HoldingsUpsert(ctx(t), &store.HoldingsUpsertParams{Holdings: hs})
	}
}

func reqRecords(rs ...foundation.Record) func(*testing.T, store.Store) (*store.UpsertResult, error) {
	return func(t *testing.T, s store.Store) (*store.UpsertResult, error) {
		return s.RecordsUpsert(ctx(t), &store.RecordsUpsertParams{Records: rs})
	}
}

func reqConsent(cs ...foundation.Consent) func(*testing.T, store.Store) (*store.UpsertResult, error) {
	return func(t *testing.T, s store.Store) (*store.UpsertResult, error) {
		return s.ConsentUpsert(ctx(t), &store.ConsentUpsertParams{Consents: cs})
	}
}

func reqDays(ds ...foundation.CampaignDay) func(*testing.T, store.Store) (*store.UpsertResult, error) {
	return func(t *testing.T, s store.Store) (*store.UpsertResult, error) {
		return s.CampaignDaysUpsert(ctx(t), &store.CampaignDaysUpsertParams{Days: ds})
	}
}

func reqUsage(us ...foundation.LicenseUsage) func(*testing.T, store.Store) (*store.UpsertResult, error) {
	return func(t *testing.T, s store.Store) (*store.UpsertResult, error) {
		return s.LicenseUsageUpsert(ctx(t), &store.LicenseUsageUpsertParams{Usage: us})
	}
}

var (
	storedRecords = func(c store.Counts) map[string]int64 {
		return map[string]int64{"Records": c.Records, "People": c.People}
	}
	storedConsent  = func(c store.Counts) map[string]int64 { return map[string]int64{"Consent": c.Consent} }
	storedHoldings = func(c store.Counts) map[string]int64 { return map[string]int64{"Holdings": c.Holdings} }
	storedDays     = func(c store.Counts) map[string]int64 { return map[string]int64{"CampaignDays": c.CampaignDays} }
	storedUsage    = func(c store.Counts) map[string]int64 { return map[string]int64{"LicenseUsage": c.LicenseUsage} }
)

var requiredCases = []requiredCase{
	{name: "OwnerID", bad: 1, field: "id",
		write: func(t *testing.T, s store.Store) (*store.UpsertResult, error) {
			return s.OwnersUpsert(ctx(t), &store.OwnersUpsertParams{Owners: []foundation.Owner{
				{ID: "O-001", Name: "Ana"}, {Name: "No Id"}}})
		},
		stored: func(c store.Counts) map[string]int64 { return map[string]int64{"Owners": c.Owners} }},
	{name: "AccountID", bad: 0, field: "id",
		write: func(t *testing.T, s store.Store) (*store.UpsertResult, error) {
			return s.AccountsUpsert(ctx(t), &store.AccountsUpsertParams{Accounts: []foundation.Account{
				{Name: "No Id"}, {ID: "A-001", Name: "Acme"}}})
		},
		stored: func(c store.Counts) map[string]int64 { return map[string]int64{"Accounts": c.Accounts} }},
	{name: "ProductID", bad: 1, field: "id",
		write: func(t *testing.T, s store.Store) (*store.UpsertResult, error) {
			return s.ProductsUpsert(ctx(t), &store.ProductsUpsertParams{Products: []foundation.Product{
				{ID: "P-001", Name: "Core"}, {Name: "No Id"}}})
		},
		stored: func(c store.Counts) map[string]int64 { return map[string]int64{"Products": c.Products} }},
	{name: "RecordSystem", bad: 1, field: "system",
		write: reqRecords(
			foundation.Record{System: "crm", SystemID: "c1", Email: "ana@x.test"},
			foundation.Record{SystemID: "c2", Email: "bo@x.test"}),
		stored: storedRecords},
	{name: "RecordSystemID", bad: 0, field: "system_id",
		write: reqRecords(
			foundation.Record{System: "crm", Email: "bo@x.test"},
			foundation.Record{System: "crm", SystemID: "c1", Email: "ana@x.test"}),
		stored: storedRecords},
	{name: "RecordBothEmptyNamesSystem", bad: 1, field: "system",
		write: reqRecords(
			foundation.Record{System: "crm", SystemID: "c1"},
			foundation.Record{Email: "bo@x.test"}),
		stored: storedRecords},
	{name: "ConsentSystem", bad: 1, field: "system",
		write: reqConsent(
			foundation.Consent{System: "crm", Email: "ana@x.test", Channel: foundation.ChannelEmail, Status: foundation.StatusUnsubscribed, At: reqAt},
			foundation.Consent{SystemID: "c1", Email: "bo@x.test", Channel: foundation.ChannelEmail, Status: foundation.StatusUnsubscribed, At: reqAt}),
		stored: storedConsent},
	{name: "ConsentNoSystemIDNorEmail", bad: 0, field: "email",
		write: reqConsent(
			foundation.Consent{System: "crm", Email: "not an address", Channel: foundation.ChannelEmail, Status: foundation.StatusUnsubscribed, At: reqAt},
			foundation.Consent{System: "crm", Email: "ana@x.test", Channel: foundation.ChannelEmail, Status: foundation.StatusUnsubscribed, At: reqAt}),
		stored: storedConsent},
	{name: "HoldingAccountID", bad: 1, field: "account_id", seed: reqSeedAccountProduct,
		write:  reqHoldings(foundation.Holding{AccountID: "A-001", ProductID: "P-001"}, foundation.Holding{ProductID: "P-001"}),
		stored: storedHoldings},
	{name: "HoldingProductID", bad: 0, field: "product_id", seed: reqSeedAccountProduct,
		write:  reqHoldings(foundation.Holding{AccountID: "A-001"}, foundation.Holding{AccountID: "A-001", ProductID: "P-001"}),
		stored: storedHoldings},
	{name: "CampaignID", bad: 1, field: "id",
		write: func(t *testing.T, s store.Store) (*store.UpsertResult, error) {
			return s.CampaignsUpsert(ctx(t), &store.CampaignsUpsertParams{Campaigns: []foundation.Campaign{
				{ID: "C-001", Name: "Spring", Channel: "email"}, {Name: "No Id", Channel: "email"}}})
		},
		stored: func(c store.Counts) map[string]int64 { return map[string]int64{"Campaigns": c.Campaigns} }},
	{name: "CampaignDayCampaignID", bad: 1, field: "campaign_id", seed: reqSeedCampaign,
		write:  reqDays(foundation.CampaignDay{CampaignID: "C-001", Date: reqDate, Sends: 10}, foundation.CampaignDay{Date: reqDate, Sends: 5}),
		stored: storedDays},
	{name: "CampaignDayDate", bad: 0, field: "date", seed: reqSeedCampaign,
		write:  reqDays(foundation.CampaignDay{CampaignID: "C-001", Sends: 5}, foundation.CampaignDay{CampaignID: "C-001", Date: reqDate, Sends: 10}),
		stored: storedDays},
	{name: "LicenseTool", bad: 1, field: "tool",
		write: func(t *testing.T, s store.Store) (*store.UpsertResult, error) {
			return s.LicensesUpsert(ctx(t), &store.LicensesUpsertParams{Licenses: []foundation.License{
				{Tool: "gong", Seats: 5}, {Vendor: "Nobody", Seats: 3}}})
		},
		stored: func(c store.Counts) map[string]int64 { return map[string]int64{"Licenses": c.Licenses} }},
	{name: "LicenseUsageTool", bad: 1, field: "tool", seed: reqSeedLicense,
		write:  reqUsage(foundation.LicenseUsage{Tool: "gong", UserEmail: "ana@x.test"}, foundation.LicenseUsage{UserEmail: "bo@x.test"}),
		stored: storedUsage},
	{name: "LicenseUsageUserEmail", bad: 0, field: "user_email", seed: reqSeedLicense,
		write:  reqUsage(foundation.LicenseUsage{Tool: "gong"}, foundation.LicenseUsage{Tool: "gong", UserEmail: "ana@x.test"}),
		stored: storedUsage},
	{name: "TemplateID", bad: 0, field: "id",
		write: func(t *testing.T, s store.Store) (*store.UpsertResult, error) {
			return s.TemplatesUpsert(ctx(t), &store.TemplatesUpsertParams{Templates: []foundation.Template{
				{ESP: "braze", Body: "no id"}, {ID: "T-001", ESP: "braze", Body: "hi"}}})
		},
		stored: func(c store.Counts) map[string]int64 { return map[string]int64{"Templates": c.Templates} }},
	{name: "EventMessageID", bad: 1, field: "message_id",
		write: func(t *testing.T, s store.Store) (*store.UpsertResult, error) {
			return s.EventsInsert(ctx(t), &store.EventsInsertParams{Events: []foundation.Event{
				{MessageID: "m1", Type: "track", Event: "Signed Up", Timestamp: reqAt},
				{Type: "track", Event: "Signed Up", Timestamp: reqAt}}})
		},
		stored: func(c store.Counts) map[string]int64 { return map[string]int64{"Events": c.Events} }},
}

// requiredTests turns requiredCases into tests, and adds one for the
// order of several rejections in a batch.
var requiredTests = func() []test {
	out := make([]test, 0, len(requiredCases)+1)
	for _, rc := range requiredCases {
		out = append(out, test{rc.name, func(t *testing.T, s store.Store) {
			if rc.seed != nil {
				rc.seed(t, s)
			}
			res, err := rc.write(t, s)
			// No Reason to quote: checkRejected then only asks that there is
			// one, and the wording stays the backend's.
			checkRejected(t, res, err, 1, store.Rejection{Index: rc.bad, Field: rc.field})
			if res != nil && res.Duplicates != 0 {
				t.Errorf("Duplicates = %d, want 0", res.Duplicates)
			}
			for kind, n := range rc.stored(counts(t, s)) {
				checkEqual(t, "Counts."+kind, n, int64(1))
			}
		}})
	}
	out = append(out, test{"InBatchOrderFirstProblemWins", func(t *testing.T, s store.Store) {
		reqSeedAccountProduct(t, s)
		res, err := reqHoldings(
			foundation.Holding{AccountID: "A-001", ProductID: "P-001"},
			foundation.Holding{AccountID: "A-404", ProductID: "P-001"}, // unknown reference
			foundation.Holding{}, // both missing: account_id reported
			foundation.Holding{AccountID: "A-001"},
		)(t, s)
		want := []store.Rejection{{Index: 1, Field: "account_id"}, {Index: 2, Field: "account_id"}, {Index: 3, Field: "product_id"}}
		checkRejected(t, res, err, 1, want...)
		for i, r := range res.Rejected {
			if r.Index != want[i].Index {
				t.Errorf("Rejected[%d].Index = %d, want %d: rejections must come in batch order", i, r.Index, want[i].Index)
			}
		}
		checkEqual(t, "Counts.Holdings", counts(t, s).Holdings, int64(1))
	}})
	return out
}()
