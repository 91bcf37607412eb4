package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/towerops/tower/internal/bench"
)

func (a *app) benchCommand() *cobra.Command {
	var (
		cfg    bench.Config
		asJSON bool
		// One variable per size flag: flags bound to one variable would
		// all take the default of the last one registered.
		rows, agents, approvals int
	)
	cmd := &cobra.Command{
		Use:   "bench",
		Short: "Measure Tower on this machine (imports, demo build, fleet cycle, governance)",
		Long: `Measure how fast Tower does real work on this machine, against a fresh
database: SQLite in a temporary folder, or with --database a new schema on a
PostgreSQL server (dropped afterwards). No workspace is needed or touched.`,
	}
	people := &cobra.Command{
		Use:   "import",
		Short: "Import a generated people.csv (default 1,000,000 rows) and report rows per second",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			cfg.Rows = rows
			return a.runBench(cmd, asJSON, func() (*bench.Result, error) { return bench.ImportPeople(cmd.Context(), cfg) }, &cfg)
		},
	}
	people.Flags().IntVar(&rows, "rows", 1_000_000, "how many people rows to import")
	demoCmd := &cobra.Command{
		Use:   "demo",
		Short: "Generate the demo bundle and import it, timing each file",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.runBench(cmd, asJSON, func() (*bench.Result, error) { return bench.Demo(cmd.Context(), cfg) }, &cfg)
		},
	}
	fleetCmd := &cobra.Command{
		Use:   "fleet",
		Short: "Run one fleet cycle of a trivial skill over many agents (default 50,000)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			cfg.Rows = agents
			return a.runBench(cmd, asJSON, func() (*bench.Result, error) { return bench.Fleet(cmd.Context(), cfg) }, &cfg)
		},
	}
	fleetCmd.Flags().IntVar(&agents, "agents", 50_000, "how many agents")
	govCmd := &cobra.Command{
		Use:   "governance",
		Short: "Time policy decisions, and the escalation of 10,000 overdue approvals after a restart",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			cfg.Rows = approvals
			return a.runBench(cmd, asJSON, func() (*bench.Result, error) { return bench.Governance(cmd.Context(), cfg) }, &cfg)
		},
	}
	govCmd.Flags().IntVar(&approvals, "approvals", 10_000, "how many pending approvals")
	for _, c := range []*cobra.Command{people, demoCmd, fleetCmd, govCmd} {
		c.Flags().StringVar(&cfg.DatabaseURL, "database", "", "PostgreSQL server URL to measure on (default: SQLite)")
		c.Flags().BoolVar(&asJSON, "json", false, "print the figures as JSON")
		cmd.AddCommand(c)
	}
	return cmd
}

func (a *app) runBench(cmd *cobra.Command, asJSON bool, run func() (*bench.Result, error), cfg *bench.Config) error {
	prog := a.newProgress()
	cfg.Progress = func(step string) {
		if !asJSON {
			fmt.Fprintf(a.stderr, "%s…\n", step)
		}
	}
	res, err := run()
	prog.finish()
	if err != nil {
		return err
	}
	if asJSON {
		return printJSON(a.stdout, res)
	}
	fmt.Fprintf(a.stdout, "%s on %s: %d rows in %.2f s (%.0f rows/s)\n", res.Name, res.Backend, res.Rows, res.Seconds, res.RowsPerSec)
	t := newTable(a.stdout, "STEP", "ROWS", "SECONDS")
	for _, s := range res.Steps {
		t.row(s.Name, s.Rows, fmt.Sprintf("%.2f", s.Seconds))
	}
	return t.flush()
}
