package licenseauditor

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/towerops/tower/internal/foundation"
	"github.com/towerops/tower/internal/store"
	"github.com/towerops/tower/internal/store/eachbackend"
)

var now = time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)

func daysAgo(n int) time.Time { return now.AddDate(0, 0, -n).Truncate(time.Second) }

// fixture writes three tools, figures worked out by hand:
//
//	Braze (esp, 10 seats, $120, renews in 30 days)
//	  a@ 5 days ago · b@ 40 days · c@ 70 days · d@ 100 days (idle) · e@ never (idle)
//	  braze-connector@ never but 50,000 API actions (integration) · api@ yesterday (integration, by address)
//	  → 7 assigned, 3 unassigned, 2 idle, 5 reclaimable, cut to 5; $600/month, $7,200/year
//	Iterable (esp, 6 seats, $150, renews 2027-06-01, 193 days)
//	  f@ 10 days · h@ 89 days (not idle at 90) · g@ 200 days (idle)
//	  → 3 assigned, 3 unassigned, 1 idle, 4 reclaimable, cut to 2; $600/month, $7,200/year
//	Gong (5 seats, $100, renews 2027-03-01, 101 days): five users active this week → nothing
//
// Overlap esp: keep Braze (more seats). Iterable after its cut costs
// 2 × $150 × 12 = $3,600; its 2 active users on Braze cost 2 × $120 × 12 =
// $2,880; saving $720. Totals: $14,400 idle + $720 = $15,120 a year.
func fixture(t *testing.T, st store.Store) {
	ctx := context.Background()
	lics := []foundation.License{
		{Tool: "Braze", Vendor: "Braze", Category: "esp", Seats: 10, CostPerSeatMonth: 120, RenewalDate: time.Date(2026, 12, 20, 0, 0, 0, 0, time.UTC), OwnerEmail: "ops@x.com"},
		{Tool: "Iterable", Vendor: "Iterable", Category: "esp", Seats: 6, CostPerSeatMonth: 150, RenewalDate: time.Date(2027, 6, 1, 0, 0, 0, 0, time.UTC), OwnerEmail: "ops@x.com"},
		{Tool: "Gong", Vendor: "Gong", Category: "conversation_intelligence", Seats: 5, CostPerSeatMonth: 100, RenewalDate: time.Date(2027, 3, 1, 0, 0, 0, 0, time.UTC), OwnerEmail: "ops@x.com"},
	}
	if _, err := st.LicensesUpsert(ctx, &store.LicensesUpsertParams{Licenses: lics}); err != nil {
		t.Fatal(err)
	}
	u := func(tool, who string, last time.Time, actions int) foundation.LicenseUsage {
		return foundation.LicenseUsage{Tool: tool, UserEmail: who + "@x.com", LastActiveAt: last, Actions30d: actions}
	}
	usage := []foundation.LicenseUsage{
		u("Braze", "a", daysAgo(5), 100), u("Braze", "b", daysAgo(40), 0), u("Braze", "c", daysAgo(70), 0),
		u("Braze", "d", daysAgo(100), 0), u("Braze", "e", time.Time{}, 0),
		u("Braze", "braze-connector", time.Time{}, 50000), u("Braze", "api", daysAgo(1), 10),
		u("Iterable", "f", daysAgo(10), 5), u("Iterable", "h", daysAgo(89), 0), u("Iterable", "g", daysAgo(200), 0),
	}
	for _, who := range []string{"p", "q", "r", "s", "t"} {
		usage = append(usage, u("Gong", who, daysAgo(3), 20))
	}
	if _, err := st.LicenseUsageUpsert(ctx, &store.LicenseUsageUpsertParams{Usage: usage}); err != nil {
		t.Fatal(err)
	}
}

func emails(us []User) []string {
	out := []string{}
	for _, u := range us {
		out = append(out, u.Email)
	}
	return out
}

func TestAudit(t *testing.T) {
	eachbackend.Run(t, func(t *testing.T, st store.Store) {
		fixture(t, st)
		rep, err := Audit(context.Background(), st, now, Options{})
		if err != nil {
			t.Fatal(err)
		}
		type figures struct {
			Seats, Assigned, Unassigned, A30, A60, A90, Active int
			Idle, Integration                                  []string
			Reclaimable, NewSeats                              int
			Monthly, Annual                                    float64
			Days                                               int
			Soon                                               bool
		}
		want := map[string]figures{
			"Braze":    {10, 7, 3, 1, 2, 3, 3, []string{"d@x.com", "e@x.com"}, []string{"api@x.com", "braze-connector@x.com"}, 5, 5, 600, 7200, 30, true},
			"Iterable": {6, 3, 3, 1, 1, 2, 2, []string{"g@x.com"}, []string{}, 4, 2, 600, 7200, 193, false},
			"Gong":     {5, 5, 0, 5, 5, 5, 5, []string{}, []string{}, 0, 5, 0, 0, 101, false},
		}
		if len(rep.Tools) != 3 {
			t.Fatalf("got %d tools", len(rep.Tools))
		}
		for name, w := range want {
			tl := rep.Tool(name)
			got := figures{tl.Seats, tl.Assigned, tl.Unassigned, tl.Active30, tl.Active60, tl.Active90, tl.ActiveUsers,
				emails(tl.Idle), emails(tl.Integration), tl.Reclaimable, tl.NewSeats, tl.MonthlyWaste, tl.AnnualWaste, *tl.DaysToRenewal, tl.RenewalSoon}
			if !reflect.DeepEqual(got, w) {
				t.Errorf("%s:\n got %+v\nwant %+v", name, got, w)
			}
		}
		braze := rep.Tool("Braze")
		if !braze.Idle[1].LastActive.IsZero() || !braze.Idle[0].LastActive.Equal(daysAgo(100)) {
			t.Errorf("idle users' last activity: %+v", braze.Idle)
		}
		if len(rep.Overlaps) != 1 {
			t.Fatalf("overlaps: %+v", rep.Overlaps)
		}
		o := rep.Overlaps[0]
		if o.Category != "esp" || o.Keep != "Braze" || o.AnnualSaving != 720 || len(o.Tools) != 2 ||
			o.Tools[1] != (OverlapTool{Tool: "Iterable", Seats: 6, ActiveUsers: 2, MonthlyCost: 900, AnnualCost: 10800}) {
			t.Errorf("overlap %+v", o)
		}
		wantTotals := Totals{Seats: 21, ReclaimableSeats: 9, MonthlyIdleSaving: 1200, AnnualIdleSaving: 14400,
			AnnualConsolidationSaving: 720, AnnualSaving: 15120, AnnualSpend: 31200, RenewalsSoon: 1}
		if rep.Totals != wantTotals {
			t.Errorf("totals\n got %+v\nwant %+v", rep.Totals, wantTotals)
		}
		if soon := rep.RenewalsSoon(); len(soon) != 1 || soon[0].Tool != "Braze" {
			t.Errorf("renewals soon: %+v", soon)
		}

		// At 60 days c@ (70) and h@ (89) become idle too.
		rep, err = Audit(context.Background(), st, now, Options{IdleDays: 60})
		if err != nil {
			t.Fatal(err)
		}
		if b, i := rep.Tool("Braze"), rep.Tool("Iterable"); b.Reclaimable != 6 || i.Reclaimable != 5 || i.NewSeats != 1 ||
			!reflect.DeepEqual(emails(b.Idle), []string{"c@x.com", "d@x.com", "e@x.com"}) {
			t.Errorf("at 60 days: Braze %d reclaimable %v, Iterable %d → %d", b.Reclaimable, emails(b.Idle), i.Reclaimable, i.NewSeats)
		}
	})
}

func TestIntegrationReason(t *testing.T) {
	for email, want := range map[string]bool{
		"integration@x.com": true, "api@x.com": true, "hubspot-sync@x.com": true, "sf-connector@x.com": true,
		"maria@x.com": false, "apinya@x.com": false, "sync@x.com": false,
	} {
		got := integrationReason(foundation.LicenseUsage{UserEmail: email, LastActiveAt: now}) != ""
		if got != want {
			t.Errorf("%s: integration %v, want %v", email, got, want)
		}
	}
	if integrationReason(foundation.LicenseUsage{UserEmail: "x@x.com", Actions30d: 3}) == "" {
		t.Error("API actions without a login is an integration")
	}
	if integrationReason(foundation.LicenseUsage{UserEmail: "x@x.com"}) != "" {
		t.Error("never active with no actions is an idle person, not an integration")
	}
}
