package main

import (
	"encoding/csv"
	"fmt"
	"math/rand/v2"
	"os"
	"strings"
	"testing"
)

// upliftCSV is a test built so the answer is known: 3,000 people, a third
// mailed, a third held out, a third sent an SMS (another arm). Mail lifts
// buying from 10% to 40% in the north and not at all in the south. Line
// 12 has no outcome and line 20 a field too many.
func upliftCSV() string {
	rng := rand.New(rand.NewPCG(3, 4))
	var b strings.Builder
	b.WriteString("customer,region,age,arm,bought\n")
	for i := range 3000 {
		region := []string{"north", "south"}[rng.IntN(2)]
		arm := []string{"mail", "holdout", "sms"}[i%3]
		p := 0.10
		if arm == "mail" && region == "north" {
			p = 0.40
		}
		bought := "0"
		if rng.Float64() < p {
			bought = "1"
		}
		switch i {
		case 10:
			bought = "?"
		case 18:
			bought += ",extra"
		}
		fmt.Fprintf(&b, "c%d,%s,%d,%s,%s\n", i, region, 20+rng.IntN(50), arm, bought)
	}
	return b.String()
}

func TestAnalyzeUpliftTable(t *testing.T) {
	f := writeDedupeFile(t, "test.csv", upliftCSV())
	out := writeDedupeFile(t, "scores.csv", "")
	stdout, stderr, err := cli(t, nil, "analyze", "uplift", f, "--treatment", "arm=mail", "--control", "arm=holdout",
		"--outcome", "bought", "--exclude", "customer", "--model", "logistic", "--out", out)
	if err != nil {
		t.Fatalf("%v\n%s", err, stderr)
	}
	for _, want := range []string{`test.csv:12: column "bought": no readable outcome`, "test.csv:20: 6 fields where the header has 5"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr)
		}
	}
	for _, want := range []string{"999 rows (arm=mail)", "1000 rows in neither arm, 2 unreadable", "uplift@30%", "Qini coefficient", "TOP", "100%", "not used to predict:  arm, bought, customer", "wrote 1000 held-out rows"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("output lacks %q:\n%s", want, stdout)
		}
	}
	fh, err := os.Open(out)
	if err != nil {
		t.Fatal(err)
	}
	defer fh.Close()
	recs, err := csv.NewReader(fh).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 1001 || strings.Join(recs[0], ",") != "line,arm,responded,uplift_two_model" {
		t.Fatalf("--out has %d lines, header %v", len(recs), recs[0])
	}
}

func TestAnalyzeUpliftFindsTheNorth(t *testing.T) {
	f := writeDedupeFile(t, "test.csv", upliftCSV())
	var rep struct {
		Treated int `json:"treated_rows"`
		Results []struct {
			Method string  `json:"method"`
			Qini   float64 `json:"qini_coefficient"`
			AtK    []struct {
				K      float64 `json:"k"`
				Uplift float64 `json:"uplift"`
			} `json:"uplift_at_k"`
			Deciles []struct{} `json:"qini_deciles"`
		} `json:"results"`
		Skipped []struct{ Line int } `json:"skipped_rows"`
	}
	decode(t, mustCLI(t, nil, "analyze", "uplift", f, "--treatment", "arm=mail", "--control", "arm=holdout",
		"--outcome", "bought=1", "--exclude", "customer", "--method", "both", "--model", "logistic", "--k", "30,50", "--json"), &rep)
	if len(rep.Results) != 2 || len(rep.Skipped) != 1 || rep.Treated != 999 {
		t.Fatalf("%d results, %d skipped rows, %d treated", len(rep.Results), len(rep.Skipped), rep.Treated)
	}
	// The top half is the north, where mail adds 30 points; at random it
	// would add about 15.
	for _, r := range rep.Results {
		if len(r.AtK) != 2 || r.AtK[1].K != 0.5 || r.AtK[1].Uplift < 0.2 || r.Qini < 0.2 || len(r.Deciles) != 10 {
			t.Errorf("%s: %+v (Qini %.3f)", r.Method, r.AtK, r.Qini)
		}
	}
}

func TestAnalyzeUpliftRefusesBadInput(t *testing.T) {
	f := writeDedupeFile(t, "test.csv", upliftCSV())
	base := []string{"analyze", "uplift", f, "--treatment", "arm=mail", "--control", "arm=holdout", "--outcome", "bought"}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"analyze", "uplift", f, "--treatment", "arm=mail"}, "--control COL=VALUE"},
		{append(base[:3:3], "--treatment", "arm=email", "--control", "arm=holdout", "--outcome", "bought"), `the values in "arm" are: holdout, mail, sms`},
		{append(base[:3:3], "--treatment", "arm=mail", "--control", "arm=holdout", "--outcome", "region"), "region=VALUE"},
		{append(base, "--k", "0"), `"0" is not a percentage`},
		{append(base, "--method", "forest"), "use two-model or class-transform"},
		{append(base, "--test-share", "1"), "--test-share 1"},
		{append(base, "--exclude", "nope"), `"nope" is not in the header`},
	} {
		if _, _, err := cli(t, nil, c.args...); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%v: %v, want %q", c.args[3:], err, c.want)
		}
	}
}
