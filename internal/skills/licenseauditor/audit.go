package licenseauditor

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/towerops/tower/internal/foundation"
	"github.com/towerops/tower/internal/store"
)

// Options tune an audit.
type Options struct {
	// IdleDays: a user last active more than this many days ago (or never)
	// is idle. Default 90.
	IdleDays int
	// RenewalWindowDays: renewals within this many days are flagged.
	// Default 90.
	RenewalWindowDays int
}

func (o Options) withDefaults() Options {
	if o.IdleDays <= 0 {
		o.IdleDays = 90
	}
	if o.RenewalWindowDays <= 0 {
		o.RenewalWindowDays = 90
	}
	return o
}

// User is one person (or integration) holding a seat.
type User struct {
	Email      string    `json:"email"`
	LastActive time.Time `json:"last_active,omitzero"` // zero: never
	Actions30d int       `json:"actions_30d"`
	// Why is why an integration user was recognised as one.
	Why string `json:"why,omitempty"`
}

// Tool is one licence's audit.
type Tool struct {
	Tool             string  `json:"tool"`
	Vendor           string  `json:"vendor"`
	Category         string  `json:"category"`
	OwnerEmail       string  `json:"owner_email,omitempty"`
	Seats            int     `json:"seats"`
	Assigned         int     `json:"assigned"`
	Unassigned       int     `json:"unassigned"`
	CostPerSeatMonth float64 `json:"cost_per_seat_month"`
	// Active30/60/90 count people (integrations excluded) active within
	// that many days.
	Active30 int `json:"active_30d"`
	Active60 int `json:"active_60d"`
	Active90 int `json:"active_90d"`
	// ActiveUsers are the people who are not idle (by IdleDays).
	ActiveUsers int    `json:"active_users"`
	Idle        []User `json:"idle"`
	Integration []User `json:"integration"`
	// Reclaimable = Unassigned + len(Idle); NewSeats what the licence
	// could be cut to (never below the seats active users and
	// integrations hold).
	Reclaimable   int     `json:"reclaimable_seats"`
	NewSeats      int     `json:"new_seats"`
	MonthlyWaste  float64 `json:"monthly_waste"`
	AnnualWaste   float64 `json:"annual_waste"`
	MonthlyCost   float64 `json:"monthly_cost"`
	RenewalDate   string  `json:"renewal_date,omitempty"` // YYYY-MM-DD
	DaysToRenewal *int    `json:"days_to_renewal,omitempty"`
	RenewalSoon   bool    `json:"renewal_soon"`
	renewal       time.Time
}

// Report is a whole audit.
type Report struct {
	Now      time.Time `json:"now"`
	IdleDays int       `json:"idle_days"`
	// RenewalWindowDays is the horizon of RenewalSoon.
	RenewalWindowDays int       `json:"renewal_window_days"`
	Tools             []Tool    `json:"tools"`
	Overlaps          []Overlap `json:"overlaps"`
	Totals            Totals    `json:"totals"`
}

// Totals are the figures a team takes to its CMO.
type Totals struct {
	Seats             int     `json:"seats"`
	ReclaimableSeats  int     `json:"reclaimable_seats"`
	MonthlyIdleSaving float64 `json:"monthly_idle_saving"`
	AnnualIdleSaving  float64 `json:"annual_idle_saving"`
	// AnnualConsolidationSaving sums the overlaps' positive savings.
	AnnualConsolidationSaving float64 `json:"annual_consolidation_saving"`
	AnnualSaving              float64 `json:"annual_saving"`
	AnnualSpend               float64 `json:"annual_spend"`
	RenewalsSoon              int     `json:"renewals_soon"`
}

// Tool returns the audit of one tool, or nil.
func (r *Report) Tool(name string) *Tool {
	for i := range r.Tools {
		if r.Tools[i].Tool == name {
			return &r.Tools[i]
		}
	}
	return nil
}

const page = 5000

// Audit reads every licence and its usage and measures them as of now.
func Audit(ctx context.Context, r store.Reader, now time.Time, opt Options) (*Report, error) {
	opt = opt.withDefaults()
	now = now.UTC()
	var lics []foundation.License
	for off := 0; ; off += page {
		got, err := r.LicensesList(ctx, &store.LicensesListParams{Page: store.Page{Limit: page, Offset: off}})
		if err != nil {
			return nil, fmt.Errorf("read licences: %w", err)
		}
		lics = append(lics, got...)
		if len(got) < page {
			break
		}
	}
	usage := map[string][]foundation.LicenseUsage{}
	for off := 0; ; off += page {
		got, err := r.LicenseUsageList(ctx, &store.LicenseUsageListParams{Page: store.Page{Limit: page, Offset: off}})
		if err != nil {
			return nil, fmt.Errorf("read licence usage: %w", err)
		}
		for _, u := range got {
			usage[u.Tool] = append(usage[u.Tool], u)
		}
		if len(got) < page {
			break
		}
	}
	rep := &Report{Now: now, IdleDays: opt.IdleDays, RenewalWindowDays: opt.RenewalWindowDays}
	for _, l := range lics {
		rep.Tools = append(rep.Tools, auditTool(l, usage[l.Tool], now, opt))
	}
	rep.Overlaps = overlaps(rep.Tools)
	rep.Totals = totals(rep)
	return rep, nil
}

// auditTool measures one licence.
func auditTool(l foundation.License, usage []foundation.LicenseUsage, now time.Time, opt Options) Tool {
	t := Tool{Tool: l.Tool, Vendor: l.Vendor, Category: l.Category, OwnerEmail: l.OwnerEmail,
		Seats: l.Seats, Assigned: len(usage), CostPerSeatMonth: l.CostPerSeatMonth,
		Idle: []User{}, Integration: []User{}, renewal: l.RenewalDate}
	idleBefore := now.AddDate(0, 0, -opt.IdleDays)
	for _, u := range usage {
		user := User{Email: u.UserEmail, LastActive: u.LastActiveAt.UTC(), Actions30d: u.Actions30d}
		if u.LastActiveAt.IsZero() {
			user.LastActive = time.Time{}
		}
		if why := integrationReason(u); why != "" {
			user.Why = why
			t.Integration = append(t.Integration, user)
			continue
		}
		for _, tier := range []struct {
			days int
			n    *int
		}{{30, &t.Active30}, {60, &t.Active60}, {90, &t.Active90}} {
			if !user.LastActive.IsZero() && !user.LastActive.Before(now.AddDate(0, 0, -tier.days)) {
				*tier.n++
			}
		}
		if user.LastActive.IsZero() || user.LastActive.Before(idleBefore) {
			t.Idle = append(t.Idle, user)
		} else {
			t.ActiveUsers++
		}
	}
	t.Unassigned = max(0, t.Seats-t.Assigned)
	t.Reclaimable = t.Unassigned + len(t.Idle)
	// The seats active people and integrations hold are never cut.
	t.NewSeats = min(t.Seats, max(t.Seats-t.Reclaimable, t.ActiveUsers+len(t.Integration)))
	t.Reclaimable = t.Seats - t.NewSeats
	t.MonthlyCost = cents(float64(t.Seats) * t.CostPerSeatMonth)
	t.MonthlyWaste = cents(float64(t.Reclaimable) * t.CostPerSeatMonth)
	t.AnnualWaste = cents(t.MonthlyWaste * 12)
	if !l.RenewalDate.IsZero() {
		d := l.RenewalDate.UTC()
		t.RenewalDate = d.Format(time.DateOnly)
		day := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
		days := int(math.Round(time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, time.UTC).Sub(day).Hours() / 24))
		t.DaysToRenewal = &days
		t.RenewalSoon = days >= 0 && days <= opt.RenewalWindowDays
	}
	return t
}

// integrationReason says why a usage row is an integration or API user,
// or "". Practice (DOMAIN §8): API activity without an interactive login,
// or a service address.
func integrationReason(u foundation.LicenseUsage) string {
	if u.LastActiveAt.IsZero() && u.Actions30d > 0 {
		return fmt.Sprintf("%d API actions in 30 days and no interactive login", u.Actions30d)
	}
	local, _, _ := strings.Cut(strings.ToLower(u.UserEmail), "@")
	switch {
	case local == "integration" || local == "api":
		return "a service address (" + local + "@)"
	case strings.HasSuffix(local, "-sync"), strings.HasSuffix(local, "-connector"), strings.HasSuffix(local, "-integration"), strings.HasSuffix(local, "-api"):
		return "a service address (" + local + "@)"
	}
	return ""
}

func totals(r *Report) Totals {
	var t Totals
	for _, tool := range r.Tools {
		t.Seats += tool.Seats
		t.ReclaimableSeats += tool.Reclaimable
		t.MonthlyIdleSaving += tool.MonthlyWaste
		t.AnnualSpend += tool.MonthlyCost * 12
		if tool.RenewalSoon {
			t.RenewalsSoon++
		}
	}
	for _, o := range r.Overlaps {
		t.AnnualConsolidationSaving += max(0, o.AnnualSaving)
	}
	t.MonthlyIdleSaving = cents(t.MonthlyIdleSaving)
	t.AnnualIdleSaving = cents(t.MonthlyIdleSaving * 12)
	t.AnnualConsolidationSaving = cents(t.AnnualConsolidationSaving)
	t.AnnualSaving = cents(t.AnnualIdleSaving + t.AnnualConsolidationSaving)
	t.AnnualSpend = cents(t.AnnualSpend)
	return t
}

// RenewalsSoon returns the tools renewing within the window, soonest first.
func (r *Report) RenewalsSoon() []Tool {
	var out []Tool
	for _, t := range r.Tools {
		if t.RenewalSoon {
			out = append(out, t)
		}
	}
	slices.SortStableFunc(out, func(a, b Tool) int { return *a.DaysToRenewal - *b.DaysToRenewal })
	return out
}

func cents(f float64) float64 { return math.Round(f*100) / 100 }
