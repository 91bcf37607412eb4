package basket

import (
	"context"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/towerops/tower/internal/dataset"
)

// retailFile is the UCI Online Retail export kept next to the repository
// (../shared), found from this package's folder.
func retailFile(tb testing.TB) string {
	_, here, _, _ := runtime.Caller(0)
	path := filepath.Join(filepath.Dir(here), "..", "..", "..", "shared", "benchmarks", "online_retail_full.csv.gz")
	if _, err := os.Stat(path); err != nil {
		tb.Skipf("the Online Retail file is not at %s (it lives in ../shared next to the repository): %v", path, err)
	}
	return path
}

// franceSpec is the published French setup: France only, cancelled
// invoices (C…) out, postage dropped, an item bought when its quantity on
// the invoice is above zero.
var franceSpec = Spec{BasketCol: "InvoiceNo", ItemCol: "Description", QuantityCol: "Quantity",
	Filters: []dataset.Condition{{Column: "Country", Value: "France"}}, DropBasketPrefix: "C", ExcludeItems: []string{"POSTAGE"}}

// TestOnlineRetailFrance reproduces the eight rules of the pbpython
// "Introduction to Market Basket Analysis" notebook (min support 0.07,
// lift ≥ 6, confidence ≥ 0.8) with their published confidence and lift,
// and the basket, itemset and rule counts of the same setup.
func TestOnlineRetailFrance(t *testing.T) {
	path := retailFile(t)
	ctx := context.Background()
	tab, err := dataset.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	tx, rd, err := FromTable(tab, franceSpec)
	if err != nil {
		t.Fatal(err)
	}
	res, err := Mine(ctx, tx, Options{MinSupport: 0.07})
	if err != nil {
		t.Fatal(err)
	}
	all := res.Rules(RuleOptions{MinLift: 1})
	t.Logf("%d rows, %d French lines used, %d cancelled invoices dropped; %d baskets, %d items, %d frequent itemsets, %d rules with lift >= 1",
		rd.Rows, rd.Used, rd.DroppedBaskets, tx.Len(), len(tx.Items), len(res.Itemsets), len(all))
	if tx.Len() != 392 || len(res.Itemsets) != 51 || len(all) != 26 {
		t.Fatalf("%d baskets, %d itemsets, %d rules; published 392, 51, 26", tx.Len(), len(res.Itemsets), len(all))
	}
	const (
		green   = "ALARM CLOCK BAKELIKE GREEN"
		red     = "ALARM CLOCK BAKELIKE RED"
		pink    = "ALARM CLOCK BAKELIKE PINK"
		cups    = "SET/6 RED SPOTTY PAPER CUPS"
		plates  = "SET/6 RED SPOTTY PAPER PLATES"
		napkins = "SET/20 RED RETROSPOT PAPER NAPKINS"
	)
	// The eight rules in order. The four quoted in BASELINES.md
	// (published) must match the published confidence and lift to 4
	// decimals; the other four must be there with the figures this setup
	// gives (its counts: cups+napkins+plates in 39 of 392 baskets, plates
	// in 50, cups in 54, napkins in 52, cups+plates 48, napkins+plates 40).
	want := []struct {
		rule       string
		conf, lift float64
		published  bool
	}{
		{red + " → " + green, 0.8378, 8.6430, true},
		{green + " → " + red, 0.8158, 8.6430, true},
		{napkins + " + " + cups + " → " + plates, 0.975, 7.644, true},
		{napkins + " + " + plates + " → " + cups, 0.975, 7.0778, false},
		{plates + " → " + cups, 0.96, 6.9689, true},
		{cups + " → " + plates, 0.8889, 6.9689, false},
		{cups + " + " + plates + " → " + napkins, 0.8125, 6.125, false},
		{plates + " → " + napkins, 0.8, 6.0308, false},
	}
	got := res.Rules(RuleOptions{MinLift: 6, MinConfidence: 0.8})
	for _, r := range got {
		t.Logf("%-75s support %.4f if-support %.4f conf %.4f lift %.4f", r.String(), r.Support, r.IfSupport, r.Confidence, r.Lift)
	}
	if len(got) != len(want) {
		t.Fatalf("%d rules with lift >= 6 and confidence >= 0.8; published 8", len(got))
	}
	for i, w := range want {
		r := got[i]
		if r.String() != w.rule || math.Abs(r.Confidence-w.conf) > 5e-5 || math.Abs(r.Lift-w.lift) > 5e-5 {
			t.Errorf("rule %d: %s conf %.4f lift %.4f; want %s conf %.4f lift %.4f (published: %v)",
				i+1, r, r.Confidence, r.Lift, w.rule, w.conf, w.lift, w.published)
		}
	}
	// The notebook's "support" column is the rule's antecedent support.
	if math.Abs(got[1].IfSupport-38.0/392) > 1e-12 || math.Abs(got[0].IfSupport-37.0/392) > 1e-12 {
		t.Errorf("alarm clock antecedent supports %.6f %.6f; want 38/392 and 37/392", got[1].IfSupport, got[0].IfSupport)
	}
}

// BenchmarkOnlineRetailAll mines every country's invoices (cancelled
// ones and postage out, quantity above zero) at 1% and 2% support. The
// file is read once, outside the timing; one iteration is one Mine plus
// Rules.
func BenchmarkOnlineRetailAll(b *testing.B) {
	path := retailFile(b)
	ctx := context.Background()
	tab, err := dataset.Open(ctx, path)
	if err != nil {
		b.Fatal(err)
	}
	spec := franceSpec
	spec.Filters = nil
	tx, _, err := FromTable(tab, spec)
	if err != nil {
		b.Fatal(err)
	}
	for _, s := range []float64{0.02, 0.01} {
		b.Run(fmt.Sprintf("support=%g", s), func(b *testing.B) {
			var res *Result
			var rules []Rule
			for b.Loop() {
				if res, err = Mine(ctx, tx, Options{MinSupport: s}); err != nil {
					b.Fatal(err)
				}
				rules = res.Rules(RuleOptions{MinLift: 1})
			}
			b.ReportMetric(float64(len(res.Itemsets)), "itemsets")
			b.ReportMetric(float64(len(rules)), "rules")
			b.Logf("%d baskets, %d items, %d itemsets, %d rules with lift >= 1", tx.Len(), len(tx.Items), len(res.Itemsets), len(rules))
		})
	}
}

// BenchmarkOnlineRetailRead is reading the whole file and building the
// baskets, which the command does before mining.
func BenchmarkOnlineRetailRead(b *testing.B) {
	path := retailFile(b)
	ctx := context.Background()
	spec := franceSpec
	spec.Filters = nil
	for b.Loop() {
		tab, err := dataset.Open(ctx, path)
		if err != nil {
			b.Fatal(err)
		}
		if _, _, err := FromTable(tab, spec); err != nil {
			b.Fatal(err)
		}
	}
}
