package licenseauditor

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/towerops/tower/internal/proposal"
	"github.com/towerops/tower/internal/skill"
)

// Name is the skill's name.
const Name = "license-auditor"

func init() { skill.Register(Skill{}) }

// Skill implements license-auditor.
type Skill struct{}

var _ skill.Skill = Skill{}

// Manifest declares the skill.
func (Skill) Manifest() skill.Manifest {
	return skill.Manifest{
		Name:        Name,
		Team:        "marketing-ops",
		Description: "Finds idle and unassigned martech seats and tools that do the same job, and proposes cutting seats before renewals and consolidating overlaps.",
		Triggers:    skill.Triggers{Schedule: "0 7 * * 1", Events: []string{"import:licenses", "import:license_usage"}},
		Actions:     []proposal.Kind{proposal.CutLicenseSeats, proposal.Notify},
		Params: []skill.Param{
			{Name: "idle_days", Type: skill.Duration, Default: "90d", Description: "a user not active for this long (or never) holds an idle seat"},
			{Name: "renewal_window", Type: skill.Duration, Default: "90d", Description: "renewals this close come first, and their proposals expire before the renewal"},
		},
	}
}

// Run audits once per agent (agents may differ in idle_days).
func (s Skill) Run(ctx context.Context, v skill.View, batch []skill.Agent) ([]proposal.Draft, error) {
	var drafts []proposal.Draft
	for _, a := range batch {
		opt := Options{IdleDays: days(a.Params.Duration("idle_days")), RenewalWindowDays: days(a.Params.Duration("renewal_window"))}
		rep, err := Audit(ctx, v, v.Now(), opt)
		if err != nil {
			return nil, fmt.Errorf("agent %s: %w", a.Name, err)
		}
		drafts = append(drafts, Drafts(a.Name, rep)...)
	}
	return drafts, nil
}

// days rounds a duration to whole days (at least one).
func days(d time.Duration) int {
	return max(1, int((d+12*time.Hour)/(24*time.Hour)))
}

// Drafts turns a report into proposals: a seat cut per tool with
// reclaimable seats, renewals within the window first (soonest first),
// then by annual saving; then a note per overlapping category.
func Drafts(agent string, rep *Report) []proposal.Draft {
	tools := slices.Clone(rep.Tools)
	slices.SortStableFunc(tools, func(a, b Tool) int {
		if a.RenewalSoon != b.RenewalSoon {
			if a.RenewalSoon {
				return -1
			}
			return 1
		}
		if a.RenewalSoon {
			if c := cmp.Compare(*a.DaysToRenewal, *b.DaysToRenewal); c != 0 {
				return c
			}
		}
		return cmp.Or(cmp.Compare(b.AnnualWaste, a.AnnualWaste), cmp.Compare(a.Tool, b.Tool))
	})
	var out []proposal.Draft
	for _, t := range tools {
		if t.Reclaimable > 0 {
			out = append(out, cutDraft(agent, rep, t))
		}
	}
	for _, o := range rep.Overlaps {
		out = append(out, overlapDraft(agent, o))
	}
	return out
}

// defaultTTL keeps a seat proposal open for two weeks, the usual time a
// finance or ops owner needs to look at it.
const defaultTTL = 14 * 24 * time.Hour

func cutDraft(agent string, rep *Report, t Tool) proposal.Draft {
	facts := []proposal.Fact{
		{Name: "seats paid for", Value: t.Seats, Source: "licences"},
		{Name: "unassigned seats", Value: t.Unassigned, Source: "licences and licence usage"},
		{Name: fmt.Sprintf("users idle for more than %d days or never active", rep.IdleDays), Value: len(t.Idle), Source: "licence usage"},
		{Name: "active users", Value: t.ActiveUsers},
		{Name: "integration users (kept, never counted idle)", Value: len(t.Integration)},
		{Name: "cost per seat", Value: t.CostPerSeatMonth, Unit: "USD/month"},
	}
	for _, u := range t.Idle {
		facts = append(facts, proposal.Fact{Name: "idle: " + u.Email, Value: lastActive(u), Source: "last active"})
	}
	for _, u := range t.Integration {
		facts = append(facts, proposal.Fact{Name: "integration (kept): " + u.Email, Value: u.Why})
	}
	renewal := "no renewal date on record"
	ttl := defaultTTL
	confidence := 0.85
	if t.DaysToRenewal != nil {
		facts = append(facts, proposal.Fact{Name: "renewal date", Value: t.RenewalDate, Source: "licences"},
			proposal.Fact{Name: "days to renewal", Value: *t.DaysToRenewal, Unit: "days"})
		renewal = fmt.Sprintf("it renews on %s, in %d days", t.RenewalDate, *t.DaysToRenewal)
		if t.RenewalSoon {
			// Expire a day before the renewal: after it, the seats are
			// bought for another term and the proposal is moot.
			ttl = min(ttl, max(24*time.Hour, time.Duration(*t.DaysToRenewal-1)*24*time.Hour))
		}
	}
	if len(t.Idle) > 0 && t.Unassigned == 0 {
		confidence = 0.75 // idle people may return; unassigned seats are certain
	}
	parts := []string{}
	if t.Unassigned > 0 {
		parts = append(parts, fmt.Sprintf("%d seats nobody holds", t.Unassigned))
	}
	if len(t.Idle) > 0 {
		parts = append(parts, fmt.Sprintf("%d users not active for %d days or more (%s)", len(t.Idle), rep.IdleDays, idleList(t.Idle, 5)))
	}
	return proposal.Draft{
		Agent: agent,
		Title: fmt.Sprintf("Cut %s from %d to %d seats: %s a year", t.Tool, t.Seats, t.NewSeats, proposal.Dollars(t.AnnualWaste)),
		Rationale: fmt.Sprintf("%s pays for %d seats at %s a seat a month; %s. Cutting to %d seats keeps every active user and integration and saves %s a month. %s. "+
			"Remove the idle users in %s before the seats are cut, or tell them first.",
			t.Tool, t.Seats, money2(t.CostPerSeatMonth), strings.Join(parts, " and "), t.NewSeats, proposal.Dollars(t.MonthlyWaste), capitalise(renewal), t.Tool),
		Actions: []proposal.Action{{Kind: proposal.CutLicenseSeats,
			Targets: []proposal.Target{{Type: proposal.TargetLicense, ID: t.Tool, Label: t.Tool + " (" + t.Vendor + ")"}},
			Params:  map[string]any{"seats": t.NewSeats}}},
		Evidence: proposal.Evidence{Facts: facts},
		ExpectedValue: proposal.Value{SavingsUSD: t.AnnualWaste, Assumptions: []string{
			fmt.Sprintf("%d reclaimable seats × %s a seat a month × 12 months, at the current list price", t.Reclaimable, money2(t.CostPerSeatMonth)),
			"the vendor lets seats be reduced at (or before) the next renewal",
		}},
		Confidence: confidence,
		Key:        "license:" + t.Tool,
		TTL:        ttl,
	}
}

func overlapDraft(agent string, o Overlap) proposal.Draft {
	var facts []proposal.Fact
	var names []string
	for _, t := range o.Tools {
		names = append(names, t.Tool)
		facts = append(facts,
			proposal.Fact{Name: t.Tool + ": seats", Value: t.Seats, Source: "licences"},
			proposal.Fact{Name: t.Tool + ": active users", Value: t.ActiveUsers, Source: "licence usage"},
			proposal.Fact{Name: t.Tool + ": cost", Value: t.AnnualCost, Unit: "USD/year"})
	}
	facts = append(facts, proposal.Fact{Name: "annual saving if consolidated into " + o.Keep, Value: o.AnnualSaving, Unit: "USD/year"})
	msg := fmt.Sprintf("The company pays for %d %s tools (%s). %s. Assumption: %s.",
		len(o.Tools), o.Category, strings.Join(names, ", "), capitalise(o.Summary()), o.Assumption)
	return proposal.Draft{
		Agent:     agent,
		Title:     fmt.Sprintf("Consolidation candidate: %s (%s)", strings.Join(names, " and "), o.Category),
		Rationale: msg,
		Actions: []proposal.Action{{Kind: proposal.Notify,
			Params: map[string]any{"message": msg}}},
		Evidence: proposal.Evidence{Facts: facts},
		ExpectedValue: proposal.Value{SavingsUSD: max(0, o.AnnualSaving),
			Assumptions: []string{o.Assumption}},
		Confidence: 0.5, // a consolidation is a decision for people, not a fact
		Key:        "overlap:" + o.Category,
		TTL:        30 * 24 * time.Hour,
	}
}

func lastActive(u User) string {
	if u.LastActive.IsZero() {
		return "never"
	}
	return u.LastActive.Format(time.DateOnly)
}

func idleList(us []User, n int) string {
	var parts []string
	for i, u := range us {
		if i == n {
			parts = append(parts, fmt.Sprintf("and %d more", len(us)-n))
			break
		}
		parts = append(parts, u.Email+" last active "+lastActive(u))
	}
	return strings.Join(parts, ", ")
}

func money2(f float64) string {
	if f == float64(int64(f)) {
		return proposal.Dollars(f)
	}
	return fmt.Sprintf("$%.2f", f)
}

func capitalise(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
