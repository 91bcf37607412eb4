package api

import (
	"time"

	"github.com/towerops/tower/internal/foundation"
	"github.com/towerops/tower/internal/store"
)

// The foundation's rows as the API shows them: snake_case names, dates
// left out when unknown, maps never null. The domain types carry no JSON
// tags on purpose (they are not a wire format); these views are the API's
// contract and change only with it.

// optTime is t, or nil when t is unknown (zero), so it is left out.
func optTime(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}

func traitsOf(t foundation.Traits) map[string]any {
	if t == nil {
		return map[string]any{}
	}
	return t
}

type person struct {
	ID        int64          `json:"id"`
	Email     string         `json:"email,omitempty"`
	Name      string         `json:"name" doc:"First and last name, or the e-mail when no name is known."`
	FirstName string         `json:"first_name,omitempty"`
	LastName  string         `json:"last_name,omitempty"`
	Title     string         `json:"title,omitempty"`
	Phone     string         `json:"phone,omitempty"`
	AccountID string         `json:"account_id,omitempty"`
	Country   string         `json:"country,omitempty"`
	Region    string         `json:"region,omitempty"`
	Traits    map[string]any `json:"traits"`
	Systems   []string       `json:"systems,omitempty" doc:"The systems that hold a record of this person."`
	CreatedAt time.Time      `json:"created_at"`
	UpdatedAt time.Time      `json:"updated_at"`
}

func personOf(p foundation.Person) person {
	return person{ID: p.ID, Email: p.Email, Name: p.Name(), FirstName: p.FirstName, LastName: p.LastName, Title: p.Title,
		Phone: p.Phone, AccountID: p.AccountID, Country: p.Country, Region: p.Region, Traits: traitsOf(p.Traits),
		CreatedAt: p.CreatedAt, UpdatedAt: p.UpdatedAt}
}

func personSummaryOf(p store.PersonSummary) person {
	out := personOf(p.Person)
	out.Systems = p.Systems
	return out
}

// record is what one system (a CRM, an ESP…) holds about a person.
type record struct {
	System    string         `json:"system"`
	SystemID  string         `json:"system_id"`
	Email     string         `json:"email,omitempty"`
	FirstName string         `json:"first_name,omitempty"`
	LastName  string         `json:"last_name,omitempty"`
	Title     string         `json:"title,omitempty"`
	Phone     string         `json:"phone,omitempty"`
	AccountID string         `json:"account_id,omitempty"`
	Country   string         `json:"country,omitempty"`
	Region    string         `json:"region,omitempty"`
	Traits    map[string]any `json:"traits"`
	CreatedAt *time.Time     `json:"created_at,omitempty"`
	UpdatedAt *time.Time     `json:"updated_at,omitempty"`
}

func recordOf(r foundation.Record) record {
	return record{System: r.System, SystemID: r.SystemID, Email: r.Email, FirstName: r.FirstName, LastName: r.LastName,
		Title: r.Title, Phone: r.Phone, AccountID: r.AccountID, Country: r.Country, Region: r.Region,
		Traits: traitsOf(r.Traits), CreatedAt: optTime(r.CreatedAt), UpdatedAt: optTime(r.UpdatedAt)}
}

// consent is one fact a system holds about contacting a person.
type consent struct {
	System   string    `json:"system"`
	SystemID string    `json:"system_id,omitempty"`
	Email    string    `json:"email,omitempty"`
	Channel  string    `json:"channel" doc:"email, sms or phone."`
	Status   string    `json:"status" doc:"subscribed, unsubscribed, hard_bounce, soft_bounce, complaint or do_not_contact."`
	Reason   string    `json:"reason,omitempty"`
	At       time.Time `json:"at"`
}

func consentOf(c foundation.Consent) consent {
	return consent{System: c.System, SystemID: c.SystemID, Email: c.Email, Channel: string(c.Channel),
		Status: string(c.Status), Reason: c.Reason, At: c.At}
}

// personDetail is a person with everything each system says about them.
type personDetail struct {
	Person  person    `json:"person"`
	Records []record  `json:"records" nullable:"false"`
	Consent []consent `json:"consent" nullable:"false"`
}

type account struct {
	ID             string         `json:"id"`
	Name           string         `json:"name"`
	Domain         string         `json:"domain,omitempty"`
	Industry       string         `json:"industry,omitempty"`
	Employees      int            `json:"employees,omitempty"`
	Region         string         `json:"region,omitempty"`
	Tier           string         `json:"tier,omitempty"`
	OwnerID        string         `json:"owner_id,omitempty"`
	LifecycleStage string         `json:"lifecycle_stage,omitempty"`
	Traits         map[string]any `json:"traits"`
}

func accountOf(a foundation.Account) account {
	return account{ID: a.ID, Name: a.Name, Domain: a.Domain, Industry: a.Industry, Employees: a.Employees, Region: a.Region,
		Tier: a.Tier, OwnerID: a.OwnerID, LifecycleStage: a.LifecycleStage, Traits: traitsOf(a.Traits)}
}

// owner is the seller, customer-success manager or marketer who owns an
// account or campaign.
type owner struct {
	ID       string `json:"id"`
	Name     string `json:"name"`
	Email    string `json:"email,omitempty"`
	Team     string `json:"team,omitempty"`
	Region   string `json:"region,omitempty"`
	Capacity int    `json:"capacity,omitempty"`
}

// holding is a product an account (or one person of it) has.
type holding struct {
	ProductID   string     `json:"product_id"`
	PersonEmail string     `json:"person_email,omitempty" doc:"Absent when the whole account holds it."`
	Since       *time.Time `json:"since,omitempty"`
	Seats       int        `json:"seats,omitempty"`
	MRR         float64    `json:"mrr,omitempty" doc:"Monthly recurring revenue."`
}

type accountDetail struct {
	Account  account   `json:"account"`
	Owner    *owner    `json:"owner,omitempty" doc:"Absent when nobody owns the account."`
	Holdings []holding `json:"holdings" nullable:"false"`
	People   int       `json:"people" doc:"How many people work there, as Tower knows them."`
}

func accountDetailOf(d *store.AccountDetail) accountDetail {
	out := accountDetail{Account: accountOf(d.Account), People: d.People, Holdings: []holding{}}
	if o := d.Owner; o != nil {
		out.Owner = &owner{ID: o.ID, Name: o.Name, Email: o.Email, Team: string(o.Team), Region: o.Region, Capacity: o.Capacity}
	}
	for _, h := range d.Holdings {
		out.Holdings = append(out.Holdings, holding{ProductID: h.ProductID, PersonEmail: h.PersonEmail, Since: optTime(h.Since), Seats: h.Seats, MRR: h.MRR})
	}
	return out
}

type campaign struct {
	ID        string         `json:"id"`
	Name      string         `json:"name"`
	Channel   string         `json:"channel"`
	OwnerID   string         `json:"owner_id,omitempty"`
	Status    string         `json:"status,omitempty" doc:"active or paused."`
	StartDate *time.Time     `json:"start_date,omitempty"`
	EndDate   *time.Time     `json:"end_date,omitempty" doc:"Absent while the campaign is open-ended."`
	Budget    float64        `json:"budget,omitempty"`
	Goal      string         `json:"goal,omitempty"`
	Segment   string         `json:"segment,omitempty"`
	Traits    map[string]any `json:"traits"`
	// Totals are over every day Tower has; in the list only.
	Totals *campaignTotals `json:"totals,omitempty"`
}

type campaignTotals struct {
	Days        int      `json:"days"`
	Sends       int64    `json:"sends"`
	Clicks      int64    `json:"clicks"`
	Conversions int64    `json:"conversions"`
	Spend       float64  `json:"spend"`
	Revenue     float64  `json:"revenue"`
	Variants    []string `json:"variants,omitempty" doc:"The A/B variants the campaign ran."`
}

func campaignOf(c foundation.Campaign) campaign {
	return campaign{ID: c.ID, Name: c.Name, Channel: string(c.Channel), OwnerID: c.OwnerID, Status: c.Status,
		StartDate: optTime(c.StartDate), EndDate: optTime(c.EndDate), Budget: c.Budget, Goal: string(c.Goal),
		Segment: c.Segment, Traits: traitsOf(c.Traits)}
}

func campaignSummaryOf(c store.CampaignSummary) campaign {
	out := campaignOf(c.Campaign)
	out.Totals = &campaignTotals{Days: c.Days, Sends: c.Sends, Clicks: c.Clicks, Conversions: c.Conversions,
		Spend: c.Spend, Revenue: c.Revenue, Variants: c.Variants}
	return out
}

// campaignDay is one day of a campaign's metrics, for the whole campaign
// (no variant) or one A/B variant.
type campaignDay struct {
	Date         time.Time `json:"date"`
	Variant      string    `json:"variant,omitempty"`
	Sends        int64     `json:"sends"`
	Delivered    int64     `json:"delivered"`
	Opens        int64     `json:"opens"`
	Clicks       int64     `json:"clicks"`
	Conversions  int64     `json:"conversions"`
	Spend        float64   `json:"spend"`
	Revenue      float64   `json:"revenue"`
	Unsubscribes int64     `json:"unsubscribes"`
	HardBounces  int64     `json:"hard_bounces"`
	Complaints   int64     `json:"complaints"`
}

func campaignDayOf(d foundation.CampaignDay) campaignDay {
	return campaignDay{Date: d.Date, Variant: d.Variant, Sends: d.Sends, Delivered: d.Delivered, Opens: d.Opens,
		Clicks: d.Clicks, Conversions: d.Conversions, Spend: d.Spend, Revenue: d.Revenue,
		Unsubscribes: d.Unsubscribes, HardBounces: d.HardBounces, Complaints: d.Complaints}
}

type campaignDetail struct {
	Campaign campaign      `json:"campaign"`
	Days     []campaignDay `json:"days" nullable:"false"`
}

// template is an e-mail template as its platform stores it.
type template struct {
	ID         string         `json:"id"`
	ESP        string         `json:"esp" doc:"The e-mail platform it is written for."`
	Dialect    string         `json:"dialect" doc:"liquid or handlebars."`
	Subject    string         `json:"subject,omitempty"`
	CampaignID string         `json:"campaign_id,omitempty"`
	Segment    string         `json:"segment,omitempty"`
	Path       string         `json:"path,omitempty" doc:"The file it was imported from."`
	Body       string         `json:"body,omitempty" doc:"The template itself; only when one template is asked for."`
	Traits     map[string]any `json:"traits"`
}

func templateOf(t foundation.Template) template {
	return template{ID: t.ID, ESP: string(t.ESP), Dialect: string(t.Dialect), Subject: t.Subject, CampaignID: t.CampaignID,
		Segment: t.Segment, Path: t.Path, Body: t.Body, Traits: traitsOf(t.Traits)}
}

// license is a tool the company pays for by the seat.
type license struct {
	Tool             string     `json:"tool"`
	Vendor           string     `json:"vendor,omitempty"`
	Category         string     `json:"category,omitempty"`
	Seats            int        `json:"seats"`
	CostPerSeatMonth float64    `json:"cost_per_seat_month"`
	RenewalDate      *time.Time `json:"renewal_date,omitempty"`
	OwnerEmail       string     `json:"owner_email,omitempty"`
}

func licenseOf(l foundation.License) license {
	return license{Tool: l.Tool, Vendor: l.Vendor, Category: l.Category, Seats: l.Seats, CostPerSeatMonth: l.CostPerSeatMonth,
		RenewalDate: optTime(l.RenewalDate), OwnerEmail: l.OwnerEmail}
}
