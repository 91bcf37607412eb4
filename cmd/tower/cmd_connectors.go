package main

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/towerops/tower/internal/connect"
	"github.com/towerops/tower/internal/store"
)

// hygieneCommands are the connected systems and what Tower owes them.
func (a *app) hygieneCommands() []*cobra.Command {
	return []*cobra.Command{a.connectorsCommand(), a.deliveriesCommand()}
}

func (a *app) connectorsCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "connectors",
		Short: "The systems Tower reads from and writes back to (CRM, marketing automation, ESP, webhooks)",
		Long: `Connectors are configured one per file in the workspace's connectors/ folder
(connectors/NAME.toml: kind, system, and the environment variable holding the
secret). Changes Tower makes to records of a connected system — a suppression,
a merge, a corrected field — are delivered to it; see "tower deliveries".`,
	}
	cmd.AddCommand(a.connectorsListCommand(), a.connectorsCheckCommand(), a.connectorsPullCommand())
	return cmd
}

// connectorRow is one connector as list shows it.
type connectorRow struct {
	Name       string         `json:"name"`
	Kind       string         `json:"kind"`
	System     string         `json:"system"`
	URL        string         `json:"url,omitempty"`
	Secret     string         `json:"secret_env,omitempty"`
	Deliveries map[string]int `json:"deliveries"`
}

func (a *app) connectorsListCommand() *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List the configured connectors and their deliveries (pending, dead, delivered)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			cfgs, err := a.connectorConfigs()
			if err != nil {
				return err
			}
			st, err := a.store(cmd.Context())
			if err != nil {
				return err
			}
			counts, err := st.DeliveriesCount(cmd.Context())
			if err != nil {
				return err
			}
			rows := []connectorRow{}
			for _, c := range cfgs {
				r := connectorRow{Name: c.Name, Kind: c.Kind, System: c.System, URL: c.URL, Secret: c.TokenEnv, Deliveries: map[string]int{}}
				for _, s := range store.DeliveryStates {
					r.Deliveries[s] = 0
				}
				for _, n := range counts {
					if n.Connector == c.Name {
						r.Deliveries[n.State] = n.Count
					}
				}
				rows = append(rows, r)
			}
			if asJSON {
				return printJSON(a.stdout, rows)
			}
			if len(rows) == 0 {
				fmt.Fprintln(a.stdout, "No connectors. Add one file per system to the connectors/ folder; see docs/connectors.md.")
				return nil
			}
			t := newTable(a.stdout, "NAME", "KIND", "SYSTEM", "SECRET FROM", "PENDING", "DEAD", "DELIVERED")
			for _, r := range rows {
				t.row(r.Name, r.Kind, r.System, r.Secret, r.Deliveries[store.DeliveryPending], r.Deliveries[store.DeliveryDead],
					r.Deliveries[store.DeliveryDelivered])
			}
			return t.flush()
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}

func (a *app) connectorsCheckCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "check [NAME...]",
		Short: "Check connector files and that their secrets are set (nothing is sent)",
		RunE: func(cmd *cobra.Command, args []string) error {
			conns, _, err := a.openConnectors(args...)
			if err != nil {
				return err
			}
			if len(conns) == 0 {
				fmt.Fprintln(a.stdout, "No connectors configured.")
				return nil
			}
			for _, c := range conns {
				d := c.Describe()
				ops := make([]string, len(d.Ops))
				for i, o := range d.Ops {
					ops[i] = string(o)
				}
				pull := "pulls records and consent"
				if !d.Pull {
					pull = "receives changes only"
				}
				fmt.Fprintf(a.stdout, "%s: ok — %s, system %q, %s; delivers %s (up to %d per call)\n",
					d.Name, d.Kind, d.System, pull, strings.Join(ops, ", "), d.MaxBatch)
			}
			return nil
		},
	}
}

func (a *app) connectorsPullCommand() *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "pull NAME",
		Short: "Read every record and consent fact a connected system holds into Tower",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			conns, _, err := a.openConnectors(args[0])
			if err != nil {
				return err
			}
			st, err := a.store(cmd.Context())
			if err != nil {
				return err
			}
			prog := a.newProgress()
			rep, err := connect.PullInto(cmd.Context(), st, conns[0], func(r connect.PullReport) {
				prog.update("pulling "+r.Connector, int64(r.Records), -1, false)
			})
			prog.finish()
			if err != nil {
				return err
			}
			if asJSON {
				return printJSON(a.stdout, rep)
			}
			fmt.Fprintf(a.stdout, "Pulled from %s (system %s): %d records and %d consent facts in %d pages.\n",
				rep.Connector, rep.System, rep.Records, rep.Consent, rep.Pages)
			for _, r := range rep.Rejected {
				fmt.Fprintf(a.stdout, "  skipped a row: %s: %s\n", r.Field, r.Reason)
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}
