package main

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/towerops/tower/internal/linkage"
)

// dedupeReport is what `tower analyze dedupe --json` prints.
type dedupeReport struct {
	Files   []string            `json:"files"`
	Skipped []linkage.RowError  `json:"skipped_rows"`
	Columns []map[string]string `json:"columns"`
	*linkage.Result
}

// analyzeDedupeCommand finds the same person entered twice in a CSV export.
func (a *app) analyzeDedupeCommand() *cobra.Command {
	var idCol, linkFile, outFile string
	var cols []string
	var threshold float64
	var asJSON bool
	var seed uint64
	var limit int
	cmd := &cobra.Command{
		Use:   "dedupe FILE.csv",
		Short: "Find records that are the same person in a CSV export",
		Long: `Find records that are the same person: within FILE.csv, or between FILE.csv
and the file given with --link. Each pair gets a match probability and the
evidence behind it, field by field; pairs above the threshold are grouped
into clusters (one cluster = one person). See docs/dedupe.md.

Columns are recognised by their header name:
` + roleHelp() + `
Map any other column with --col ROLE=COLUMN (repeatable). An identifier from
another system (role external_id) is compared only when mapped this way.`,
		Example: `  tower analyze dedupe contacts.csv
  tower analyze dedupe contacts.csv --id-col contact_id --threshold 0.95
  tower analyze dedupe crm.csv --link map_export.csv --json
  tower analyze dedupe leads.csv --col given_name=Vorname --out pairs.csv`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			opts := linkage.CSVOptions{IDColumn: idCol, Columns: map[linkage.Role]string{}}
			for _, c := range cols {
				role, col, ok := strings.Cut(c, "=")
				if !ok || strings.TrimSpace(col) == "" {
					return fmt.Errorf("--col %q: write ROLE=COLUMN, e.g. --col given_name=Vorname", c)
				}
				r, err := linkage.ParseRole(strings.TrimSpace(role))
				if err != nil {
					return fmt.Errorf("--col %q: %w", c, err)
				}
				opts.Columns[r] = strings.TrimSpace(col)
			}
			if threshold <= 0 || threshold >= 1 {
				return fmt.Errorf("--threshold %v: give a probability between 0 and 1, e.g. 0.9", threshold)
			}
			rep := dedupeReport{Skipped: []linkage.RowError{}}
			var tables []*linkage.Table
			for _, f := range append([]string{args[0]}, nonEmpty(linkFile)...) {
				t, err := readDedupeCSV(ctx, f, opts)
				if err != nil {
					return err
				}
				for _, s := range t.Skipped {
					fmt.Fprintf(a.stderr, "skipped %s\n", s.Error())
				}
				rep.Files = append(rep.Files, f)
				rep.Skipped = append(rep.Skipped, t.Skipped...)
				cm := map[string]string{}
				for r, c := range t.Columns {
					cm[r.String()] = c
				}
				rep.Columns = append(rep.Columns, cm)
				tables = append(tables, t)
			}
			prog := a.newProgress()
			defer prog.finish()
			cfg := linkage.Config{Threshold: threshold, Seed: seed,
				Progress: func(stage string, done, total int64) { prog.update(stage, done, total, false) }}
			var err error
			if len(tables) == 2 {
				rep.Result, err = linkage.Link(ctx, tables[0].Records, tables[1].Records, cfg)
			} else {
				rep.Result, err = linkage.Dedupe(ctx, tables[0].Records, cfg)
			}
			prog.finish()
			if err != nil {
				return err
			}
			switch {
			case asJSON:
				return printJSON(a.stdout, rep)
			case outFile != "":
				if err := writePairsCSV(outFile, rep.Result); err != nil {
					return err
				}
				if err := a.printDedupeSummary(rep, threshold); err != nil {
					return err
				}
				_, err := fmt.Fprintf(a.stdout, "\nwrote %d pairs to %s\n", len(rep.Pairs), outFile)
				return err
			}
			if err := a.printDedupeSummary(rep, threshold); err != nil {
				return err
			}
			return a.printDedupePairs(rep.Result, limit)
		},
	}
	f := cmd.Flags()
	f.StringVar(&idCol, "id-col", "", "column holding the record id (default: a column named id, rec_id, record_id, contact_id, customer_id, person_id or lead_id; else the line number)")
	f.StringVar(&linkFile, "link", "", "a second CSV: find the same people across the two files instead of within one")
	f.Float64Var(&threshold, "threshold", 0.9, "match probability from which a pair is reported and clustered")
	f.BoolVar(&asJSON, "json", false, "print the pairs, clusters, model and counts as JSON")
	f.StringVar(&outFile, "out", "", "write the pairs to this CSV file and print the summary")
	f.StringArrayVar(&cols, "col", nil, "map a column to a role: ROLE=COLUMN (repeatable)")
	f.Uint64Var(&seed, "seed", 1, "seed of the random pairs that estimate u (same seed, same result)")
	f.IntVar(&limit, "limit", 50, "pairs shown in the table (0: all); --out and --json always have all")
	return cmd
}

func nonEmpty(s string) []string {
	if s == "" {
		return nil
	}
	return []string{s}
}

func readDedupeCSV(ctx context.Context, path string, opts linkage.CSVOptions) (*linkage.Table, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", path, err)
	}
	defer f.Close()
	return linkage.ReadCSV(ctx, f, path, opts)
}

func roleHelp() string {
	var b strings.Builder
	for _, r := range linkage.Roles() {
		if names := linkage.HeaderNames(r); len(names) > 0 {
			fmt.Fprintf(&b, "  %-14s %s\n", r, strings.Join(names, ", "))
		}
	}
	return b.String()
}

func (a *app) printDedupeSummary(rep dedupeReport, threshold float64) error {
	s := rep.Stats
	if err := keyValues(a.stdout,
		"files", strings.Join(rep.Files, " × "),
		"records", s.Records,
		"rows skipped", len(rep.Skipped),
		"candidate pairs", s.CandidatePairs,
		"pairs skipped (oversized blocks)", fmt.Sprintf("%d in %d blocks", s.SkippedPairs, s.SkippedBlocks),
		"random pairs for u", s.USamplePairs,
		"prior (share of candidates that match)", fmt.Sprintf("%.4f", rep.Model.Prior),
		fmt.Sprintf("pairs with probability >= %g", threshold), s.PairsAbove,
		"clusters", s.Clusters,
	); err != nil {
		return err
	}
	fmt.Fprintln(a.stdout, "\nmodel (m: how often the same person lands at a level; u: how often two different people do)")
	t := newTable(a.stdout, "FIELD", "LEVEL", "M", "U", "WEIGHT (BITS)")
	for _, fm := range rep.Model.Fields {
		for _, l := range fm.Levels {
			t.row(fm.Field.String(), l.Name, fmt.Sprintf("%.4f", l.M), fmt.Sprintf("%.5f", l.U), fmt.Sprintf("%+.2f", l.Weight))
		}
	}
	return t.flush()
}

func (a *app) printDedupePairs(res *linkage.Result, limit int) error {
	if len(res.Pairs) == 0 {
		_, err := fmt.Fprintln(a.stdout, "\nno pair reaches the threshold")
		return err
	}
	fmt.Fprintln(a.stdout)
	t := newTable(a.stdout, "PROBABILITY", "A", "B", "EVIDENCE")
	for n, p := range res.Pairs {
		if limit > 0 && n == limit {
			t.row("", fmt.Sprintf("… %d more", len(res.Pairs)-limit), "", "use --out pairs.csv or --json for all")
			break
		}
		t.row(fmt.Sprintf("%.4f", p.Probability), p.A, p.B, explanation(p))
	}
	return t.flush()
}

// explanation is a pair's evidence in one line: each compared field, its
// level and the bits it adds.
func explanation(p linkage.Pair) string {
	parts := make([]string, 0, len(p.Fields))
	for _, f := range p.Fields {
		if f.Level == "missing" {
			continue
		}
		parts = append(parts, fmt.Sprintf("%s %s %+.1f", f.Field, f.Level, f.Weight))
	}
	return strings.Join(parts, "; ")
}

func writePairsCSV(path string, res *linkage.Result) error {
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err := encodePairs(f, res); err != nil {
		f.Close()
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return f.Close()
}

func encodePairs(w io.Writer, res *linkage.Result) error {
	cluster := map[string]int{}
	for n, c := range res.Clusters {
		for _, id := range c {
			cluster[id] = n + 1
		}
	}
	cw := csv.NewWriter(w)
	_ = cw.Write([]string{"id_a", "id_b", "probability", "weight_bits", "cluster", "evidence"})
	for _, p := range res.Pairs {
		c := ""
		if ca, cb := cluster[p.A], cluster[p.B]; ca != 0 && ca == cb {
			c = strconv.Itoa(ca)
		}
		_ = cw.Write([]string{p.A, p.B, strconv.FormatFloat(p.Probability, 'f', 6, 64),
			strconv.FormatFloat(p.Weight, 'f', 2, 64), c, explanation(p)})
	}
	cw.Flush()
	return cw.Error()
}
