package main

import (
	"errors"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/towerops/tower/internal/dataset"
	"github.com/towerops/tower/internal/subgroup"
)

// segmentsReport is what `tower analyze segments --json` prints.
type segmentsReport struct {
	File    string             `json:"file"`
	Outcome string             `json:"outcome"`
	Skipped []dataset.RowError `json:"skipped_rows"`
	Search  *subgroup.Report   `json:"search"`
}

// analyzeSegmentsCommand finds groups of rows that convert far above the
// rest and keeps only those that hold on rows the search never saw.
func (a *app) analyzeSegmentsCommand() *cobra.Command {
	var outcome, exclude string
	var opt subgroup.Options
	var limit int
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "segments FILE.csv",
		Short: "Find groups that convert far above the rest",
		Long: `Find groups of people (rows) that convert far above everyone else, such as
"job = retired and contact = cellular", from any CSV export with an outcome
column. A group is up to three conditions: a value of a text column, a
range of a number column, or a number above or below a threshold.

Searching thousands of combinations always finds some that look good by
luck, so Tower searches 60% of the rows (chosen at random with --seed,
keeping the share of conversions equal), controls false discoveries across
every combination it tried (--fdr), drops groups that only repeat a better
one, and then checks each remaining group on the other 40%. Only groups
that hold there are shown, with their conversion rate, their lift (their
rate divided by everyone else's) and a 95% interval for it.

Columns describing protected characteristics (age, sex, marital status,
religion, ethnicity, health and the like) are not used to define groups
unless you pass --allow-protected; targeting by them can be unlawful or
discriminatory. Leave out columns that are only known after the outcome
(a call's duration, for instance) with --exclude. See docs/segment-scout.md.`,
		Example: `  tower analyze segments bank.csv --outcome y=yes --exclude duration
  tower analyze segments leads.csv --outcome status=won --min-size 200 --depth 2 --json`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if outcome == "" {
				return errors.New("--outcome: say which rows converted, as COLUMN=VALUE, for example --outcome y=yes")
			}
			cond, err := dataset.ParseCondition("--outcome", outcome)
			if err != nil {
				return err
			}
			switch {
			case opt.Depth < 1 || opt.Depth > 3:
				return fmt.Errorf("--depth %d: use 1, 2 or 3 conditions per group", opt.Depth)
			case opt.FDR <= 0 || opt.FDR >= 1:
				return fmt.Errorf("--fdr %g: use a share between 0 and 1, such as 0.05", opt.FDR)
			case opt.MinSize < 0:
				return fmt.Errorf("--min-size %d: use a number of rows, or 0 for 1%% of the rows (at least 50)", opt.MinSize)
			case limit < 0:
				return fmt.Errorf("--limit %d: use 0 for all, or a positive number", limit)
			}
			tab, err := dataset.Open(cmd.Context(), args[0])
			if err != nil {
				return err
			}
			for _, e := range tab.Skipped {
				fmt.Fprintf(a.stderr, "skipped %s\n", e.Error())
			}
			y, err := tab.Mask(cond)
			if err != nil {
				return fmt.Errorf("--outcome: %w", err)
			}
			opt.OutcomeColumn = cond.Column
			opt.Exclude = dataset.SplitList(exclude)
			rep, err := subgroup.Discover(cmd.Context(), tab, y, opt)
			if err != nil {
				return err
			}
			out := segmentsReport{File: args[0], Outcome: cond.String(), Skipped: tab.Skipped, Search: rep}
			if out.Skipped == nil {
				out.Skipped = []dataset.RowError{}
			}
			if asJSON {
				return printJSON(a.stdout, out)
			}
			return a.printSegments(out, limit)
		},
	}
	f := cmd.Flags()
	f.StringVar(&outcome, "outcome", "", "the rows that converted, as COLUMN=VALUE (required), e.g. y=yes")
	f.StringVar(&exclude, "exclude", "", "columns to leave out, comma-separated (ids, or facts known only after the outcome)")
	f.IntVar(&opt.MinSize, "min-size", 0, "fewest rows a group may hold (0: 1% of the rows, at least 50)")
	f.IntVar(&opt.Depth, "depth", 3, "most conditions per group (1 to 3)")
	f.Float64Var(&opt.FDR, "fdr", 0.05, "false discovery rate: the share of reported groups allowed to be flukes")
	f.Uint64Var(&opt.Seed, "seed", 1, "seed for the random split into search and check rows")
	f.BoolVar(&opt.AllowProtected, "allow-protected", false, "let protected characteristics (age, sex, marital status...) define groups")
	f.IntVar(&limit, "limit", 20, "groups shown (0: all); --json always has all")
	f.BoolVar(&asJSON, "json", false, "print the search and every group as JSON")
	return cmd
}

func (a *app) printSegments(out segmentsReport, limit int) error {
	rep := out.Search
	left := make([]string, len(rep.Excluded))
	for i, e := range rep.Excluded {
		left[i] = e.Column + " (" + e.Reason + ")"
	}
	if err := keyValues(a.stdout,
		"file", out.File,
		"rows", fmt.Sprintf("%d (%d skipped)", rep.Rows, len(out.Skipped)),
		"outcome", fmt.Sprintf("%s: %d rows, %.2f%%", out.Outcome, rep.Conversions, 100*rep.BaseRate),
		"columns searched", strings.Join(rep.Columns, ", "),
		"columns left out", strings.Join(left, "; "),
		"rows searched / checked", fmt.Sprintf("%d / %d (split with seed %d)", rep.DiscoveryRows, rep.HoldoutRows, rep.Options.Seed),
		"smallest group", fmt.Sprintf("%d rows", rep.Options.MinSize),
		"groups tested", fmt.Sprintf("%d (from %d single conditions, up to %d per group)", rep.Tested, rep.Conditions, rep.Options.Depth),
		"significant in search rows", fmt.Sprintf("%d (false discovery rate %g)", rep.Significant, rep.Options.FDR),
		"dropped as redundant", rep.Redundant,
		"checked on held-out rows", rep.ToHoldout,
		"confirmed", rep.ConfirmedCount,
	); err != nil {
		return err
	}
	if len(rep.Segments) == 0 {
		_, err := fmt.Fprintln(a.stdout, "\nNo group converts reliably above the rest: nothing held on the held-out rows.")
		return err
	}
	fmt.Fprintln(a.stdout)
	t := newTable(a.stdout, "#", "GROUP", "SIZE", "RATE", "REST", "LIFT (95%)", "LIFT SEARCH ROWS", "LIFT HELD-OUT ROWS")
	for i, s := range rep.Segments {
		if limit > 0 && i == limit {
			break
		}
		t.row(i+1, s.Rule, s.All.Size, pct1(s.All.Rate), pct1(s.All.RestRate), liftCell(s.All),
			liftCell(s.Discovery), liftCell(s.Holdout))
	}
	if err := t.flush(); err != nil {
		return err
	}
	if limit > 0 && len(rep.Segments) > limit {
		_, err := fmt.Fprintf(a.stdout, "\n%d more groups confirmed; --limit 0 shows all, --json has every figure\n", len(rep.Segments)-limit)
		return err
	}
	return nil
}

func pct1(f float64) string { return fmt.Sprintf("%.1f%%", 100*f) }

func liftCell(s subgroup.Stats) string {
	return fmt.Sprintf("%.2f (%.2f-%.2f)", s.Lift, s.LiftLow, s.LiftHigh)
}
