package main

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/towerops/tower/internal/foundation"
	"github.com/towerops/tower/internal/store"
)

func (a *app) campaignsCommand() *cobra.Command {
	cmd := &cobra.Command{Use: "campaigns", Short: "Browse campaigns and their daily metrics"}
	var (
		asJSON  bool
		channel string
		p       store.CampaignsListParams
	)
	list := &cobra.Command{
		Use:   "list",
		Short: "List campaigns with their totals",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if channel != "" {
				ch, err := foundation.ParseEnum(channel, foundation.CampaignChannels)
				if err != nil {
					return fmt.Errorf("--channel: %w", err)
				}
				p.Channel = ch
			}
			st, err := a.store(cmd.Context())
			if err != nil {
				return err
			}
			rows, err := st.CampaignsList(cmd.Context(), &p)
			if err != nil {
				return fmt.Errorf("listing campaigns: %w", err)
			}
			if asJSON {
				return printJSON(a.stdout, nonNil(rows))
			}
			t := newTable(a.stdout, "ID", "NAME", "CHANNEL", "START", "DAYS", "SENDS", "CLICKS", "CONV", "SPEND", "REVENUE", "VARIANTS")
			for _, r := range rows {
				t.row(r.ID, r.Name, string(r.Channel), r.StartDate, r.Days, r.Sends, r.Clicks, r.Conversions,
					r.Spend, r.Revenue, strings.Join(r.Variants, ","))
			}
			return t.flush()
		},
	}
	pageFlags(list, &p.Page)
	list.Flags().StringVar(&channel, "channel", "", "only this channel (email, paid_search, paid_social, webinar, display, direct_mail, sales_sequence)")
	list.Flags().StringVar(&p.OwnerID, "owner", "", "only campaigns of this owner id")
	list.Flags().BoolVar(&asJSON, "json", false, "print as JSON")

	var showJSON bool
	show := &cobra.Command{
		Use:   "show ID",
		Short: "Show a campaign and its daily metrics",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			st, err := a.store(cmd.Context())
			if err != nil {
				return err
			}
			d, err := st.CampaignGet(cmd.Context(), &store.CampaignGetParams{ID: args[0]})
			if err != nil {
				return fmt.Errorf("campaign %s: %w", args[0], err)
			}
			if showJSON {
				return printJSON(a.stdout, d)
			}
			c := d.Campaign
			if err := keyValues(a.stdout, "Campaign", c.ID, "Name", c.Name, "Channel", string(c.Channel),
				"Owner", c.OwnerID, "Start", c.StartDate, "End", c.EndDate, "Budget", c.Budget,
				"Goal", string(c.Goal), "Segment", c.Segment); err != nil {
				return err
			}
			fmt.Fprintf(a.stdout, "\nDaily metrics (%d rows)\n", len(d.Days))
			t := newTable(a.stdout, "DATE", "VARIANT", "SENDS", "DELIVERED", "OPENS", "CLICKS", "CONV", "SPEND", "REVENUE", "UNSUBS", "BOUNCES", "COMPLAINTS")
			for _, x := range d.Days {
				variant := x.Variant
				if variant == "" {
					variant = "(all)"
				}
				t.row(x.Date, variant, x.Sends, x.Delivered, x.Opens, x.Clicks, x.Conversions, x.Spend, x.Revenue,
					x.Unsubscribes, x.HardBounces, x.Complaints)
			}
			return t.flush()
		},
	}
	show.Flags().BoolVar(&showJSON, "json", false, "print as JSON")
	cmd.AddCommand(list, show)
	return cmd
}
