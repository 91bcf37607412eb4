package main

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/spf13/cobra"

	"github.com/towerops/tower/internal/audit"
	"github.com/towerops/tower/internal/segment"
	"github.com/towerops/tower/internal/store"
)

const segmentsHelp = `Segments are audiences written as rules. Tower turns each rule into SQL, so
membership is computed inside the database, and keeps the members up to date.

A rule reads like:
  account.industry == "Logistics" && person.title.contains("Operations") &&
    events.count("Pricing Viewed", days(30)) >= 2

Fields: person.email, first_name, last_name, title, phone, country, region,
account_id, created_at, person.traits.NAME (or traits.NAME); account.id, name,
domain, industry, region, tier, lifecycle_stage, owner_id, employees,
account.traits.NAME, account.owns("PRODUCT_ID"); events.count("EVENT") or
events.count("EVENT", days(N)); records.exists(r, r.system == "hubspot");
now, days(N), timestamp("2026-01-31T00:00:00Z").
Operators: == != < <= > >= && || ! in ["a", "b"], and .contains("x"),
.startsWith("x"), .endsWith("x"), .lowerAscii() on text. See docs/segments.md.`

func (a *app) segmentsCommand() *cobra.Command {
	cmd := &cobra.Command{Use: "segments", Short: "Create, refresh and export segments (audiences written as rules)", Long: segmentsHelp}
	cmd.AddCommand(a.segmentsCreateCommand(), a.segmentsListCommand(), a.segmentsShowCommand(),
		a.segmentsPreviewCommand(), a.segmentsRefreshCommand(), a.segmentsExportCommand())
	return cmd
}

// asOfFlag adds --as-of: the day (or time) rules with windows and now are
// evaluated at; empty means now.
func asOfFlag(cmd *cobra.Command, s *string) {
	cmd.Flags().StringVar(s, "as-of", "", "evaluate the rule as of this day (YYYY-MM-DD) or time (RFC 3339); default now")
}

func parseAsOf(s string) (time.Time, error) {
	if s == "" {
		return time.Now().UTC(), nil
	}
	if t, err := time.Parse("2006-01-02", s); err == nil {
		return t.Add(24*time.Hour - time.Microsecond), nil
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("--as-of %q: write a day like 2026-10-31 or a time like 2026-10-31T17:00:00Z", s)
	}
	return t.UTC(), nil
}

// noSegment says a named segment does not exist, and where to look.
func noSegment(id string) error {
	return fmt.Errorf("there is no segment %s (tower segments list shows them)", id)
}

// ruleError explains a rule that does not compile.
func ruleError(err error) error {
	if errors.Is(err, segment.ErrRule) {
		return fmt.Errorf("%w\n(the fields and operators a rule may use: tower segments --help)", err)
	}
	return err
}

type segmentJSON struct {
	store.Segment
	Refresh *refreshJSON `json:"refresh,omitempty"`
}

type refreshJSON struct {
	Full    bool    `json:"full"`
	Why     string  `json:"why,omitempty"`
	Checked int64   `json:"checked"`
	Added   int64   `json:"added"`
	Removed int64   `json:"removed"`
	Seconds float64 `json:"seconds"`
}

func refreshOf(r *store.SegmentRefreshResult) *refreshJSON {
	return &refreshJSON{Full: r.Full, Why: r.Why, Checked: r.Checked, Added: r.Added, Removed: r.Removed, Seconds: r.Duration.Seconds()}
}

func (a *app) printRefresh(r *store.SegmentRefreshResult) {
	kind := "incremental"
	if r.Full {
		kind = "full"
	}
	fmt.Fprintf(a.stdout, "%s: %d members (+%d, -%d); %s refresh of %d people in %s", r.Segment.ID, r.Segment.Size,
		r.Added, r.Removed, kind, r.Checked, r.Duration.Round(time.Millisecond))
	if r.Why != "" {
		fmt.Fprintf(a.stdout, " (full because %s)", r.Why)
	}
	fmt.Fprintln(a.stdout)
}

func (a *app) segmentsCreateCommand() *cobra.Command {
	var (
		p                      store.SegmentSaveParams
		asOf                   string
		replace, noRef, asJSON bool
	)
	cmd := &cobra.Command{
		Use:   "create ID --rule RULE",
		Short: "Save a segment and compute its members",
		Example: `  tower segments create logistics-ops --name "Logistics operations leads" \
    --rule 'account.industry == "Logistics" && person.title.contains("Operations") && events.count("Pricing Viewed", days(30)) >= 2'`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			now, err := parseAsOf(asOf)
			if err != nil {
				return err
			}
			p.ID = args[0]
			if p.Name == "" {
				p.Name = p.ID
			}
			p.CreatedBy, p.Now = "user:"+a.actor(), time.Now().UTC()
			st, err := a.store(ctx)
			if err != nil {
				return err
			}
			var saved *store.Segment
			err = st.InTx(ctx, func(ctx context.Context, q store.Queries) error {
				old, err := q.SegmentGet(ctx, &store.SegmentGetParams{ID: p.ID})
				if err == nil && !replace {
					return fmt.Errorf("segment %s already exists (rule: %s); use --replace to change its rule", p.ID, old.Rule)
				}
				if err != nil && !errors.Is(err, store.ErrNotFound) {
					return err
				}
				if saved, err = q.SegmentSave(ctx, &p); err != nil {
					return err
				}
				return audit.Append(ctx, q, audit.Entry{Actor: p.CreatedBy, Action: "segment.saved", Subject: "segment:" + p.ID,
					At: p.Now, Data: map[string]any{"rule": p.Rule, "name": p.Name}})
			})
			if err != nil {
				return ruleError(err)
			}
			out := segmentJSON{Segment: *saved}
			if !noRef {
				res, err := st.SegmentRefresh(ctx, &store.SegmentRefreshParams{ID: p.ID, Full: true, Now: now})
				if err != nil {
					return err
				}
				out.Segment, out.Refresh = res.Segment, refreshOf(res)
				if !asJSON {
					a.printRefresh(res)
				}
			}
			if asJSON {
				return printJSON(a.stdout, out)
			}
			if noRef {
				fmt.Fprintf(a.stdout, "Saved segment %s; its members are computed at the next refresh.\n", p.ID)
			}
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&p.Rule, "rule", "", "the rule (see tower segments --help)")
	f.StringVar(&p.Name, "name", "", "a display name (default: the id)")
	f.StringVar(&p.Description, "description", "", "what the segment is for")
	f.BoolVar(&replace, "replace", false, "change the rule of an existing segment")
	f.BoolVar(&noRef, "no-refresh", false, "save only; compute members at the next refresh")
	f.BoolVar(&asJSON, "json", false, "print as JSON")
	asOfFlag(cmd, &asOf)
	_ = cmd.MarkFlagRequired("rule")
	return cmd
}

func (a *app) segmentsListCommand() *cobra.Command {
	var (
		p      store.SegmentsListParams
		asJSON bool
	)
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List segments with their size and last refresh",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			st, err := a.store(cmd.Context())
			if err != nil {
				return err
			}
			rows, err := st.SegmentsList(cmd.Context(), &p)
			if err != nil {
				return err
			}
			if asJSON {
				return printJSON(a.stdout, nonNil(rows))
			}
			t := newTable(a.stdout, "ID", "NAME", "MEMBERS", "REFRESHED", "CREATED BY", "RULE")
			for _, s := range rows {
				ref := "never"
				if !s.RefreshedAt.IsZero() {
					ref = s.RefreshedAt.Format("2006-01-02 15:04")
				}
				t.row(s.ID, s.Name, s.Size, ref, s.CreatedBy, s.Rule)
			}
			return t.flush()
		},
	}
	pageFlags(cmd, &p.Page)
	cmd.Flags().BoolVar(&asJSON, "json", false, "print as JSON")
	return cmd
}

func (a *app) segmentsShowCommand() *cobra.Command {
	var (
		sample int
		asJSON bool
	)
	cmd := &cobra.Command{
		Use:   "show ID",
		Short: "Show a segment and its first members",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			st, err := a.store(ctx)
			if err != nil {
				return err
			}
			s, err := st.SegmentGet(ctx, &store.SegmentGetParams{ID: args[0]})
			if errors.Is(err, store.ErrNotFound) {
				return noSegment(args[0])
			}
			if err != nil {
				return err
			}
			people, err := st.SegmentPeople(ctx, &store.SegmentMembersParams{ID: s.ID, Limit: sample})
			if err != nil {
				return err
			}
			if asJSON {
				return printJSON(a.stdout, map[string]any{"segment": s, "members": nonNil(people)})
			}
			if err := keyValues(a.stdout, "Segment", s.ID, "Name", s.Name, "Rule", s.Rule, "Description", s.Description,
				"Members", s.Size, "Refreshed", s.RefreshedAt, "As of", s.AsOf, "Created by", s.CreatedBy, "Proposal", s.ProposalID); err != nil {
				return err
			}
			fmt.Fprintf(a.stdout, "\nFirst %d members\n", len(people))
			t := newTable(a.stdout, "PERSON", "EMAIL", "NAME", "TITLE", "ACCOUNT", "COUNTRY")
			for _, p := range people {
				t.row(p.ID, p.Email, p.FirstName+" "+p.LastName, p.Title, p.AccountID, p.Country)
			}
			return t.flush()
		},
	}
	cmd.Flags().IntVar(&sample, "sample", 10, "how many members to show")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print as JSON")
	return cmd
}

func (a *app) segmentsPreviewCommand() *cobra.Command {
	var (
		asOf   string
		sample int
		asJSON bool
	)
	cmd := &cobra.Command{
		Use:   "preview RULE",
		Short: "Count who a rule matches, without saving it",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			now, err := parseAsOf(asOf)
			if err != nil {
				return err
			}
			st, err := a.store(ctx)
			if err != nil {
				return err
			}
			start := time.Now()
			res, err := st.SegmentPreview(ctx, &store.SegmentPreviewParams{Rule: args[0], Now: now, Sample: sample})
			if err != nil {
				return ruleError(err)
			}
			if asJSON {
				return printJSON(a.stdout, map[string]any{"size": res.Size, "sample": nonNil(res.Sample), "seconds": time.Since(start).Seconds()})
			}
			fmt.Fprintf(a.stdout, "%d people match (in %s).\n", res.Size, time.Since(start).Round(time.Millisecond))
			for _, id := range res.Sample {
				d, err := st.PersonGet(ctx, &store.PersonGetParams{ID: id})
				if err != nil {
					return err
				}
				fmt.Fprintf(a.stdout, "  %d  %s  %s %s  %s\n", id, d.Person.Email, d.Person.FirstName, d.Person.LastName, d.Person.Title)
			}
			return nil
		},
	}
	cmd.Flags().IntVar(&sample, "sample", 10, "how many matching people to show")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print as JSON")
	asOfFlag(cmd, &asOf)
	return cmd
}

func (a *app) segmentsRefreshCommand() *cobra.Command {
	var (
		asOf         string
		full, asJSON bool
	)
	cmd := &cobra.Command{
		Use:   "refresh [ID...]",
		Short: "Bring segment members up to date (every segment when no id is given)",
		Long: `Bring members up to date. By default a refresh is incremental: only people
with new events or changed fields since the last refresh are looked at again
(and the current members, when the rule has a time window). --full recomputes
everyone; a rule that time alone can add people to is always refreshed fully.
A change to accounts or holdings is picked up by a full refresh.`,
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			now, err := parseAsOf(asOf)
			if err != nil {
				return err
			}
			st, err := a.store(ctx)
			if err != nil {
				return err
			}
			out, err := refreshSegments(ctx, st, args, full, now)
			if err != nil {
				return err
			}
			if asJSON {
				rows := make([]segmentJSON, len(out))
				for i, r := range out {
					rows[i] = segmentJSON{Segment: r.Segment, Refresh: refreshOf(r)}
				}
				return printJSON(a.stdout, rows)
			}
			if len(out) == 0 {
				fmt.Fprintln(a.stdout, "There are no segments yet (tower segments create).")
			}
			for _, r := range out {
				a.printRefresh(r)
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&full, "full", false, "recompute every person, not only those with something new")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print as JSON")
	asOfFlag(cmd, &asOf)
	return cmd
}

// refreshSegments refreshes the named segments, or all of them.
func refreshSegments(ctx context.Context, st store.Store, ids []string, full bool, now time.Time) ([]*store.SegmentRefreshResult, error) {
	if len(ids) == 0 {
		for after := 0; ; after += 100 {
			page, err := st.SegmentsList(ctx, &store.SegmentsListParams{Page: store.Page{Limit: 100, Offset: after}})
			if err != nil {
				return nil, err
			}
			for _, s := range page {
				ids = append(ids, s.ID)
			}
			if len(page) < 100 {
				break
			}
		}
	}
	var out []*store.SegmentRefreshResult
	for _, id := range ids {
		res, err := st.SegmentRefresh(ctx, &store.SegmentRefreshParams{ID: id, Full: full, Now: now})
		if errors.Is(err, store.ErrNotFound) {
			return out, noSegment(id)
		}
		if err != nil {
			return out, err
		}
		out = append(out, res)
	}
	return out, nil
}

func (a *app) segmentsExportCommand() *cobra.Command {
	var outPath string
	cmd := &cobra.Command{
		Use:   "export ID [--out FILE]",
		Short: "Write a segment's members as CSV (to a file or the terminal)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			st, err := a.store(ctx)
			if err != nil {
				return err
			}
			if _, err := st.SegmentGet(ctx, &store.SegmentGetParams{ID: args[0]}); errors.Is(err, store.ErrNotFound) {
				return noSegment(args[0])
			} else if err != nil {
				return err
			}
			var w io.Writer = a.stdout
			var f *os.File
			if outPath != "" {
				if f, err = os.CreateTemp(filepath.Dir(outPath), ".segment-*.csv"); err != nil {
					return err
				}
				defer os.Remove(f.Name())
				w = f
			}
			n, err := exportSegment(ctx, st, args[0], w)
			if err != nil {
				return err
			}
			if f != nil {
				if err := f.Close(); err != nil {
					return err
				}
				if err := os.Rename(f.Name(), outPath); err != nil {
					return err
				}
				fmt.Fprintf(a.stderr, "Wrote %d members of %s to %s.\n", n, args[0], outPath)
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&outPath, "out", "", "write to this file (written whole or not at all)")
	return cmd
}

// exportSegment writes members page by page, so a million-member segment
// never sits in memory.
func exportSegment(ctx context.Context, st store.Store, id string, w io.Writer) (int, error) {
	cw := csv.NewWriter(w)
	_ = cw.Write([]string{"person_id", "email", "first_name", "last_name", "title", "account_id", "country", "region"})
	n := 0
	for after := int64(0); ; {
		page, err := st.SegmentPeople(ctx, &store.SegmentMembersParams{ID: id, After: after, Limit: 5000})
		if err != nil {
			return n, err
		}
		for _, p := range page {
			_ = cw.Write([]string{strconv.FormatInt(p.ID, 10), p.Email, p.FirstName, p.LastName, p.Title, p.AccountID, p.Country, p.Region})
			after = p.ID
		}
		n += len(page)
		if len(page) < 5000 {
			break
		}
	}
	cw.Flush()
	return n, cw.Error()
}
