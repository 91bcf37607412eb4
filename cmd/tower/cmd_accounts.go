package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/towerops/tower/internal/store"
)

func (a *app) accountsCommand() *cobra.Command {
	cmd := &cobra.Command{Use: "accounts", Short: "Browse accounts, their owners and what they hold"}
	var (
		asJSON bool
		p      store.AccountsListParams
	)
	list := &cobra.Command{
		Use:   "list",
		Short: "List accounts",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			st, err := a.store(cmd.Context())
			if err != nil {
				return err
			}
			rows, err := st.AccountsList(cmd.Context(), &p)
			if err != nil {
				return fmt.Errorf("listing accounts: %w", err)
			}
			if asJSON {
				return printJSON(a.stdout, nonNil(rows))
			}
			t := newTable(a.stdout, "ID", "NAME", "DOMAIN", "INDUSTRY", "EMPLOYEES", "REGION", "TIER", "OWNER", "STAGE")
			for _, r := range rows {
				t.row(r.ID, r.Name, r.Domain, r.Industry, r.Employees, r.Region, r.Tier, r.OwnerID, r.LifecycleStage)
			}
			return t.flush()
		},
	}
	pageFlags(list, &p.Page)
	list.Flags().StringVar(&p.Search, "search", "", "match name or domain")
	list.Flags().StringVar(&p.OwnerID, "owner", "", "only accounts of this owner id")
	list.Flags().StringVar(&p.Region, "region", "", "only accounts in this region")
	list.Flags().BoolVar(&asJSON, "json", false, "print as JSON")

	var showJSON bool
	show := &cobra.Command{
		Use:   "show ID",
		Short: "Show an account with its owner and product holdings",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			st, err := a.store(cmd.Context())
			if err != nil {
				return err
			}
			d, err := st.AccountGet(cmd.Context(), &store.AccountGetParams{ID: args[0]})
			if err != nil {
				return fmt.Errorf("account %s: %w", args[0], err)
			}
			if showJSON {
				return printJSON(a.stdout, d)
			}
			ac := d.Account
			owner := ""
			if d.Owner != nil {
				owner = fmt.Sprintf("%s <%s> (%s, %s)", d.Owner.Name, d.Owner.Email, d.Owner.Team, d.Owner.Region)
			}
			if err := keyValues(a.stdout, "Account", ac.ID, "Name", ac.Name, "Domain", ac.Domain, "Industry", ac.Industry,
				"Employees", ac.Employees, "Region", ac.Region, "Tier", ac.Tier, "Stage", ac.LifecycleStage,
				"Owner", owner, "People", d.People); err != nil {
				return err
			}
			fmt.Fprintf(a.stdout, "\nHoldings (%d)\n", len(d.Holdings))
			t := newTable(a.stdout, "PRODUCT", "SINCE", "SEATS", "MRR", "PERSON")
			for _, h := range d.Holdings {
				t.row(h.ProductID, h.Since, h.Seats, h.MRR, h.PersonEmail)
			}
			return t.flush()
		},
	}
	show.Flags().BoolVar(&showJSON, "json", false, "print as JSON")
	cmd.AddCommand(list, show)
	return cmd
}
