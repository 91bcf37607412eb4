package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/towerops/tower/internal/ingest"
	"github.com/towerops/tower/internal/store"
)

func (a *app) importCommand() *cobra.Command {
	var (
		kind, errorsPath string
		strict, asJSON   bool
	)
	cmd := &cobra.Command{
		Use:   "import DIR | --kind KIND FILE",
		Short: "Import CSV exports (a whole bundle folder, or one file of one kind)",
		Long: `Import your exports into the workspace.

  tower import DIR               every known file in DIR (owners.csv, accounts.csv,
                                 people.csv, consent.csv, products.csv, holdings.csv,
                                 campaigns.csv, campaign_days.csv, licenses.csv,
                                 license_usage.csv, events.ndjson, templates/)
  tower import --kind KIND FILE  one file, whatever its name

Each bad row is reported as file:line, the column and the reason; good rows
are imported and bad ones are written to import-errors.csv. The command exits
with status 1 when any row was refused. --strict imports nothing from a file
with any bad row. Importing the same data again changes nothing.
Formats: docs/import.md.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			var k ingest.Kind
			if kind != "" {
				var err error
				if k, err = ingest.ParseKind(kind); err != nil {
					return err
				}
			}
			fi, err := os.Stat(args[0])
			if err != nil {
				return fmt.Errorf("cannot read %s: %w", args[0], err)
			}
			if kind == "" && !fi.IsDir() {
				return fmt.Errorf("%s is a file: say what it holds with --kind (%s), or pass the folder", args[0], kindNames())
			}
			if kind != "" && fi.IsDir() && k != ingest.KindTemplates {
				return fmt.Errorf("%s is a folder: --kind %s needs a file", args[0], kind)
			}
			st, err := a.store(ctx)
			if err != nil {
				return err
			}
			trigger, err := a.importTrigger(cmd.Context())
			if err != nil {
				return err
			}
			prog := a.newProgress()
			opts := ingest.Options{
				OnWritten: trigger,
				Strict:    strict, ErrorsReport: errorsPath, Logger: a.log(),
				Progress: func(kind string, done, total int64) {
					prog.update("importing "+kind, done, total, kind != string(ingest.KindTemplates))
				},
			}
			var rep *ingest.Report
			if kind == "" {
				rep, err = ingest.ImportBundle(ctx, st, args[0], opts)
			} else {
				rep, err = ingest.ImportFile(ctx, st, k, args[0], opts)
			}
			prog.finish()
			if err != nil {
				return err
			}
			refreshed, err := refreshAfterImport(ctx, st, rep)
			if err != nil {
				return fmt.Errorf("the import is saved, but refreshing segments failed: %w", err)
			}
			if asJSON {
				if err := printJSON(a.stdout, rep); err != nil {
					return err
				}
			} else {
				printImportReport(a.stdout, rep)
				for _, r := range refreshed {
					a.printRefresh(r)
				}
			}
			if rep.Failed() {
				return exitError{code: 1}
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&kind, "kind", "", "what FILE holds: "+kindNames())
	cmd.Flags().BoolVar(&strict, "strict", false, "import nothing from a file that has any bad row")
	cmd.Flags().StringVar(&errorsPath, "errors", "", "where to write the bad rows (default import-errors.csv beside the data; - for none)")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the report as JSON")
	return cmd
}

// refreshAfterImport brings every segment up to date with what the import
// wrote: incrementally for people and events, fully when accounts or
// holdings changed (an incremental refresh cannot see those).
func refreshAfterImport(ctx context.Context, st store.Store, rep *ingest.Report) ([]*store.SegmentRefreshResult, error) {
	segs, err := st.SegmentsList(ctx, &store.SegmentsListParams{Page: store.Page{Limit: 1}})
	if err != nil || len(segs) == 0 {
		return nil, err
	}
	full, any := false, false
	for _, f := range rep.Files {
		if f.Written == 0 {
			continue
		}
		any = true
		full = full || f.Kind == ingest.KindAccounts || f.Kind == ingest.KindHoldings
	}
	if !any {
		return nil, nil
	}
	return refreshSegments(ctx, st, nil, full, time.Now().UTC())
}

func printImportReport(w io.Writer, rep *ingest.Report) {
	_ = rep.WriteSummary(w)
	read, written, rejected, dups := rep.Totals()
	fmt.Fprintf(w, "Imported %d of %d rows in %s", written, read, rep.Duration.Round(1e6))
	if dups > 0 {
		fmt.Fprintf(w, " (%d duplicates skipped)", dups)
	}
	if rejected > 0 {
		fmt.Fprintf(w, "; %d rows refused", rejected)
	}
	fmt.Fprintln(w, ".")
}

func kindNames() string {
	names := make([]string, len(ingest.Kinds))
	for i, k := range ingest.Kinds {
		names[i] = string(k)
	}
	return strings.Join(names, ", ")
}
