package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// licenseBundle writes the licence fixture of the licenseauditor tests as
// CSV, measured as of 2026-11-20 (see that package's fixture for the
// figures worked out by hand).
func licenseBundle(t *testing.T) string {
	dir := t.TempDir()
	write := func(name, body string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("licenses.csv", `tool,vendor,category,seats,cost_per_seat_month,renewal_date,owner_email
Braze,Braze,esp,10,120,2026-12-20,ops@x.com
Iterable,Iterable,esp,6,150,2027-06-01,ops@x.com
Gong,Gong,conversation_intelligence,5,100,2027-03-01,ops@x.com
`)
	write("license_usage.csv", `tool,user_email,last_active_at,actions_30d
Braze,a@x.com,2026-11-15T09:00:00Z,100
Braze,b@x.com,2026-10-11T09:00:00Z,0
Braze,c@x.com,2026-09-11T09:00:00Z,0
Braze,d@x.com,2026-08-12T09:00:00Z,0
Braze,e@x.com,,0
Braze,braze-connector@x.com,,50000
Braze,api@x.com,2026-11-19T09:00:00Z,10
Iterable,f@x.com,2026-11-10T09:00:00Z,5
Iterable,h@x.com,2026-08-23T09:00:00Z,0
Iterable,g@x.com,2026-05-04T09:00:00Z,0
Gong,p@x.com,2026-11-17T09:00:00Z,20
Gong,q@x.com,2026-11-17T09:00:00Z,20
Gong,r@x.com,2026-11-17T09:00:00Z,20
Gong,s@x.com,2026-11-17T09:00:00Z,20
Gong,t@x.com,2026-11-17T09:00:00Z,20
`)
	return dir
}

func TestLicensesCommands(t *testing.T) {
	bundle := licenseBundle(t)
	for name, envFor := range backends(t) {
		t.Run(name, func(t *testing.T) {
			env := envFor(t)
			ws := filepath.Join(t.TempDir(), "acme")
			mustCLI(t, env, "init", ws)
			env["TOWER_WORKSPACE"] = ws

			if out := mustCLI(t, env, "licenses", "list"); !strings.Contains(out, "No licences yet") {
				t.Errorf("an empty workspace should say so: %q", out)
			}
			mustCLI(t, env, "import", bundle)

			var rows []licenseRow
			if err := json.Unmarshal([]byte(mustCLI(t, env, "licenses", "list", "--json")), &rows); err != nil {
				t.Fatal(err)
			}
			if len(rows) != 3 || rows[0] != (licenseRow{Tool: "Braze", Vendor: "Braze", Category: "esp", Seats: 10, CostPerSeatMonth: 120, RenewalDate: "2026-12-20", OwnerEmail: "ops@x.com"}) {
				t.Errorf("list --json: %+v", rows)
			}
			list := mustCLI(t, env, "licenses", "list")
			if !strings.Contains(list, "Iterable") || !strings.Contains(list, "150.00") || !strings.Contains(list, "2027-06-01") {
				t.Errorf("list:\n%s", list)
			}

			var rep struct {
				Tools []struct {
					Tool          string `json:"tool"`
					Reclaimable   int    `json:"reclaimable_seats"`
					NewSeats      int    `json:"new_seats"`
					DaysToRenewal int    `json:"days_to_renewal"`
					RenewalSoon   bool   `json:"renewal_soon"`
					Idle          []struct {
						Email string `json:"email"`
					} `json:"idle"`
					Integration []struct {
						Email string `json:"email"`
					} `json:"integration"`
				} `json:"tools"`
				Overlaps []struct {
					Category     string  `json:"category"`
					Keep         string  `json:"keep"`
					AnnualSaving float64 `json:"annual_saving"`
				} `json:"overlaps"`
				Totals struct {
					AnnualIdle   float64 `json:"annual_idle_saving"`
					AnnualConsol float64 `json:"annual_consolidation_saving"`
					AnnualSaving float64 `json:"annual_saving"`
					RenewalsSoon int     `json:"renewals_soon"`
					Reclaimable  int     `json:"reclaimable_seats"`
				} `json:"totals"`
			}
			if err := json.Unmarshal([]byte(mustCLI(t, env, "licenses", "audit", "--as-of", "2026-11-20", "--json")), &rep); err != nil {
				t.Fatal(err)
			}
			got := map[string][3]int{}
			for _, tl := range rep.Tools {
				got[tl.Tool] = [3]int{tl.Reclaimable, tl.NewSeats, tl.DaysToRenewal}
			}
			want := map[string][3]int{"Braze": {5, 5, 30}, "Iterable": {4, 2, 193}, "Gong": {0, 5, 101}}
			for k, w := range want {
				if got[k] != w {
					t.Errorf("%s: reclaimable, new seats, days to renewal = %v, want %v", k, got[k], w)
				}
			}
			if len(rep.Overlaps) != 1 || rep.Overlaps[0].Keep != "Braze" || rep.Overlaps[0].AnnualSaving != 720 {
				t.Errorf("overlaps %+v", rep.Overlaps)
			}
			if rep.Totals.AnnualIdle != 14400 || rep.Totals.AnnualConsol != 720 || rep.Totals.AnnualSaving != 15120 || rep.Totals.RenewalsSoon != 1 || rep.Totals.Reclaimable != 9 {
				t.Errorf("totals %+v", rep.Totals)
			}

			text := mustCLI(t, env, "licenses", "audit", "--as-of", "2026-11-20")
			for _, want := range []string{
				"Braze renews on 2026-12-20 (in 30 days): 5 of 10 seats reclaimable, $7,200 a year.",
				"esp: moving Iterable into Braze would save about $720 a year",
				"In short: 9 of 21 seats are idle or unassigned, costing $1,200 a month ($14,400 a year).",
				"Together: about $15,120 a year of a $31,200 annual spend.",
			} {
				if !strings.Contains(text, want) {
					t.Errorf("audit text lacks %q:\n%s", want, text)
				}
			}

			// At 60 days c@ and h@ are idle too: 11 reclaimable seats.
			var at60 struct {
				Totals struct {
					Reclaimable int `json:"reclaimable_seats"`
				} `json:"totals"`
			}
			if err := json.Unmarshal([]byte(mustCLI(t, env, "licenses", "audit", "--as-of", "2026-11-20", "--idle-days", "60", "--json")), &at60); err != nil {
				t.Fatal(err)
			}
			if at60.Totals.Reclaimable != 11 {
				t.Errorf("--idle-days 60: %d reclaimable, want 11", at60.Totals.Reclaimable)
			}
			if _, _, err := cli(t, env, "licenses", "audit", "--as-of", "20/11/2026"); err == nil || !strings.Contains(err.Error(), "YYYY-MM-DD") {
				t.Errorf("a bad date should be explained: %v", err)
			}
		})
	}
}
