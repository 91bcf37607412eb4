package main

import (
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/towerops/tower/internal/measure"
	"github.com/towerops/tower/internal/proposal"
)

// valueCommand is the value report, the value models behind it, and
// measuring outcomes on demand.
func (a *app) valueCommand() *cobra.Command {
	cmd := &cobra.Command{Use: "value", Short: "What the agent fleet delivered, how each kind of action is valued, and measuring it"}
	cmd.AddCommand(a.valueReportCommand(), a.valueModelsCommand(), a.valueMeasureCommand())
	return cmd
}

func (a *app) valueReportCommand() *cobra.Command {
	var (
		month  string
		cost   = measure.DefaultReviewCost
		asJSON bool
	)
	cmd := &cobra.Command{
		Use:   "report [--month YYYY-MM]",
		Short: "The month's value report: what the agents delivered, by team and skill, and what it cost in review time",
		Long: `What the agent fleet delivered in a month, for proposals made in that month:
realised value (measured after execution: is the change still in place, were
the seats really cut) apart from what is still pending measurement, by team
and by skill, and the time people spent reviewing at the stated cost. Every
assumption behind the figures is listed under them.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			m, err := measure.ParseMonth(month, time.Now())
			if err != nil {
				return flagError(err)
			}
			if cost.MinutesPerDecision <= 0 || cost.HourlyUSD <= 0 {
				return fmt.Errorf("--review-minutes and --hourly-cost must be above zero")
			}
			st, err := a.store(cmd.Context())
			if err != nil {
				return err
			}
			r, err := measure.ValueReport(cmd.Context(), st, m, cost)
			if err != nil {
				return err
			}
			if asJSON {
				return printJSON(a.stdout, r)
			}
			return a.printReport(r)
		},
	}
	f := cmd.Flags()
	f.StringVar(&month, "month", "", "the month (YYYY-MM, default this month)")
	f.Float64Var(&cost.MinutesPerDecision, "review-minutes", cost.MinutesPerDecision, "minutes a person spends on each decision")
	f.Float64Var(&cost.HourlyUSD, "hourly-cost", cost.HourlyUSD, "what an hour of a person's time costs, in dollars")
	f.BoolVar(&asJSON, "json", false, "print the report as JSON")
	return cmd
}

func (a *app) printReport(r *measure.Report) error {
	f := r.Fleet
	fmt.Fprintf(a.stdout, "Value delivered by the agent fleet, %s (proposals made %s to %s, UTC)\n\n", r.Month,
		r.Since.Format(time.DateOnly), r.Until.AddDate(0, 0, -1).Format(time.DateOnly))
	fmt.Fprintf(a.stdout, "  %d proposals, %d executed (%d on their own), %d decided by people\n", f.Proposals, f.Executed, f.Autonomous, f.Decided)
	fmt.Fprintf(a.stdout, "  Delivered (measured):  %s and %.1f hours of manual work\n", proposal.Dollars(r.DeliveredUSD), r.DeliveredHours)
	fmt.Fprintf(a.stdout, "  Pending measurement:   %s and %.1f hours (estimated, %d proposals)\n", proposal.Dollars(r.PendingUSD), r.PendingHours, f.Pending)
	fmt.Fprintf(a.stdout, "  Review time:           %.1f hours, %s\n", f.ReviewHours, proposal.Dollars(r.ReviewUSD))
	fmt.Fprintf(a.stdout, "  Net:                   %s\n\n", proposal.Dollars(r.NetUSD))
	for _, g := range []struct {
		title string
		cards []measure.Card
	}{{"TEAM", r.Teams}, {"SKILL", r.Skills}} {
		if len(g.cards) == 0 {
			continue
		}
		tb := newTable(a.stdout, g.title, "PROPOSED", "EXECUTED", "ON OWN", "DELIVERED", "PENDING", "REVIEW H")
		for _, c := range g.cards {
			key := c.Key
			if key == "" {
				key = "(none)"
			}
			pending := c.Expected
			pending.SavingsUSD -= c.ExpectedMeasured.SavingsUSD
			pending.PipelineUSD -= c.ExpectedMeasured.PipelineUSD
			pending.HoursSaved -= c.ExpectedMeasured.HoursSaved
			tb.row(key, c.Proposals, c.Executed, c.Autonomous, valueShort(c.Realised), valueShort(pending), c.ReviewHours)
		}
		if err := tb.flush(); err != nil {
			return err
		}
		fmt.Fprintln(a.stdout)
	}
	fmt.Fprintln(a.stdout, "Assumptions:")
	for _, s := range r.Assumptions {
		fmt.Fprintf(a.stdout, "  - %s\n", s)
	}
	return nil
}

func (a *app) valueModelsCommand() *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "models",
		Short: "How each kind of action's value is estimated, and how and when Tower measures what it was worth",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			ms := measure.Models()
			if asJSON {
				return printJSON(a.stdout, ms)
			}
			for _, m := range ms {
				fmt.Fprintf(a.stdout, "%s\n  estimated: %s\n  realised:  %s\n  measured:  %s after it runs\n\n",
					m.Kind, m.Estimate, m.Realise, humanAfter(m.After))
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the models as JSON")
	return cmd
}

func (a *app) valueMeasureCommand() *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "measure",
		Short: "Measure now what executed proposals turned out to be worth (tower serve does this every hour)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			st, err := a.store(cmd.Context())
			if err != nil {
				return err
			}
			res, err := measure.Realise(cmd.Context(), st, time.Now().UTC())
			if err != nil {
				return err
			}
			if asJSON {
				return printJSON(a.stdout, res)
			}
			fmt.Fprintf(a.stdout, "Measured %d executed proposals; %d are not due for measurement yet.\n", res.Measured, res.Waiting)
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the counts as JSON")
	return cmd
}

// humanAfter writes a measurement delay in days or hours.
func humanAfter(d time.Duration) string {
	if d >= 24*time.Hour && d%(24*time.Hour) == 0 {
		if d == 24*time.Hour {
			return "1 day"
		}
		return fmt.Sprintf("%d days", d/(24*time.Hour))
	}
	return fmt.Sprintf("%g hours", d.Hours())
}
