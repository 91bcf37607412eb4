package main

import (
	"compress/gzip"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// ordersCSV is 20 orders: tea and cake together in 8 of them (cake in 10,
// tea in 12), scones alone in the rest, a shipping line on every order,
// a cancelled order C99 and a row with a broken quantity.
func ordersCSV() string {
	var b strings.Builder
	b.WriteString("order;product;qty;shop\n")
	for i := range 20 {
		id := fmt.Sprint(1000 + i)
		switch {
		case i < 8:
			fmt.Fprintf(&b, "%s;Tea;1;web\n%s;Cake;2;web\n", id, id)
		case i < 10:
			fmt.Fprintf(&b, "%s;Cake;1;web\n", id)
		case i < 14:
			fmt.Fprintf(&b, "%s;Tea;1;web\n", id)
		default:
			fmt.Fprintf(&b, "%s;Scones;1;web\n", id)
		}
		fmt.Fprintf(&b, "%s;Shipping;1;web\n", id)
	}
	b.WriteString("C99;Tea;-1;web\nC99;Cake;-1;web\n1015;Cake;lots;web\n2000;Cake;1;store\n")
	return b.String()
}

func TestAnalyzeBasketTable(t *testing.T) {
	f := writeDedupeFile(t, "orders.csv", ordersCSV())
	out, errOut, err := cli(t, nil, "analyze", "basket", f, "--basket-col", "Order", "--item-col", "product", "--quantity-col", "qty",
		"--filter", "shop=web", "--exclude-items", "shipping", "--drop-basket-prefix", "c", "--min-support", "0.3", "--min-confidence", "0.5")
	if err != nil {
		t.Fatalf("%v\n%s", err, errOut)
	}
	if !strings.Contains(errOut, `orders.csv:52: column "qty": quantity "lots" is not a number`) {
		t.Errorf("stderr lacks the bad quantity:\n%s", errOut)
	}
	// 20 baskets; tea 12/20, cake 10/20, both 8/20: cake → tea has
	// confidence 0.8 and lift 0.8/0.6; tea → cake 8/12 and the same lift.
	for _, want := range []string{"baskets:", "20", "1 baskets dropped by prefix", "Cake  ", "Tea", "0.4000", "0.8000", "0.6667", "1.3333"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "Shipping") {
		t.Errorf("an excluded item is in a rule:\n%s", out)
	}
}

func TestAnalyzeBasketJSONReadsGzip(t *testing.T) {
	p := filepath.Join(t.TempDir(), "orders.csv.gz")
	fh, err := os.Create(p)
	if err != nil {
		t.Fatal(err)
	}
	z := gzip.NewWriter(fh)
	_, _ = z.Write([]byte(ordersCSV()))
	if err := z.Close(); err != nil {
		t.Fatal(err)
	}
	fh.Close()
	out := mustCLI(t, nil, "analyze", "basket", p, "--basket-col", "order", "--item-col", "product", "--quantity-col", "qty",
		"--drop-basket-prefix", "C", "--exclude-items", "Shipping", "--min-support", "0.3", "--min-lift", "1.2", "--json")
	var rep struct {
		Baskets  int
		Itemsets []struct {
			Items   []string
			Baskets int
		} `json:"frequent_itemsets"`
		Rules []struct {
			If, Then         []string
			Baskets          int
			Confidence, Lift float64
		}
		Skipped []struct {
			Line   int
			Column string
		} `json:"skipped_rows"`
	}
	decode(t, out, &rep)
	// Without the shop filter order 2000 (store) is a 21st basket with
	// cake: cake 11, tea 12, both 8 of 21, lift 8·21/(11·12) = 1.27.
	if rep.Baskets != 21 || len(rep.Skipped) != 1 || rep.Skipped[0].Line != 52 || rep.Skipped[0].Column != "qty" {
		t.Fatalf("baskets %d skipped %+v", rep.Baskets, rep.Skipped)
	}
	if len(rep.Rules) != 2 || rep.Rules[0].Baskets != 8 || math.Abs(rep.Rules[0].Lift-8.0*21/(11*12)) > 1e-9 {
		t.Fatalf("rules %+v", rep.Rules)
	}
	if got := rep.Rules[0].If[0] + ">" + rep.Rules[0].Then[0]; got != "Cake>Tea" {
		t.Fatalf("first rule %s (Cake>Tea has the higher confidence at equal lift)", got)
	}
}

func TestAnalyzeBasketRefusesPlainly(t *testing.T) {
	f := writeDedupeFile(t, "orders.csv", ordersCSV())
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--item-col", "product", "--min-support", "0.1"}, "--basket-col NAME"},
		{[]string{"--basket-col", "order", "--item-col", "product"}, "give --min-support"},
		{[]string{"--basket-col", "order", "--item-col", "product", "--min-support", "5"}, "at most 1"},
		{[]string{"--basket-col", "invoice", "--item-col", "product", "--min-support", "0.1"}, `"invoice" is not in the header; the columns are: order, product, qty, shop`},
		{[]string{"--basket-col", "order", "--item-col", "product", "--min-support", "0.1", "--filter", "shop=mall"}, `no row has shop = "mall"; the values in "shop" are: store, web`},
		{[]string{"--basket-col", "order", "--item-col", "product", "--min-support", "0.1", "--filter", "web"}, "COLUMN=VALUE"},
	} {
		_, _, err := cli(t, nil, append([]string{"analyze", "basket", f}, c.args...)...)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%v: got %v, want %q", c.args, err, c.want)
		}
	}
}
