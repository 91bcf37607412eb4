package main

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/towerops/tower/internal/basket"
	"github.com/towerops/tower/internal/dataset"
)

// basketReport is what `tower analyze basket --json` prints.
type basketReport struct {
	File          string             `json:"file"`
	Rows          int                `json:"rows"`
	RowsUsed      int                `json:"rows_used"`
	RowsFiltered  int                `json:"rows_filtered_out"`
	RowsNoItem    int                `json:"rows_without_item"`
	RowsExcluded  int                `json:"rows_of_excluded_items"`
	Dropped       int                `json:"baskets_dropped_by_prefix"`
	Baskets       int                `json:"baskets"`
	Items         int                `json:"items"`
	MinSupport    float64            `json:"min_support"`
	MinConfidence float64            `json:"min_confidence"`
	MinLift       float64            `json:"min_lift"`
	Itemsets      []basket.Itemset   `json:"frequent_itemsets"`
	Rules         []basket.Rule      `json:"rules"`
	Skipped       []dataset.RowError `json:"skipped_rows"`
}

// analyzeBasketCommand finds items bought together in an order or invoice
// export: the rules a cross-sell offer is built on.
func (a *app) analyzeBasketCommand() *cobra.Command {
	var basketCol, itemCol, qtyCol, exclude, dropPrefix string
	var filters []string
	var minSupport, minConf, minLift float64
	var maxSize, limit int
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "basket FILE.csv",
		Short: "Find products bought together (cross-sell rules)",
		Long: `Find products bought (or held) together in an export with one row per item
in a basket: invoice lines, order lines, or account–product holdings. It
prints rules such as "baskets with the green alarm clock also have the red
one": how many baskets hold both (support), how often the second follows
the first (confidence), and how many times more often than chance (lift;
above 1 means they go together).

Name the column holding the basket (invoice, order or account id) and the
one holding the item's name. With --quantity-col, quantities of an item in
a basket are added up and the item counts only when the total is above
zero, so a return cancels the purchase. --filter keeps rows with a value
(repeat it to combine), --drop-basket-prefix leaves out baskets whose id
starts with it (cancelled invoices), --exclude-items leaves items out
(postage, gift wrap) while their baskets still count.

--min-support is the share of baskets a combination must be in to count
(0.05 = 5%). Start high and lower it: on large files a very low support
finds a great many combinations. See docs/cross-sell.md.`,
		Example: `  tower analyze basket online_retail.csv.gz --basket-col InvoiceNo --item-col Description \
    --quantity-col Quantity --filter Country=France --drop-basket-prefix C \
    --exclude-items POSTAGE --min-support 0.07 --min-lift 6 --min-confidence 0.8
  tower analyze basket holdings.csv --basket-col account_id --item-col product --min-support 0.05 --json`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if basketCol == "" || itemCol == "" {
				return fmt.Errorf("give the columns to read: --basket-col NAME (invoice, order or account id) --item-col NAME (the item's name)")
			}
			if !cmd.Flags().Changed("min-support") {
				return fmt.Errorf("give --min-support, the share of baskets a combination must be in (for example 0.05 for 5%%)")
			}
			if !(minSupport > 0 && minSupport <= 1) {
				return fmt.Errorf("--min-support %g: give a share of baskets above 0 and at most 1 (for example 0.05 for 5%%)", minSupport)
			}
			if minConf < 0 || minConf > 1 {
				return fmt.Errorf("--min-confidence %g: give a share from 0 to 1 (for example 0.8)", minConf)
			}
			if minLift < 0 {
				return fmt.Errorf("--min-lift %g: lift is never below 0; 1 means as often as chance", minLift)
			}
			spec := basket.Spec{BasketCol: basketCol, ItemCol: itemCol, QuantityCol: qtyCol,
				DropBasketPrefix: dropPrefix, ExcludeItems: dataset.SplitList(exclude)}
			for _, f := range filters {
				c, err := dataset.ParseCondition("--filter", f)
				if err != nil {
					return err
				}
				spec.Filters = append(spec.Filters, c)
			}
			ctx := cmd.Context()
			tab, err := dataset.Open(ctx, args[0])
			if err != nil {
				return err
			}
			tx, rd, err := basket.FromTable(tab, spec)
			if err != nil {
				return err
			}
			skipped := append(append([]dataset.RowError{}, tab.Skipped...), rd.Problems...)
			a.printSkipped(skipped)
			res, err := basket.Mine(ctx, tx, basket.Options{MinSupport: minSupport, MaxSize: maxSize})
			if err != nil {
				return fmt.Errorf("--min-support %g: %w", minSupport, err)
			}
			rep := basketReport{File: args[0], Rows: rd.Rows, RowsUsed: rd.Used, RowsFiltered: rd.Filtered,
				RowsNoItem: rd.NoItem, RowsExcluded: rd.Excluded, Dropped: rd.DroppedBaskets,
				Baskets: res.Baskets, Items: res.Items, MinSupport: minSupport, MinConfidence: minConf, MinLift: minLift,
				Itemsets: res.Itemsets, Rules: res.Rules(basket.RuleOptions{MinConfidence: minConf, MinLift: minLift}),
				Skipped: skipped}
			if rep.Itemsets == nil {
				rep.Itemsets = []basket.Itemset{}
			}
			if rep.Rules == nil {
				rep.Rules = []basket.Rule{}
			}
			if asJSON {
				return printJSON(a.stdout, rep)
			}
			return a.printBasketReport(rep, limit)
		},
	}
	f := cmd.Flags()
	f.StringVar(&basketCol, "basket-col", "", "column holding the basket: invoice, order or account id (required)")
	f.StringVar(&itemCol, "item-col", "", "column holding the item's name, e.g. Description or product (required)")
	f.StringVar(&qtyCol, "quantity-col", "", "column holding the quantity; an item counts when its total in the basket is above zero")
	f.StringArrayVar(&filters, "filter", nil, "keep only rows where COLUMN=VALUE (repeat to combine), e.g. Country=France")
	f.StringVar(&exclude, "exclude-items", "", "items to leave out, comma-separated, e.g. POSTAGE (their baskets still count)")
	f.StringVar(&dropPrefix, "drop-basket-prefix", "", "leave out baskets whose id starts with this, e.g. C for cancelled invoices")
	f.Float64Var(&minSupport, "min-support", 0, "share of baskets a combination must be in, above 0 and at most 1 (required)")
	f.Float64Var(&minConf, "min-confidence", 0, "keep rules whose second part follows the first at least this often (0 to 1)")
	f.Float64Var(&minLift, "min-lift", 1, "keep rules at least this many times more frequent than chance")
	f.IntVar(&maxSize, "max-size", 0, "largest combination of items counted (0: no limit)")
	f.IntVar(&limit, "limit", 30, "rules shown in the table (0: all); --json always has all")
	f.BoolVar(&asJSON, "json", false, "print the counts, every frequent combination and every rule as JSON")
	return cmd
}

// printSkipped lists the rows left out on stderr: the first ten, then how
// many more (--json has them all).
func (a *app) printSkipped(rows []dataset.RowError) {
	for i, e := range rows {
		if i == 10 {
			fmt.Fprintf(a.stderr, "skipped %d more rows (--json lists them all)\n", len(rows)-10)
			return
		}
		fmt.Fprintf(a.stderr, "skipped %s\n", e.Error())
	}
}

func (a *app) printBasketReport(rep basketReport, limit int) error {
	rows := fmt.Sprintf("%d of %d", rep.RowsUsed, rep.Rows)
	var left []string
	for _, p := range []struct {
		n    int
		what string
	}{{rep.RowsFiltered, "filtered out"}, {rep.RowsNoItem, "without an item name"}, {rep.Dropped, "baskets dropped by prefix"}, {len(rep.Skipped), "unreadable"}} {
		if p.n > 0 {
			left = append(left, fmt.Sprintf("%d %s", p.n, p.what))
		}
	}
	if len(left) > 0 {
		rows += " (" + strings.Join(left, ", ") + ")"
	}
	if err := keyValues(a.stdout,
		"file", rep.File,
		"rows used", rows,
		"baskets", rep.Baskets,
		"distinct items", rep.Items,
		"frequent combinations", fmt.Sprintf("%d (in at least %g of baskets)", len(rep.Itemsets), rep.MinSupport),
		"rules", fmt.Sprintf("%d (confidence >= %g, lift >= %g)", len(rep.Rules), rep.MinConfidence, rep.MinLift),
	); err != nil {
		return err
	}
	if len(rep.Rules) == 0 {
		_, err := fmt.Fprintln(a.stdout, "\nno rule passes; lower --min-support, --min-confidence or --min-lift")
		return err
	}
	fmt.Fprintln(a.stdout)
	t := newTable(a.stdout, "IF A BASKET HAS", "IT ALSO HAS", "BASKETS", "SUPPORT", "CONFIDENCE", "LIFT")
	for i, r := range rep.Rules {
		if limit > 0 && i == limit {
			t.row(fmt.Sprintf("… %d more", len(rep.Rules)-limit), "use --limit 0 or --json for all", "", "", "", "")
			break
		}
		t.row(strings.Join(r.If, " + "), strings.Join(r.Then, " + "), r.Count,
			fmt.Sprintf("%.4f", r.Support), fmt.Sprintf("%.4f", r.Confidence), fmt.Sprintf("%.4f", r.Lift))
	}
	return t.flush()
}
