package main

import (
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/towerops/tower/internal/fleet"
)

func (a *app) simulateCommand() *cobra.Command {
	var (
		from, to, only string
		asJSON         bool
	)
	cmd := &cobra.Command{
		Use:   "simulate --from DATE --to DATE [--skill SKILL]",
		Short: "Replay history day by day through the agents and governance, without changing anything",
		Long: "Runs the agents as of the end of each day between --from and --to and shows what they would have\n" +
			"proposed, and what governance would have allowed, held for approval or denied. Nothing is written\n" +
			"and nothing runs: this is how a team tests an agent before it goes live.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			f, err := time.Parse("2006-01-02", from)
			if err != nil {
				return fmt.Errorf("--from %q: write a date as YYYY-MM-DD", from)
			}
			t, err := time.Parse("2006-01-02", to)
			if err != nil {
				return fmt.Errorf("--to %q: write a date as YYYY-MM-DD", to)
			}
			if t.Sub(f) > 366*24*time.Hour {
				return fmt.Errorf("simulate at most a year at a time (from %s to %s is longer)", from, to)
			}
			st, err := a.fleetStore(cmd.Context())
			if err != nil {
				return err
			}
			req := fleet.SimulateRequest{From: f, To: t}
			if only != "" {
				req.Skills = []string{only}
			}
			bar := a.newProgress()
			req.Progress = func(day time.Time, done, total int) { bar.update("simulating days", int64(done), int64(total), false) }
			res, err := a.runner(st).Simulate(cmd.Context(), req)
			bar.finish()
			if err != nil {
				return err
			}
			if asJSON {
				return printJSON(a.stdout, res)
			}
			tb := newTable(a.stdout, "DAY", "PROPOSED", "WOULD RUN", "HELD FOR APPROVAL", "DENIED", "ALREADY OPEN")
			for _, d := range res.Days {
				tb.row(d.Date, d.Proposed, d.Allowed, d.Held, d.Denied, d.Skipped)
			}
			tb.row("total", res.Totals.Proposed, res.Totals.Allowed, res.Totals.Held, res.Totals.Denied, res.Totals.Skipped)
			if err := tb.flush(); err != nil {
				return err
			}
			for _, p := range res.Problems {
				fmt.Fprintf(a.stdout, "problem with agent %s: %s\n", p.Agent, p.Err)
			}
			fmt.Fprintln(a.stdout, "Nothing was written or executed. Use --json to see every proposal.")
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&from, "from", "", "first day (YYYY-MM-DD)")
	f.StringVar(&to, "to", "", "last day (YYYY-MM-DD)")
	f.StringVar(&only, "skill", "", "only this skill's agents")
	f.BoolVar(&asJSON, "json", false, "print every day and proposal as JSON")
	_ = cmd.MarkFlagRequired("from")
	_ = cmd.MarkFlagRequired("to")
	return cmd
}
