package basket

import (
	"context"
	"math"
	"strconv"
	"strings"
	"testing"

	"github.com/towerops/tower/internal/dataset"
)

// TestMineByHand checks counts and measures on baskets small enough to
// work out on paper: 5 baskets, bread+butter in 3, bread in 4, butter in
// 3, jam in 2 (both with bread and butter).
func TestMineByHand(t *testing.T) {
	b := NewBuilder([]string{"bag"})
	for _, l := range []struct {
		id, item string
		q        float64
	}{
		{"1", "bread", 1}, {"1", "butter", 1}, {"1", "jam", 1}, {"1", "bag", 1},
		{"2", "bread", 2}, {"2", "butter", 1}, {"2", "jam", 1},
		{"3", "bread", 1}, {"3", "butter", 1},
		{"4", "bread", 1}, {"4", "milk", 1}, {"4", "milk", -1}, // milk returned
		{"5", "bag", 1}, {"5", "butter", 2}, {"5", "butter", -2}, // only a bag: an empty basket
	} {
		b.Add(l.id, l.item, l.q)
	}
	tx := b.Build()
	if tx.Len() != 5 || strings.Join(tx.Items, ",") != "bread,butter,jam" {
		t.Fatalf("baskets %d items %v", tx.Len(), tx.Items)
	}
	res, err := Mine(context.Background(), tx, Options{MinSupport: 0.4})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, s := range res.Itemsets {
		got = append(got, strings.Join(s.Items, "+")+":"+strconv.Itoa(s.Count))
	}
	if want := "bread:4 butter:3 jam:2 bread+butter:3 bread+jam:2 butter+jam:2 bread+butter+jam:2"; strings.Join(got, " ") != want {
		t.Fatalf("itemsets %v, want %s", got, want)
	}
	rules := res.Rules(RuleOptions{MinConfidence: 1})
	// jam → bread+butter: conf 1, lift 1/(3/5) = 5/3; jam → butter: 5/3;
	// butter+jam → bread: 5/4; jam → bread: 5/4; bread+jam → butter: 5/3;
	// butter → bread: 5/4.
	if len(rules) != 6 {
		t.Fatalf("%d rules: %v", len(rules), rules)
	}
	top := rules[0]
	if top.String() != "bread + jam → butter" || !near(top.Lift, 5.0/3) || !near(top.Support, 0.4) || !near(top.Leverage, 0.4-0.4*0.6) {
		t.Fatalf("top rule %v %+v", top, top)
	}
	if last := rules[len(rules)-1]; !near(last.Lift, 1.25) || last.Confidence != 1 {
		t.Fatalf("last rule %+v", last)
	}
	if _, err := Mine(context.Background(), tx, Options{MinSupport: 0}); err == nil {
		t.Fatal("a zero minimum support was accepted")
	}
	if _, err := Mine(context.Background(), tx, Options{MinSupport: 0.2, MaxItemsets: 3}); err == nil {
		t.Fatal("no error past MaxItemsets")
	}
}

func TestFromTableReportsBadRows(t *testing.T) {
	in := "Invoice,Item,Qty,Country\n1,tea,1,FR\n1,cake,x,FR\n,tea,1,FR\n2,,1,FR\nC3,tea,-1,FR\n4,tea,1,DE\n5,Postage,1,FR\n"
	tab, err := dataset.Read(context.Background(), strings.NewReader(in), "lines.csv")
	if err != nil {
		t.Fatal(err)
	}
	tx, rd, err := FromTable(tab, Spec{BasketCol: "invoice", ItemCol: "item", QuantityCol: "qty",
		Filters: []dataset.Condition{{Column: "Country", Value: "fr"}}, DropBasketPrefix: "c", ExcludeItems: []string{"POSTAGE"}})
	if err != nil {
		t.Fatal(err)
	}
	if tx.Len() != 2 || rd.Used != 2 || rd.Filtered != 1 || rd.DroppedBaskets != 1 || rd.NoItem != 1 || rd.Excluded != 1 {
		t.Fatalf("baskets %d, read %+v", tx.Len(), rd)
	}
	if len(rd.Problems) != 2 || rd.Problems[0].Error() != `lines.csv:3: column "Qty": quantity "x" is not a number` ||
		rd.Problems[1].Error() != `lines.csv:4: column "Invoice": no basket id` {
		t.Fatalf("problems %v", rd.Problems)
	}
	if _, _, err := FromTable(tab, Spec{BasketCol: "order", ItemCol: "item"}); err == nil || !strings.Contains(err.Error(), "Invoice, Item") {
		t.Fatalf("missing column: %v", err)
	}
}

func near(a, b float64) bool { return math.Abs(a-b) < 1e-12 }
