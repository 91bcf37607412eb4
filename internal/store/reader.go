package store

import (
	"context"
	"time"

	"github.com/towerops/tower/internal/foundation"
)

// Reader reads the foundation. List methods return rows in a stable order
// (named on each method) and take Limit/Offset; Limit 0 means 100.
// Get methods return ErrNotFound (wrapped) when nothing matches.
type Reader interface {
	// PersonGet returns one person with its records and consent facts.
	PersonGet(ctx context.Context, p *PersonGetParams) (*PersonDetail, error)
	// PeopleList orders by id.
	PeopleList(ctx context.Context, p *PeopleListParams) ([]PersonSummary, error)
	// RecordsList orders by (system, system_id).
	RecordsList(ctx context.Context, p *RecordsListParams) ([]foundation.Record, error)
	// ConsentList orders by (at, id).
	ConsentList(ctx context.Context, p *ConsentListParams) ([]foundation.Consent, error)

	AccountGet(ctx context.Context, p *AccountGetParams) (*AccountDetail, error)
	// AccountsList orders by id.
	AccountsList(ctx context.Context, p *AccountsListParams) ([]foundation.Account, error)
	// OwnersList orders by id.
	OwnersList(ctx context.Context, p *OwnersListParams) ([]foundation.Owner, error)
	// ProductsList orders by id.
	ProductsList(ctx context.Context, p *ProductsListParams) ([]foundation.Product, error)
	// HoldingsList orders by (account_id, product_id, person_email).
	HoldingsList(ctx context.Context, p *HoldingsListParams) ([]foundation.Holding, error)

	CampaignGet(ctx context.Context, p *CampaignGetParams) (*CampaignDetail, error)
	// CampaignsList orders by id.
	CampaignsList(ctx context.Context, p *CampaignsListParams) ([]CampaignSummary, error)
	// CampaignDaysList orders by (campaign_id, date, variant).
	CampaignDaysList(ctx context.Context, p *CampaignDaysListParams) ([]foundation.CampaignDay, error)

	// LicensesList orders by tool.
	LicensesList(ctx context.Context, p *LicensesListParams) ([]foundation.License, error)
	// LicenseUsageList orders by (tool, user_email).
	LicenseUsageList(ctx context.Context, p *LicenseUsageListParams) ([]foundation.LicenseUsage, error)

	TemplateGet(ctx context.Context, p *TemplateGetParams) (*foundation.Template, error)
	// TemplatesList orders by id.
	TemplatesList(ctx context.Context, p *TemplatesListParams) ([]foundation.Template, error)

	// EventsList orders by (timestamp, id).
	EventsList(ctx context.Context, p *EventsListParams) ([]foundation.Event, error)

	// Counts returns how many rows of each kind the workspace holds.
	Counts(ctx context.Context) (*Counts, error)

	// LastActivity returns, for each of PersonIDs that has events at or
	// before Until (zero: any time), the time of its latest event. People
	// without events are absent from the map.
	LastActivity(ctx context.Context, p *LastActivityParams) (map[int64]time.Time, error)

	// TagsList orders by (entity, id, tag). Tags are written by executors
	// (see Effects) and read by skills.
	TagsList(ctx context.Context, p *TagsListParams) ([]Tag, error)

	// TasksList orders by (due, id). Tasks are written by executors
	// (create_task) and read by skills that follow them up.
	TasksList(ctx context.Context, p *TasksListParams) ([]Task, error)

	SegmentReader
}

// LastActivityParams asks for the latest event time of some people.
type LastActivityParams struct {
	PersonIDs []int64
	Until     time.Time
}

// Page is embedded in list params.
type Page struct {
	Limit  int // 0 means 100
	Offset int
}

// PersonGetParams finds a person by ID, or by normalised Email.
type PersonGetParams struct {
	ID    int64
	Email string
}

// PersonDetail is a person with everything each system says about them.
type PersonDetail struct {
	Person  foundation.Person
	Records []foundation.Record  // ordered by (system, system_id)
	Consent []foundation.Consent // ordered by (at, id)
}

// PeopleListParams filters people. Search matches e-mail, first or last
// name as a case-insensitive substring. Merged people are left out.
type PeopleListParams struct {
	Page
	Search    string
	AccountID string
	System    string // only people with a record in this system
}

// PersonSummary is a row of the people list.
type PersonSummary struct {
	foundation.Person
	Systems []string // systems holding a record of the person, sorted
}

// RecordsListParams filters records; zero fields do not filter.
type RecordsListParams struct {
	Page
	PersonID int64
	System   string
	SystemID string // with System: the one record of that natural key
}

// ConsentListParams filters consent facts; zero fields do not filter.
type ConsentListParams struct {
	Page
	PersonID int64
	System   string
	Channel  foundation.Channel
	Status   foundation.ConsentStatus
	Until    time.Time // facts at or before; zero does not filter
}

// AccountGetParams finds an account by id.
type AccountGetParams struct{ ID string }

// AccountDetail is an account with its owner, holdings and headcount.
type AccountDetail struct {
	Account  foundation.Account
	Owner    *foundation.Owner // nil when unowned
	Holdings []foundation.Holding
	People   int // people linked to the account
}

// AccountsListParams filters accounts. Search matches name or domain.
type AccountsListParams struct {
	Page
	Search  string
	OwnerID string
	Region  string
}

// OwnersListParams lists owners.
type OwnersListParams struct {
	Page
	Team foundation.Team
}

// ProductsListParams lists products.
type ProductsListParams struct{ Page }

// HoldingsListParams filters holdings.
type HoldingsListParams struct {
	Page
	AccountID string
	ProductID string
}

// CampaignGetParams finds a campaign by id.
type CampaignGetParams struct{ ID string }

// CampaignDetail is a campaign with its daily metrics (all variants).
type CampaignDetail struct {
	Campaign foundation.Campaign
	Days     []foundation.CampaignDay // ordered by (date, variant)
}

// CampaignsListParams filters campaigns.
type CampaignsListParams struct {
	Page
	Channel foundation.CampaignChannel
	OwnerID string
}

// CampaignSummary is a campaign with its totals over all days (whole-
// campaign rows when present, else the sum of the variants).
type CampaignSummary struct {
	foundation.Campaign
	Days        int
	Sends       int64
	Clicks      int64
	Conversions int64
	Spend       float64
	Revenue     float64
	Variants    []string // distinct non-empty variants, sorted
}

// CampaignDaysListParams filters daily metrics.
type CampaignDaysListParams struct {
	Page
	CampaignID string
	From, To   time.Time // inclusive; zero does not filter
}

// LicensesListParams lists licences.
type LicensesListParams struct{ Page }

// LicenseUsageListParams filters usage.
type LicenseUsageListParams struct {
	Page
	Tool string
}

// TemplateGetParams finds a template by id.
type TemplateGetParams struct{ ID string }

// TemplatesListParams lists templates.
type TemplatesListParams struct {
	Page
	ESP foundation.ESP
}

// EventsListParams filters events.
type EventsListParams struct {
	Page
	PersonID int64
	Type     foundation.EventType
	Event    string
	Since    time.Time
	Until    time.Time // events at or before; zero does not filter
}

// Counts is the size of a workspace.
type Counts struct {
	People, Records, Accounts, Owners, Products, Holdings int64
	Consent, Campaigns, CampaignDays, Events              int64
	Licenses, LicenseUsage, Templates                     int64
}
