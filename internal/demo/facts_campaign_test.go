package demo

import (
	"math"
	"strconv"
	"testing"
)

// dayTotals sums campaign_days.csv per campaign and variant.
type daySum struct{ delivered, clicks, convs int64 }

func loadDays(t *testing.T, dir string) []map[string]string {
	return readCSV(t, dir, "campaign_days.csv").rows
}

func num(row map[string]string, col string) int64 {
	n, _ := strconv.ParseInt(row[col], 10, 64)
	return n
}

func parts(metric string, row map[string]string) (int64, int64) {
	if metric == "conversion_rate" {
		return num(row, "conversions"), num(row, "clicks")
	}
	return num(row, "clicks"), num(row, "delivered")
}

func TestPlantedUnderperformanceShowsInTheDays(t *testing.T) {
	dir, truth := bundle(t)
	days := loadDays(t, dir)
	facts := truth.Kind(KindUnderperformance)
	if len(facts) < 5 {
		t.Fatalf("only %d underperforming campaigns", len(facts))
	}
	planted := map[string]bool{}
	for _, f := range facts {
		u := f.Underperformance
		planted[u.CampaignID] = true
		var bn, bd, an, ad int64
		daysBefore, daysAfter := 0, 0
		for _, row := range days {
			if row["campaign_id"] != u.CampaignID {
				continue
			}
			if row["variant"] != "" {
				t.Errorf("%s: underperforming campaign has variant rows", f.ID)
			}
			n, d := parts(u.Metric, row)
			if row["date"] < u.Date {
				bn, bd, daysBefore = bn+n, bd+d, daysBefore+1
			} else {
				an, ad, daysAfter = an+n, ad+d, daysAfter+1
			}
		}
		before, after := ratio(bn, bd), ratio(an, ad)
		if before != u.ObservedBefore || after != u.ObservedAfter {
			t.Errorf("%s: observed %.4f -> %.4f, truth says %.4f -> %.4f", f.ID, before, after, u.ObservedBefore, u.ObservedAfter)
		}
		if daysBefore < 14 || daysAfter < 7 {
			t.Errorf("%s: %d days before and %d after the drop; too few to see it", f.ID, daysBefore, daysAfter)
		}
		change := after/before - 1
		if u.RelativeChange > -0.3 || change > u.RelativeChange*0.7 || math.Abs(change-u.RelativeChange) > 0.1 {
			t.Errorf("%s: %s changed %.2f, planted %.2f", f.ID, u.Metric, change, u.RelativeChange)
		}
		if z := twoProportionZ(bn, bd, an, ad); z < 4 {
			t.Errorf("%s: drop is not clear in the data (z = %.1f)", f.ID, z)
		}
	}
	// Campaigns without a planted drop hold steady: first half vs second
	// half of their click rate, where volume makes the rate measurable.
	abs := map[string]bool{}
	for _, f := range truth.Kind(KindABTest) {
		abs[f.ABTest.CampaignID] = true
	}
	byCampaign := map[string][]map[string]string{}
	for _, row := range days {
		byCampaign[row["campaign_id"]] = append(byCampaign[row["campaign_id"]], row)
	}
	checked := 0
	for id, rows := range byCampaign {
		if planted[id] || abs[id] || len(rows) < 28 {
			continue
		}
		var n1, d1, n2, d2 int64
		for i, row := range rows {
			n, d := parts("click_rate", row)
			if i < len(rows)/2 {
				n1, d1 = n1+n, d1+d
			} else {
				n2, d2 = n2+n, d2+d
			}
		}
		if n1 < 500 || n2 < 500 {
			continue
		}
		checked++
		if change := ratio(n2, d2)/ratio(n1, d1) - 1; change < -0.2 {
			t.Errorf("campaign %s drops %.0f%% without being planted", id, -change*100)
		}
	}
	if checked < 20 {
		t.Errorf("only %d steady campaigns checked", checked)
	}
}

// twoProportionZ is how many standard errors rate 1 is above rate 2.
func twoProportionZ(n1, d1, n2, d2 int64) float64 {
	p1, p2 := float64(n1)/float64(d1), float64(n2)/float64(d2)
	p := float64(n1+n2) / float64(d1+d2)
	se := math.Sqrt(p * (1 - p) * (1/float64(d1) + 1/float64(d2)))
	return (p1 - p2) / se
}

func TestPlantedABTestsHaveTheirWinner(t *testing.T) {
	dir, truth := bundle(t)
	days := loadDays(t, dir)
	facts := truth.Kind(KindABTest)
	if len(facts) < 4 {
		t.Fatalf("only %d A/B tests", len(facts))
	}
	noWinner := 0
	for _, f := range facts {
		ab := f.ABTest
		sums := map[string][2]int64{}
		for _, row := range days {
			if row["campaign_id"] != ab.CampaignID {
				continue
			}
			if row["variant"] == "" {
				t.Errorf("%s: A/B campaign has a whole-campaign row on %s", f.ID, row["date"])
			}
			n, d := parts(ab.Metric, row)
			s := sums[row["variant"]]
			sums[row["variant"]] = [2]int64{s[0] + n, s[1] + d}
		}
		if len(sums) != len(ab.Variants) || len(sums) < 2 {
			t.Errorf("%s: %d variants in the days, truth lists %d", f.ID, len(sums), len(ab.Variants))
		}
		for _, v := range ab.Variants {
			if s := sums[v.Name]; s[0] != v.Successes || s[1] != v.Trials {
				t.Errorf("%s: variant %s sums to %v, truth says %d/%d", f.ID, v.Name, s, v.Successes, v.Trials)
			}
		}
		if ab.Winner == "" {
			noWinner++
			continue
		}
		w := sums[ab.Winner]
		for _, v := range ab.Variants {
			if v.Name == ab.Winner {
				continue
			}
			if v.TrueRate >= trueRate(ab, ab.Winner) {
				t.Errorf("%s: winner %s is not truly better than %s", f.ID, ab.Winner, v.Name)
			}
			if z := twoProportionZ(w[0], w[1], v.Successes, v.Trials); z < 3 {
				t.Errorf("%s: winner %s beats %s by only z = %.1f", f.ID, ab.Winner, v.Name, z)
			}
		}
	}
	if noWinner != 1 {
		t.Errorf("%d tests without a winner; one is planted", noWinner)
	}
}
