package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/towerops/tower/internal/store"
)

func (a *app) migrateCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "migrate",
		Short: "Show or apply database schema changes (Tower also applies them on start)",
	}
	var asJSON bool
	up := &cobra.Command{
		Use:   "up",
		Short: "Apply every schema change not yet applied",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			st, err := a.openRaw(cmd)
			if err != nil {
				return err
			}
			applied, err := st.MigrateUp(cmd.Context())
			if err != nil {
				return fmt.Errorf("updating the database schema: %w", err)
			}
			if asJSON {
				return printJSON(a.stdout, applied)
			}
			if len(applied) == 0 {
				fmt.Fprintln(a.stdout, "The database schema is up to date.")
			}
			for _, m := range applied {
				fmt.Fprintf(a.stdout, "applied %04d %s\n", m.Version, m.Name)
			}
			return nil
		},
	}
	status := &cobra.Command{
		Use:   "status",
		Short: "List schema changes and whether each is applied",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			st, err := a.openRaw(cmd)
			if err != nil {
				return err
			}
			ms, err := st.MigrateStatus(cmd.Context())
			if err != nil {
				return fmt.Errorf("reading the schema status: %w", err)
			}
			if asJSON {
				return printJSON(a.stdout, ms)
			}
			t := newTable(a.stdout, "VERSION", "NAME", "APPLIED")
			for _, m := range ms {
				applied := "pending"
				if m.Applied {
					applied = m.AppliedAt.UTC().Format("2006-01-02 15:04:05")
				}
				t.row(fmt.Sprintf("%04d", m.Version), m.Name, applied)
			}
			return t.flush()
		},
	}
	for _, c := range []*cobra.Command{up, status} {
		c.Flags().BoolVar(&asJSON, "json", false, "print as JSON")
		cmd.AddCommand(c)
	}
	return cmd
}

// openRaw opens the database without applying migrations, so `migrate
// status` can show what is pending.
func (a *app) openRaw(cmd *cobra.Command) (store.Store, error) {
	ws, err := a.workspace()
	if err != nil {
		return nil, err
	}
	st, err := store.Open(cmd.Context(), ws.Config.Database.URL)
	if err != nil {
		return nil, fmt.Errorf("opening the database %s: %w", store.Redact(ws.Config.Database.URL), err)
	}
	a.st = st
	return st, nil
}
