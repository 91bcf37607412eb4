package store

import (
	"context"

	"github.com/towerops/tower/internal/foundation"
)

// Writer upserts foundation data in batches. Every method is idempotent:
// writing the same batch twice leaves the database as writing it once
// (upsert on the natural key named on each Params type).
type Writer interface {
	OwnersUpsert(ctx context.Context, p *OwnersUpsertParams) (*UpsertResult, error)
	AccountsUpsert(ctx context.Context, p *AccountsUpsertParams) (*UpsertResult, error)
	ProductsUpsert(ctx context.Context, p *ProductsUpsertParams) (*UpsertResult, error)
	RecordsUpsert(ctx context.Context, p *RecordsUpsertParams) (*UpsertResult, error)
	ConsentUpsert(ctx context.Context, p *ConsentUpsertParams) (*UpsertResult, error)
	HoldingsUpsert(ctx context.Context, p *HoldingsUpsertParams) (*UpsertResult, error)
	CampaignsUpsert(ctx context.Context, p *CampaignsUpsertParams) (*UpsertResult, error)
	CampaignDaysUpsert(ctx context.Context, p *CampaignDaysUpsertParams) (*UpsertResult, error)
	LicensesUpsert(ctx context.Context, p *LicensesUpsertParams) (*UpsertResult, error)
	LicenseUsageUpsert(ctx context.Context, p *LicenseUsageUpsertParams) (*UpsertResult, error)
	TemplatesUpsert(ctx context.Context, p *TemplatesUpsertParams) (*UpsertResult, error)
	EventsInsert(ctx context.Context, p *EventsInsertParams) (*UpsertResult, error)
}

// UpsertResult says what a batch did.
type UpsertResult struct {
	// Written counts rows inserted or updated (an unchanged re-write counts).
	Written int
	// Duplicates counts rows skipped because they were already stored and
	// the kind is insert-only (events with a known message id).
	Duplicates int
	// Rejected lists rows not written, by their index in the batch.
	Rejected []Rejection
}

// Rejection is one row a backend refused, with the field at fault and a
// reason a marketing-operations person can act on.
type Rejection struct {
	Index  int    // position in the batch
	Field  string // the column at fault, e.g. "account_id"
	Reason string // e.g. `account "A-9" not found; import accounts.csv first`
}

// OwnersUpsertParams: natural key id.
type OwnersUpsertParams struct{ Owners []foundation.Owner }

// AccountsUpsertParams: natural key id. An owner_id that names no owner is
// rejected.
type AccountsUpsertParams struct{ Accounts []foundation.Account }

// ProductsUpsertParams: natural key id.
type ProductsUpsertParams struct{ Products []foundation.Product }

// RecordsUpsertParams: natural key (system, system_id). A new record is
// linked to the person with the same normalised e-mail, or to a new person
// (see foundation.Record.PersonKey); an existing record keeps its person.
// Person fields that are empty are filled from the record. An account_id
// that names no account is rejected.
type RecordsUpsertParams struct{ Records []foundation.Record }

// ConsentUpsertParams: natural key (system, system_id, email, channel,
// status, at). A fact with a SystemID that names no record of that system
// is rejected; a fact keyed by e-mail is linked to that system's records
// with the address when there are any, and kept unlinked otherwise (an
// address-only suppression list entry).
type ConsentUpsertParams struct{ Consents []foundation.Consent }

// HoldingsUpsertParams: natural key (account_id, product_id, person_email).
// Unknown accounts or products are rejected.
type HoldingsUpsertParams struct{ Holdings []foundation.Holding }

// CampaignsUpsertParams: natural key id. An unknown owner_id is rejected.
type CampaignsUpsertParams struct{ Campaigns []foundation.Campaign }

// CampaignDaysUpsertParams: natural key (campaign_id, date, variant). An
// unknown campaign is rejected.
type CampaignDaysUpsertParams struct{ Days []foundation.CampaignDay }

// LicensesUpsertParams: natural key tool.
type LicensesUpsertParams struct{ Licenses []foundation.License }

// LicenseUsageUpsertParams: natural key (tool, user_email). An unknown tool
// is rejected.
type LicenseUsageUpsertParams struct{ Usage []foundation.LicenseUsage }

// TemplatesUpsertParams: natural key id.
type TemplatesUpsertParams struct{ Templates []foundation.Template }

// EventsInsertParams: natural key message_id; an event whose message id is
// already stored is counted in Duplicates and not written again. Each new
// event is linked to a person: by Email (a person with that normalised
// e-mail), else by UserID (a record whose system_id equals it), else left
// unlinked (PersonID 0) with its ids kept for a later identify.
type EventsInsertParams struct{ Events []foundation.Event }
