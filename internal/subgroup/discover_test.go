package subgroup

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/towerops/tower/internal/dataset"
)

// synthetic builds n rows of categorical and numeric noise columns; when
// plant is set, rows with region = north and plan = pro and visits >= 4
// convert at 40% instead of base.
func synthetic(n int, seed uint64, base float64, plant bool) (*dataset.Table, []bool) {
	r := rand.New(rand.NewPCG(seed, 7))
	cat := func(name string, levels ...string) *dataset.Column { return &dataset.Column{Name: name} }
	region, plan, channel, device := cat("region"), cat("plan"), cat("channel"), cat("device")
	visits := &dataset.Column{Name: "visits", Numeric: true}
	spend := &dataset.Column{Name: "spend", Numeric: true}
	y := &dataset.Column{Name: "converted"}
	t := &dataset.Table{File: "synthetic.csv", Columns: []*dataset.Column{region, plan, channel, device, visits, spend, y}}
	pick := func(c *dataset.Column, levels ...string) string {
		v := levels[r.IntN(len(levels))]
		c.Values = append(c.Values, v)
		return v
	}
	out := make([]bool, n)
	for i := range n {
		rg := pick(region, "north", "south", "east", "west")
		pl := pick(plan, "free", "pro", "team")
		pick(channel, "email", "paid", "organic", "referral", "social")
		pick(device, "mobile", "desktop")
		v := float64(r.IntN(8))
		s := float64(r.IntN(10000)) / 10
		visits.Nums = append(visits.Nums, v)
		visits.Values = append(visits.Values, fmt.Sprint(v))
		spend.Nums = append(spend.Nums, s)
		spend.Values = append(spend.Values, fmt.Sprint(s))
		p := base
		if plant && rg == "north" && pl == "pro" && v >= 4 {
			p = 0.4
		}
		out[i] = r.Float64() < p
		y.Values = append(y.Values, map[bool]string{true: "yes", false: "no"}[out[i]])
		t.Lines = append(t.Lines, i+2)
	}
	return t, out
}

func TestPlantedSubgroupIsFound(t *testing.T) {
	tab, y := synthetic(20000, 1, 0.05, true)
	rep, err := Discover(context.Background(), tab, y, Options{OutcomeColumn: "converted"})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Segments) == 0 {
		t.Fatalf("nothing confirmed: %+v", rep)
	}
	top := rep.Segments[0]
	want := map[string]bool{"region = north": true, "plan = pro": true, "visits >= 4": true}
	for _, c := range top.Conditions {
		if !want[c.String()] {
			t.Errorf("top segment %q has condition %q", top.Rule, c)
		}
	}
	if len(top.Conditions) != 3 {
		t.Errorf("top segment %q, want the three planted conditions", top.Rule)
	}
	if top.Holdout.LiftLow <= 1 {
		t.Errorf("holdout lift interval %.2f–%.2f does not clear 1", top.Holdout.LiftLow, top.Holdout.LiftHigh)
	}
	if rep.ConfirmedCount > 1 {
		t.Errorf("%d segments confirmed; only the planted one is real", rep.ConfirmedCount)
	}
	m, err := top.Members(tab)
	if err != nil || len(m) != top.All.Size {
		t.Errorf("members %d (%v), size %d", len(m), err, top.All.Size)
	}
	t.Logf("tested %d, significant %d, redundant %d, holdout %d, confirmed %d; top %s lift %.2f (holdout %.2f, %.2f–%.2f)",
		rep.Tested, rep.Significant, rep.Redundant, rep.ToHoldout, rep.ConfirmedCount, top.Rule, top.All.Lift, top.Holdout.Lift, top.Holdout.LiftLow, top.Holdout.LiftHigh)
	for _, s := range rep.Segments {
		t.Logf("  %s  n=%d lift %.2f", s.Rule, s.All.Size, s.All.Lift)
	}
}

// TestNoiseConfirmsNothing runs pure noise with several seeds: with the
// false discovery rate controlled on both parts, nothing should be
// confirmed (a confirmed segment in noise is a false discovery).
func TestNoiseConfirmsNothing(t *testing.T) {
	falses := 0
	for seed := uint64(1); seed <= 5; seed++ {
		tab, y := synthetic(10000, seed, 0.1, false)
		rep, err := Discover(context.Background(), tab, y, Options{OutcomeColumn: "converted"})
		if err != nil {
			t.Fatal(err)
		}
		falses += rep.ConfirmedCount
		t.Logf("seed %d: tested %d, significant on discovery %d, confirmed %d", seed, rep.Tested, rep.Significant, rep.ConfirmedCount)
	}
	if falses > 0 {
		t.Errorf("%d segments confirmed in pure noise", falses)
	}
}

func TestProtectedColumnsLeftOut(t *testing.T) {
	tab, y := synthetic(2000, 3, 0.1, false)
	tab.Columns[0].Name = "Customer Age Band"
	rep, err := Discover(context.Background(), tab, y, Options{OutcomeColumn: "converted", Depth: 1})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Excluded) != 2 || !strings.Contains(rep.Excluded[0].Reason, "protected") || rep.Excluded[0].Column != "Customer Age Band" {
		t.Fatalf("left out: %+v", rep.Excluded)
	}
	rep, err = Discover(context.Background(), tab, y, Options{OutcomeColumn: "converted", Depth: 1, AllowProtected: true})
	if err != nil || len(rep.Excluded) != 1 {
		t.Fatalf("with protected allowed, left out: %+v %v", rep.Excluded, err)
	}
	for _, name := range []string{"page_views", "usage", "Stage"} {
		if _, ok := Protected(name); ok {
			t.Errorf("%s taken as protected", name)
		}
	}
	for _, name := range []string{"age", "marital", "Gender", "ethnicity_code", "date of birth"} {
		if _, ok := Protected(name); !ok {
			t.Errorf("%s not taken as protected", name)
		}
	}
}

// TestBank searches the UCI bank-marketing data (41,188 rows, 20 inputs)
// for groups that subscribe (y = yes), without duration (known only after
// the call).
func TestBank(t *testing.T) {
	path := "../../../shared/benchmarks/bank-additional-full.csv"
	if _, err := os.Stat(path); err != nil {
		t.Skip("needs ../shared/benchmarks/bank-additional-full.csv")
	}
	ctx := context.Background()
	tab, err := dataset.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	y, err := tab.Mask(dataset.Condition{Column: "y", Value: "yes"})
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	rep, err := Discover(ctx, tab, y, Options{OutcomeColumn: "y", Exclude: []string{"duration"}})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%s: %d rows, %d conditions, tested %d, significant %d, redundant %d, holdout %d, confirmed %d",
		time.Since(start).Round(time.Millisecond), rep.Rows, rep.Conditions, rep.Tested, rep.Significant, rep.Redundant, rep.ToHoldout, rep.ConfirmedCount)
	for _, s := range rep.Segments {
		t.Logf("  %-70s n=%5d rate %.3f lift %.2f holdout %.2f (%.2f–%.2f)", s.Rule, s.All.Size, s.All.Rate, s.All.Lift, s.Holdout.Lift, s.Holdout.LiftLow, s.Holdout.LiftHigh)
	}
	if rep.ConfirmedCount == 0 {
		t.Fatal("nothing confirmed on the bank data")
	}
	for _, e := range rep.Excluded {
		if e.Column == "age" || e.Column == "marital" {
			continue
		}
		if e.Column != "y" && e.Column != "duration" {
			t.Errorf("unexpected exclusion %+v", e)
		}
	}
	for _, s := range rep.Segments {
		if s.Holdout.Lift <= 1 || s.Holdout.P > rep.Options.FDR {
			t.Errorf("%s confirmed with holdout lift %.2f p %.3g", s.Rule, s.Holdout.Lift, s.Holdout.P)
		}
		for _, c := range s.Conditions {
			if c.Column == "age" || c.Column == "marital" || c.Column == "duration" {
				t.Errorf("%s uses %s", s.Rule, c.Column)
			}
		}
	}
}

// BenchmarkBank times one full search of the bank data (41,188 rows, 19
// columns searched, depth 3): split, conditions, every conjunction,
// Benjamini–Hochberg, pruning and the holdout.
func BenchmarkBank(b *testing.B) {
	path := "../../../shared/benchmarks/bank-additional-full.csv"
	if _, err := os.Stat(path); err != nil {
		b.Skip("needs ../shared/benchmarks/bank-additional-full.csv")
	}
	ctx := context.Background()
	tab, err := dataset.Open(ctx, path)
	if err != nil {
		b.Fatal(err)
	}
	y, err := tab.Mask(dataset.Condition{Column: "y", Value: "yes"})
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := Discover(ctx, tab, y, Options{OutcomeColumn: "y", Exclude: []string{"duration"}, AllowProtected: true}); err != nil {
			b.Fatal(err)
		}
	}
}
