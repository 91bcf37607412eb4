package main

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/towerops/tower/internal/foundation"
	"github.com/towerops/tower/internal/store"
)

func (a *app) peopleCommand() *cobra.Command {
	cmd := &cobra.Command{Use: "people", Short: "Browse people and what each system knows about them"}
	var (
		asJSON bool
		p      store.PeopleListParams
	)
	list := &cobra.Command{
		Use:   "list",
		Short: "List people (one per human, across systems)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			st, err := a.store(cmd.Context())
			if err != nil {
				return err
			}
			p.Search = strings.TrimSpace(p.Search)
			rows, err := st.PeopleList(cmd.Context(), &p)
			if err != nil {
				return fmt.Errorf("listing people: %w", err)
			}
			if asJSON {
				return printJSON(a.stdout, nonNil(rows))
			}
			t := newTable(a.stdout, "ID", "NAME", "EMAIL", "ACCOUNT", "SYSTEMS")
			for _, r := range rows {
				t.row(r.ID, r.Name(), r.Email, r.AccountID, strings.Join(r.Systems, ","))
			}
			return t.flush()
		},
	}
	pageFlags(list, &p.Page)
	list.Flags().StringVar(&p.Search, "search", "", "match e-mail, first or last name")
	list.Flags().StringVar(&p.AccountID, "account", "", "only people of this account id")
	list.Flags().StringVar(&p.System, "system", "", "only people with a record in this system (crm, map, esp, ...)")
	list.Flags().BoolVar(&asJSON, "json", false, "print as JSON")

	var showJSON bool
	show := &cobra.Command{
		Use:   "show ID|EMAIL",
		Short: "Show a person, their records in each system and their consent history",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			st, err := a.store(cmd.Context())
			if err != nil {
				return err
			}
			q := &store.PersonGetParams{}
			if id, err := strconv.ParseInt(args[0], 10, 64); err == nil {
				q.ID = id
			} else {
				q.Email = foundation.NormalizeEmail(args[0])
				if q.Email == "" {
					return fmt.Errorf("%q is neither a person id nor an e-mail address", args[0])
				}
			}
			d, err := st.PersonGet(cmd.Context(), q)
			if err != nil {
				return fmt.Errorf("person %s: %w", args[0], err)
			}
			if showJSON {
				return printJSON(a.stdout, d)
			}
			return printPerson(a, d)
		},
	}
	show.Flags().BoolVar(&showJSON, "json", false, "print as JSON")
	cmd.AddCommand(list, show)
	return cmd
}

func printPerson(a *app, d *store.PersonDetail) error {
	p := d.Person
	if err := keyValues(a.stdout, "Person", p.ID, "Name", p.Name(), "E-mail", p.Email, "Title", p.Title,
		"Account", p.AccountID, "Country", p.Country, "Region", p.Region); err != nil {
		return err
	}
	if p.MergedInto != 0 {
		fmt.Fprintf(a.stdout, "Merged into person %d.\n", p.MergedInto)
	}
	fmt.Fprintf(a.stdout, "\nRecords (%d)\n", len(d.Records))
	t := newTable(a.stdout, "SYSTEM", "SYSTEM ID", "EMAIL", "NAME", "UPDATED")
	for _, r := range d.Records {
		t.row(r.System, r.SystemID, r.Email, strings.TrimSpace(r.FirstName+" "+r.LastName), r.UpdatedAt)
	}
	if err := t.flush(); err != nil {
		return err
	}
	fmt.Fprintf(a.stdout, "\nConsent history (%d facts, oldest first)\n", len(d.Consent))
	t = newTable(a.stdout, "WHEN", "SYSTEM", "CHANNEL", "STATUS", "REASON")
	for _, c := range d.Consent {
		t.row(c.At, c.System, string(c.Channel), string(c.Status), c.Reason)
	}
	return t.flush()
}

// pageFlags adds --limit and --offset.
func pageFlags(cmd *cobra.Command, p *store.Page) {
	cmd.Flags().IntVar(&p.Limit, "limit", 100, "how many rows to show")
	cmd.Flags().IntVar(&p.Offset, "offset", 0, "skip this many rows (for paging)")
}

// nonNil makes an empty list print as [] rather than null in JSON.
func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
