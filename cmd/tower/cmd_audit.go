package main

import (
	"fmt"
	"io"
	"os"
	"time"

	"github.com/spf13/cobra"

	"github.com/towerops/tower/internal/audit"
)

func (a *app) auditCommand() *cobra.Command {
	cmd := &cobra.Command{Use: "audit", Short: "Check and export the audit log of who did what"}

	var asJSON bool
	verify := &cobra.Command{
		Use:   "verify",
		Short: "Check that no audit entry was edited, deleted, inserted or reordered",
		Long: `Recompute the hash chain of the whole audit log. Exits 0 when it holds,
1 when it does not, naming the first entry that does not fit.

Deleting the newest entries leaves a shorter chain that still holds: keep
the last entry number and hash printed here somewhere else, and compare.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			st, err := a.store(cmd.Context())
			if err != nil {
				return err
			}
			rep, err := audit.Verify(cmd.Context(), st)
			if err != nil {
				return fmt.Errorf("verifying the audit log: %w", err)
			}
			if asJSON {
				if err := printJSON(a.stdout, rep); err != nil {
					return err
				}
			} else if rep.OK {
				fmt.Fprintf(a.stdout, "The audit log holds: %d entries checked, the last is %d with hash %x.\n",
					rep.Checked, rep.LastSeq, []byte(rep.LastHash))
			}
			if !rep.OK {
				msg := ""
				if !asJSON {
					msg = fmt.Sprintf("The audit log was tampered with: %s. The %d entries before it hold.",
						rep.Problem.Message, rep.Checked)
				}
				return exitError{code: 1, msg: msg}
			}
			return nil
		},
	}
	verify.Flags().BoolVar(&asJSON, "json", false, "print the report as JSON")

	var since, out string
	export := &cobra.Command{
		Use:   "export",
		Short: "Write the audit log as NDJSON, one entry per line with its hashes",
		Example: `  tower audit export --since 2026-01-01 --out audit-2026.ndjson
  tower audit export | jq -c 'select(.action == "token.created")'`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			from, err := parseSince(since)
			if err != nil {
				return err
			}
			st, err := a.store(cmd.Context())
			if err != nil {
				return err
			}
			var w io.Writer = a.stdout
			var f *os.File
			if out != "" {
				if f, err = os.OpenFile(out, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600); err != nil {
					return fmt.Errorf("export: %w", err)
				}
				w = f
			}
			err = audit.Export(cmd.Context(), st, from, w)
			if f != nil {
				if cerr := f.Close(); err == nil && cerr != nil {
					err = fmt.Errorf("export: %w", cerr)
				}
			}
			if err != nil {
				return err
			}
			if out != "" {
				fmt.Fprintf(a.stdout, "Wrote the audit log to %s.\n", out)
			}
			return nil
		},
	}
	export.Flags().StringVar(&since, "since", "", "only entries at or after this date (2026-01-31) or time (RFC 3339)")
	export.Flags().StringVar(&out, "out", "", "write to this file instead of standard output")
	cmd.AddCommand(verify, export)
	return cmd
}

func parseSince(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		return t, nil
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("--since %q: write a date such as 2026-01-31 or a time such as 2026-01-31T09:00:00Z", s)
	}
	return t, nil
}
