package main

import (
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/towerops/tower/internal/foundation"
	"github.com/towerops/tower/internal/proposal"
	"github.com/towerops/tower/internal/skills/licenseauditor"
	"github.com/towerops/tower/internal/store"
)

// licenseRow is one licence in `tower licenses list --json`.
type licenseRow struct {
	Tool             string  `json:"tool"`
	Vendor           string  `json:"vendor"`
	Category         string  `json:"category"`
	Seats            int     `json:"seats"`
	CostPerSeatMonth float64 `json:"cost_per_seat_month"`
	RenewalDate      string  `json:"renewal_date,omitempty"` // YYYY-MM-DD
	OwnerEmail       string  `json:"owner_email,omitempty"`
}

// licensesCommand lists the martech licences and audits who uses them.
func (a *app) licensesCommand() *cobra.Command {
	cmd := &cobra.Command{Use: "licenses", Short: "List martech licences and find idle seats before renewals"}

	var listJSON bool
	list := &cobra.Command{
		Use:   "list",
		Short: "List the licences the company pays for",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			st, err := a.store(cmd.Context())
			if err != nil {
				return err
			}
			var rows []foundation.License
			for off := 0; ; off += 1000 {
				got, err := st.LicensesList(cmd.Context(), &store.LicensesListParams{Page: store.Page{Limit: 1000, Offset: off}})
				if err != nil {
					return fmt.Errorf("listing licences: %w", err)
				}
				rows = append(rows, got...)
				if len(got) < 1000 {
					break
				}
			}
			if listJSON {
				out := []licenseRow{}
				for _, l := range rows {
					r := licenseRow{Tool: l.Tool, Vendor: l.Vendor, Category: l.Category, Seats: l.Seats,
						CostPerSeatMonth: l.CostPerSeatMonth, OwnerEmail: l.OwnerEmail}
					if !l.RenewalDate.IsZero() {
						r.RenewalDate = l.RenewalDate.Format(time.DateOnly)
					}
					out = append(out, r)
				}
				return printJSON(a.stdout, out)
			}
			if len(rows) == 0 {
				fmt.Fprintln(a.stdout, "No licences yet: import a licenses.csv (see docs/import.md).")
				return nil
			}
			t := newTable(a.stdout, "TOOL", "VENDOR", "CATEGORY", "SEATS", "COST/SEAT/MONTH", "RENEWAL")
			for _, l := range rows {
				t.row(l.Tool, l.Vendor, l.Category, l.Seats, l.CostPerSeatMonth, l.RenewalDate)
			}
			return t.flush()
		},
	}
	list.Flags().BoolVar(&listJSON, "json", false, "print as JSON")

	var (
		auditJSON bool
		idleDays  int
		asOf      string
	)
	audit := &cobra.Command{
		Use:   "audit",
		Short: "Find idle and unassigned seats, overlapping tools and what they cost",
		Long: `Measure every licence: seats, who holds them, who was active in the last
30/60/90 days, idle users (never active, or not for --idle-days), integration
and API users (kept apart, never counted idle), reclaimable seats and their
cost, renewals within 90 days, and categories paying for two or more tools.
Ends with the annual saving in plain words. See docs/licenses.md.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			now := time.Now().UTC()
			if asOf != "" {
				d, err := time.Parse(time.DateOnly, asOf)
				if err != nil {
					return fmt.Errorf("--as-of: write the date as YYYY-MM-DD, e.g. 2026-11-01")
				}
				now = d
			}
			if idleDays < 1 {
				return fmt.Errorf("--idle-days must be at least 1 (got %d)", idleDays)
			}
			st, err := a.store(cmd.Context())
			if err != nil {
				return err
			}
			rep, err := licenseauditor.Audit(cmd.Context(), st, now, licenseauditor.Options{IdleDays: idleDays})
			if err != nil {
				return fmt.Errorf("auditing licences: %w", err)
			}
			if auditJSON {
				if rep.Tools == nil {
					rep.Tools = []licenseauditor.Tool{}
				}
				if rep.Overlaps == nil {
					rep.Overlaps = []licenseauditor.Overlap{}
				}
				return printJSON(a.stdout, rep)
			}
			return a.printAudit(rep)
		},
	}
	audit.Flags().BoolVar(&auditJSON, "json", false, "print as JSON")
	audit.Flags().IntVar(&idleDays, "idle-days", 90, "a user not active for this many days (or never) holds an idle seat")
	audit.Flags().StringVar(&asOf, "as-of", "", "measure as of this date, YYYY-MM-DD (default today; a demo workspace's today is in data/truth.json)")

	cmd.AddCommand(list, audit)
	return cmd
}

func (a *app) printAudit(rep *licenseauditor.Report) error {
	w := a.stdout
	if len(rep.Tools) == 0 {
		fmt.Fprintln(w, "No licences yet: import licenses.csv and license_usage.csv (see docs/import.md).")
		return nil
	}
	fmt.Fprintf(w, "Licence audit as of %s (idle = not active for %d days, or never).\n\n", rep.Now.Format(time.DateOnly), rep.IdleDays)
	t := newTable(w, "TOOL", "CATEGORY", "SEATS", "ASSIGNED", "UNASSIGNED", "ACTIVE 30/60/90D", "IDLE", "INTEGRATIONS", "RECLAIMABLE", "WASTE/MONTH", "WASTE/YEAR", "RENEWAL", "DAYS")
	for _, tl := range rep.Tools {
		days := "-"
		if tl.DaysToRenewal != nil {
			days = fmt.Sprint(*tl.DaysToRenewal)
			if tl.RenewalSoon {
				days += " !"
			}
		}
		t.row(tl.Tool, tl.Category, tl.Seats, tl.Assigned, tl.Unassigned,
			fmt.Sprintf("%d/%d/%d", tl.Active30, tl.Active60, tl.Active90), len(tl.Idle), len(tl.Integration),
			tl.Reclaimable, proposal.Dollars(tl.MonthlyWaste), proposal.Dollars(tl.AnnualWaste), tl.RenewalDate, days)
	}
	if err := t.flush(); err != nil {
		return err
	}
	if soon := rep.RenewalsSoon(); len(soon) > 0 {
		fmt.Fprintf(w, "\nRenewing within %d days — decide on seats before these dates:\n", rep.RenewalWindowDays)
		for _, tl := range soon {
			fmt.Fprintf(w, "  %s renews on %s (in %d days): %d of %d seats reclaimable, %s a year.\n",
				tl.Tool, tl.RenewalDate, *tl.DaysToRenewal, tl.Reclaimable, tl.Seats, proposal.Dollars(tl.AnnualWaste))
		}
	}
	if len(rep.Overlaps) > 0 {
		fmt.Fprintln(w, "\nTools that do the same job:")
		for _, o := range rep.Overlaps {
			var parts []string
			for _, ot := range o.Tools {
				parts = append(parts, fmt.Sprintf("%s (%d seats, %d active, %s a year)", ot.Tool, ot.Seats, ot.ActiveUsers, proposal.Dollars(ot.AnnualCost)))
			}
			fmt.Fprintf(w, "  %s: %s.\n    %s.\n", o.Category, strings.Join(parts, ", "), o.Summary())
		}
		fmt.Fprintf(w, "  Assumption: %s.\n", licenseauditor.ConsolidationAssumption)
	}
	tot := rep.Totals
	fmt.Fprintf(w, "\nIn short: %d of %d seats are idle or unassigned, costing %s a month (%s a year).",
		tot.ReclaimableSeats, tot.Seats, proposal.Dollars(tot.MonthlyIdleSaving), proposal.Dollars(tot.AnnualIdleSaving))
	if tot.AnnualConsolidationSaving > 0 {
		fmt.Fprintf(w, " Consolidating overlapping tools would save about %s a year more.", proposal.Dollars(tot.AnnualConsolidationSaving))
	}
	fmt.Fprintf(w, " Together: about %s a year of a %s annual spend.\n", proposal.Dollars(tot.AnnualSaving), proposal.Dollars(tot.AnnualSpend))
	return nil
}
