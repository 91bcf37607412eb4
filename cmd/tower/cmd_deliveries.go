package main

import (
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/spf13/cobra"

	"github.com/towerops/tower/internal/connect"
	"github.com/towerops/tower/internal/store"
)

func (a *app) deliveriesCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "deliveries",
		Short: "Changes owed to connected systems: what is waiting, what failed for good, and retrying it",
		Long: `Every change Tower makes to a record that a connected system also holds (a
suppression, a merge, a corrected field) becomes a delivery, written in the same
transaction as the change. "tower serve" delivers them every few seconds, with
retries and backoff; a delivery that keeps failing, or that the system refuses
outright, becomes dead and waits here for a person: fix the cause, then retry.`,
	}
	cmd.AddCommand(a.deliveriesListCommand(), a.deliveriesRetryCommand(), a.deliveriesRunCommand())
	return cmd
}

func (a *app) deliveriesListCommand() *cobra.Command {
	var (
		p      store.DeliveriesListParams
		asJSON bool
	)
	cmd := &cobra.Command{
		Use:   "list [--state pending|dead|delivered] [--connector NAME] [--proposal ID]",
		Short: "List deliveries, newest first",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if p.State != "" && p.State != store.DeliveryPending && p.State != store.DeliveryDead && p.State != store.DeliveryDelivered {
				return fmt.Errorf("--state: %q is not one of pending, dead, delivered", p.State)
			}
			st, err := a.store(cmd.Context())
			if err != nil {
				return err
			}
			ds, err := st.DeliveriesList(cmd.Context(), &p)
			if err != nil {
				return err
			}
			if asJSON {
				if ds == nil {
					ds = []store.Delivery{}
				}
				return printJSON(a.stdout, deliveryViews(ds))
			}
			if len(ds) == 0 {
				fmt.Fprintln(a.stdout, "No deliveries.")
				return nil
			}
			t := newTable(a.stdout, "ID", "CONNECTOR", "CHANGE", "RECORD", "STATE", "ATTEMPTS", "NEXT", "LAST ERROR")
			for _, d := range ds {
				next := ""
				if d.State == store.DeliveryPending {
					next = d.NextAt.Format(time.DateTime)
				}
				t.row(d.ID, d.Connector, describeChange(d), d.SystemID, d.State, d.Attempts, next, d.LastError)
			}
			return t.flush()
		},
	}
	f := cmd.Flags()
	f.StringVar(&p.State, "state", "", "only deliveries in this state: pending, dead or delivered")
	f.StringVar(&p.Connector, "connector", "", "only this connector's")
	f.StringVar(&p.ProposalID, "proposal", "", "only those of this proposal")
	f.IntVar(&p.Page.Limit, "limit", 100, "at most this many")
	f.BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}

// deliveryView is a delivery as --json prints it.
type deliveryView struct {
	ID          int64      `json:"id"`
	Key         string     `json:"key"`
	Connector   string     `json:"connector"`
	Op          string     `json:"op"`
	Change      string     `json:"change"`
	SystemID    string     `json:"system_id"`
	Email       string     `json:"email,omitempty"`
	ProposalID  string     `json:"proposal_id,omitempty"`
	State       string     `json:"state"`
	Attempts    int        `json:"attempts"`
	NextAt      *time.Time `json:"next_at,omitempty"`
	LastError   string     `json:"last_error,omitempty"`
	CreatedAt   time.Time  `json:"created_at"`
	DeliveredAt *time.Time `json:"delivered_at,omitempty"`
}

func deliveryViews(ds []store.Delivery) []deliveryView {
	out := make([]deliveryView, len(ds))
	for i, d := range ds {
		v := deliveryView{ID: d.ID, Key: d.Key, Connector: d.Connector, Op: d.Op, Change: describeChange(d), SystemID: d.SystemID,
			Email: d.Email, ProposalID: d.ProposalID, State: d.State, Attempts: d.Attempts, LastError: d.LastError, CreatedAt: d.CreatedAt}
		if d.State == store.DeliveryPending {
			v.NextAt = &d.NextAt
		}
		if !d.DeliveredAt.IsZero() {
			v.DeliveredAt = &d.DeliveredAt
		}
		out[i] = v
	}
	return out
}

// describeChange says what a delivery changes, in words.
func describeChange(d store.Delivery) string {
	switch connect.Op(d.Op) {
	case connect.OpSuppress:
		return fmt.Sprintf("suppress %s (%s)", d.Channel, d.Status)
	case connect.OpUnsuppress:
		return "unsuppress " + d.Channel
	case connect.OpMerge:
		return "merge into " + d.IntoID
	case connect.OpUnmerge:
		return "split from " + d.IntoID
	case connect.OpUpdateField:
		return fmt.Sprintf("set %s to %q", d.Field, d.Value)
	}
	return d.Op
}

func (a *app) deliveriesRetryCommand() *cobra.Command {
	var (
		all       bool
		connector string
	)
	cmd := &cobra.Command{
		Use:   "retry ID... | --all [--connector NAME]",
		Short: "Send dead deliveries again (after fixing what made them fail)",
		RunE: func(cmd *cobra.Command, args []string) error {
			p := store.DeliveriesRetryParams{AllDead: all, Connector: connector, Now: time.Now().UTC()}
			if all == (len(args) > 0) {
				return errors.New("name the deliveries to retry by id, or pass --all (not both)")
			}
			for _, s := range args {
				id, err := strconv.ParseInt(s, 10, 64)
				if err != nil || id <= 0 {
					return fmt.Errorf("%q is not a delivery id (see tower deliveries list --state dead)", s)
				}
				p.IDs = append(p.IDs, id)
			}
			st, err := a.store(cmd.Context())
			if err != nil {
				return err
			}
			n, err := st.DeliveriesRetry(cmd.Context(), &p)
			if err != nil {
				return err
			}
			noun := "deliveries"
			if n == 1 {
				noun = "delivery"
			}
			fmt.Fprintf(a.stdout, "%d %s will be sent again at the next delivery round.\n", n, noun)
			if !all && n < len(p.IDs) {
				fmt.Fprintf(a.stdout, "%d of the ids named were not dead (delivered, still pending, or unknown) and were left alone.\n", len(p.IDs)-n)
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&all, "all", false, "retry every dead delivery")
	cmd.Flags().StringVar(&connector, "connector", "", "only this connector's")
	return cmd
}

func (a *app) deliveriesRunCommand() *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "run",
		Short: "Deliver what is due now, once (tower serve does this continuously)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			conns, attempts, err := a.openConnectors()
			if err != nil {
				return err
			}
			st, err := a.store(cmd.Context())
			if err != nil {
				return err
			}
			d := &connect.Deliverer{Store: st, Connectors: conns, MaxAttempts: attempts, Log: a.log()}
			r, err := d.RunOnce(cmd.Context())
			if err != nil {
				return err
			}
			if asJSON {
				return printJSON(a.stdout, map[string]int{"delivered": r.Delivered, "retrying": r.Retrying, "dead": r.Dead})
			}
			fmt.Fprintf(a.stdout, "Delivered %d; %d will be retried later; %d failed for good (see tower deliveries list --state dead).\n",
				r.Delivered, r.Retrying, r.Dead)
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}
