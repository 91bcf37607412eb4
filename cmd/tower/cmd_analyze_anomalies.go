package main

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"strconv"
	"time"

	"github.com/spf13/cobra"

	"github.com/towerops/tower/internal/anomaly"
)

// anomalyRow is one row's verdict, as --json and --out print it.
type anomalyRow struct {
	Line  int       `json:"line"`
	Time  time.Time `json:"time"`
	Value float64   `json:"value"`
	Score float64   `json:"score"`
	Flag  bool      `json:"flag"`
}

// anomaliesReport is what `tower analyze anomalies --json` prints.
type anomaliesReport struct {
	File      string             `json:"file"`
	TimeCol   string             `json:"time_column"`
	ValueCol  string             `json:"value_column"`
	Threshold float64            `json:"threshold"`
	Scored    int                `json:"rows_scored"`
	Flagged   int                `json:"rows_flagged"`
	Skipped   []anomaly.RowError `json:"skipped_rows"`
	Rows      []anomalyRow       `json:"rows"`
}

// analyzeAnomaliesCommand scores every row of a time series the way a live
// monitor would: each row only against the rows before it.
func (a *app) analyzeAnomaliesCommand() *cobra.Command {
	var timeCol, valueCol, outFile string
	var asJSON bool
	var limit int
	cmd := &cobra.Command{
		Use:   "anomalies FILE.csv",
		Short: "Flag unusual values in a time series (spend, clicks, sign-ups...)",
		Long: `Flag unusual values in a time series exported as CSV. Each row gets a score
from 0 to 1 (how unusual it is for this series) and a flag. The rows are
read in order and each is judged only against the rows before it, exactly
as a live monitor would see them, so a flag is one you would have had on
the day. The first 200 rows only teach the detector what is usual.

Rows must be in time order; a row earlier than the one before it is
skipped and reported, as is a row whose time or value cannot be read.
Times may be RFC 3339 (2025-03-01T14:00:00Z), 2025-03-01 14:00:00, a date
alone, or Unix seconds. See docs/anomalies.md.`,
		Example: `  tower analyze anomalies daily_spend.csv --time-col date --value-col spend
  tower analyze anomalies clicks.csv --time-col timestamp --value-col clicks --json
  tower analyze anomalies clicks.csv --time-col timestamp --value-col clicks --out scored.csv`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if timeCol == "" || valueCol == "" {
				return fmt.Errorf("give the columns to read: --time-col NAME --value-col NAME")
			}
			s, err := readSeriesCSV(cmd.Context(), args[0], timeCol, valueCol)
			if err != nil {
				return err
			}
			for _, e := range s.Skipped {
				fmt.Fprintf(a.stderr, "skipped %s\n", e.Error())
			}
			cfg := anomaly.DefaultConfig()
			rep := anomaliesReport{File: args[0], TimeCol: timeCol, ValueCol: valueCol,
				Threshold: cfg.Threshold, Skipped: s.Skipped, Rows: make([]anomalyRow, len(s.Values))}
			if rep.Skipped == nil {
				rep.Skipped = []anomaly.RowError{}
			}
			d := anomaly.New(cfg)
			for i, v := range s.Values {
				r := d.Observe(s.Times[i], v)
				rep.Rows[i] = anomalyRow{Line: s.Lines[i], Time: s.Times[i], Value: v, Score: r.Score, Flag: r.Flag}
				if r.Flag {
					rep.Flagged++
				}
			}
			rep.Scored = len(rep.Rows)
			if asJSON {
				return printJSON(a.stdout, rep)
			}
			if outFile != "" {
				if err := writeAnomaliesCSV(outFile, rep.Rows); err != nil {
					return err
				}
			}
			if err := a.printAnomaliesSummary(rep, cfg); err != nil {
				return err
			}
			if outFile != "" {
				_, err := fmt.Fprintf(a.stdout, "\nwrote %d rows to %s\n", len(rep.Rows), outFile)
				return err
			}
			return a.printFlaggedRows(rep.Rows, limit)
		},
	}
	f := cmd.Flags()
	f.StringVar(&timeCol, "time-col", "", "column holding each row's time (required)")
	f.StringVar(&valueCol, "value-col", "", "column holding the value to watch (required)")
	f.BoolVar(&asJSON, "json", false, "print every row with its score and flag, and the skipped rows, as JSON")
	f.StringVar(&outFile, "out", "", "write every row (time, value, score, flag) to this CSV file and print the summary")
	f.IntVar(&limit, "limit", 50, "flagged rows shown in the table (0: all); --out and --json always have all rows")
	return cmd
}

func readSeriesCSV(ctx context.Context, path, timeCol, valueCol string) (*anomaly.Series, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", path, err)
	}
	defer f.Close()
	return anomaly.ReadCSV(ctx, f, path, timeCol, valueCol)
}

func (a *app) printAnomaliesSummary(rep anomaliesReport, cfg anomaly.Config) error {
	return keyValues(a.stdout,
		"file", rep.File,
		"rows scored", rep.Scored,
		"rows skipped", len(rep.Skipped),
		"rows only learned from (warm-up)", min(rep.Scored, cfg.LearningRows()),
		"rows flagged", fmt.Sprintf("%d (score >= %g, at most one per %d rows)", rep.Flagged, cfg.Threshold, cfg.Suppress+1),
	)
}

func (a *app) printFlaggedRows(rows []anomalyRow, limit int) error {
	if len(rows) == 0 {
		_, err := fmt.Fprintln(a.stdout, "\nno row could be read")
		return err
	}
	fmt.Fprintln(a.stdout)
	t := newTable(a.stdout, "LINE", "TIME", "VALUE", "SCORE")
	shown, flagged := 0, 0
	for _, r := range rows {
		if !r.Flag {
			continue
		}
		flagged++
		if limit > 0 && shown == limit {
			continue
		}
		shown++
		t.row(r.Line, r.Time.Format("2006-01-02 15:04:05"), strconv.FormatFloat(r.Value, 'g', -1, 64), fmt.Sprintf("%.4f", r.Score))
	}
	if flagged == 0 {
		_, err := fmt.Fprintln(a.stdout, "no row is flagged")
		return err
	}
	if flagged > shown {
		t.row("", fmt.Sprintf("… %d more", flagged-shown), "", "use --out or --json for all")
	}
	return t.flush()
}

func writeAnomaliesCSV(path string, rows []anomalyRow) error {
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err := encodeAnomalies(f, rows); err != nil {
		f.Close()
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return f.Close()
}

func encodeAnomalies(w io.Writer, rows []anomalyRow) error {
	cw := csv.NewWriter(w)
	_ = cw.Write([]string{"line", "time", "value", "score", "flag"})
	for _, r := range rows {
		_ = cw.Write([]string{strconv.Itoa(r.Line), r.Time.Format(time.RFC3339),
			strconv.FormatFloat(r.Value, 'g', -1, 64), strconv.FormatFloat(r.Score, 'f', 6, 64),
			strconv.FormatBool(r.Flag)})
	}
	cw.Flush()
	return cw.Error()
}
