package demo

import (
	"math"
	"slices"
	"strconv"
	"testing"
	"time"
)

// TestCrossSellPatternIsInTheHoldings recomputes the planted rule
// (Pipelines + Governance → Embedded) from accounts.csv and holdings.csv:
// the facts are exactly the customers holding both without Embedded, the
// figures in each fact are the files' figures, the rule is clear
// (confidence ≥ 0.8, lift ≥ 2), and every holding is still well formed.
func TestCrossSellPatternIsInTheHoldings(t *testing.T) {
	dir, truth := bundle(t)
	facts := truth.Kind(KindCrossSell)
	if len(facts) < 6 || len(facts) > 10 {
		t.Fatalf("%d cross-sell facts; want 6 to 10", len(facts))
	}
	now, _ := time.Parse(time.DateOnly, truth.Now)
	stage, owner := map[string]string{}, map[string]string{}
	for _, row := range readCSV(t, dir, "accounts.csv").rows {
		stage[row["id"]], owner[row["id"]] = row["lifecycle_stage"], row["owner_id"]
	}
	owns := map[string][]string{}
	seen := map[string]bool{}
	for _, h := range readCSV(t, dir, "holdings.csv").rows {
		k := h["account_id"] + "|" + h["product_id"] + "|" + h["person_email"]
		if seen[k] {
			t.Errorf("holding %s twice", k)
		}
		seen[k] = true
		owns[h["account_id"]] = append(owns[h["account_id"]], h["product_id"])
		since, err := time.Parse(time.DateOnly, h["since"])
		seats, _ := strconv.Atoi(h["seats"])
		mrr, _ := strconv.ParseFloat(h["mrr"], 64)
		if err != nil || since.After(now) || seats < 1 || mrr <= 0 || stage[h["account_id"]] != "customer" {
			t.Errorf("holding %v: since %s (now %s), seats %d, mrr %.2f, account stage %q", k, h["since"], truth.Now, seats, mrr, stage[h["account_id"]])
		}
	}
	var n, nIf, nAll, nThen int
	var gaps []string
	for id, st := range stage {
		if st != "customer" {
			continue
		}
		n++
		ps := owns[id]
		ifs := slices.Contains(ps, "prod-pipelines") && slices.Contains(ps, "prod-governance")
		then := slices.Contains(ps, "prod-embedded")
		if then && !ifs {
			t.Errorf("%s holds Embedded without Pipelines and Governance", id)
		}
		switch {
		case ifs && then:
			nIf, nAll, nThen = nIf+1, nAll+1, nThen+1
		case ifs:
			nIf++
			gaps = append(gaps, id)
		case then:
			nThen++
		}
	}
	slices.Sort(gaps)
	var got []string
	for _, f := range facts {
		c := f.CrossSell
		got = append(got, c.AccountID)
		if c.Customers != n || c.HoldIf != nIf || c.HoldAll != nAll || c.HoldThen != nThen {
			t.Errorf("%s: counts %d/%d/%d/%d; files %d/%d/%d/%d", c.AccountID, c.Customers, c.HoldIf, c.HoldAll, c.HoldThen, n, nIf, nAll, nThen)
		}
		conf := float64(nAll) / float64(nIf)
		if !near6(c.Support, float64(nAll)/float64(n)) || !near6(c.Confidence, conf) || !near6(c.Lift, conf*float64(n)/float64(nThen)) {
			t.Errorf("%s: support %.4f confidence %.4f lift %.4f do not match the files", c.AccountID, c.Support, c.Confidence, c.Lift)
		}
		if !slices.Equal(c.Owns, slices.Sorted(slices.Values(owns[c.AccountID]))) || c.Offer != "prod-embedded" || c.OwnerID != owner[c.AccountID] {
			t.Errorf("%s: owns %v (files %v), offer %s, owner %s (files %s)", c.AccountID, c.Owns, owns[c.AccountID], c.Offer, c.OwnerID, owner[c.AccountID])
		}
	}
	if !slices.Equal(got, gaps) {
		t.Errorf("facts name %v; the customers holding Pipelines and Governance without Embedded are %v", got, gaps)
	}
	c := facts[0].CrossSell
	if c.Confidence < 0.8 || c.Lift < 2 || c.HoldIf < 40 {
		t.Errorf("the planted rule is not clear: %d hold the antecedent, confidence %.3f, lift %.3f", c.HoldIf, c.Confidence, c.Lift)
	}
	t.Logf("%d customers, %d hold Pipelines+Governance, %d also Embedded, %d Embedded in all; support %.4f confidence %.4f lift %.4f; %d to offer",
		n, nIf, nAll, nThen, c.Support, c.Confidence, c.Lift, len(facts))
}

func near6(a, b float64) bool { return math.Abs(a-b) < 1e-6 }
