package main

import (
	"fmt"
	"time"

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
		Short: "Measure Tower on this machine (imports, demo build, fleet cycle, governance, event ingest)",
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
	cmd.AddCommand(a.benchIngestCommand())
	return cmd
}

func (a *app) benchIngestCommand() *cobra.Command {
	var (
		cfg    bench.IngestConfig
		asJSON bool
	)
	cmd := &cobra.Command{
		Use:   "ingest",
		Short: "Post events to a separate tower serve over loopback and report events/s, latency and memory",
		Long: `Start tower serve as a separate process on a fresh database and post
Segment /v1/batch requests to it from concurrent clients, once per batch
size. Reports acknowledged events per second (a 200 is sent only after the
events are committed), the 50th and 99th percentile time to that
acknowledgement, how often the server answered 503 (busy), and the server's
peak memory.`,
		Example: "  tower bench ingest\n  tower bench ingest --clients 16 --batch 100 --duration 30s\n" +
			"  tower bench ingest --database postgres://postgres@127.0.0.1:5432/postgres --json",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			cfg.Progress = func(step string) {
				if !asJSON {
					fmt.Fprintf(a.stderr, "%s…\n", step)
				}
			}
			res, err := bench.Ingest(cmd.Context(), cfg)
			if err != nil {
				return err
			}
			if asJSON {
				return printJSON(a.stdout, res)
			}
			fmt.Fprintf(a.stdout, "event ingest on %s, over loopback, acknowledged after commit:\n", res.Backend)
			t := newTable(a.stdout, "BATCH", "CLIENTS", "EVENTS/S", "P50 MS", "P99 MS", "BUSY (503)", "SERVER PEAK MEMORY")
			for _, r := range res.Runs {
				t.row(r.Batch, r.Clients, fmt.Sprintf("%.0f", r.EventsPerSec), fmt.Sprintf("%.1f", r.P50Ms),
					fmt.Sprintf("%.1f", r.P99Ms), r.Busy, fmt.Sprintf("%.0f MB", float64(r.PeakMemoryBytes)/(1<<20)))
			}
			return t.flush()
		},
	}
	cmd.Flags().StringVar(&cfg.DatabaseURL, "database", "", "PostgreSQL server URL to measure on (default: SQLite)")
	cmd.Flags().IntVar(&cfg.Clients, "clients", 8, "concurrent HTTP clients")
	cmd.Flags().DurationVar(&cfg.Duration, "duration", 10*time.Second, "how long to measure each batch size (after a warm-up of a fifth of it)")
	cmd.Flags().IntSliceVar(&cfg.Batches, "batch", []int{1, 20, 100}, "messages per request; several sizes are measured one after the other")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the figures as JSON")
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
