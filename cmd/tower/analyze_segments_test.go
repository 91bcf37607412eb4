package main

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"strings"
	"testing"
)

// leadsCSV is n leads with industry, plan, source, gender and visits;
// with plant, Logistics leads on the pro plan with 3+ visits convert at
// 40%, everyone else at 5%. One broken row is included.
func leadsCSV(n int, seed uint64, plant bool) string {
	r := rand.New(rand.NewPCG(seed, 11))
	var b strings.Builder
	b.WriteString("lead_id;industry;plan;source;gender;visits;won\n")
	pick := func(xs ...string) string { return xs[r.IntN(len(xs))] }
	for i := range n {
		ind := pick("Logistics", "Retail", "Finance", "Health", "Media")
		plan := pick("free", "pro", "team")
		v := r.IntN(6)
		p := 0.05
		if plant && ind == "Logistics" && plan == "pro" && v >= 3 {
			p = 0.4
		}
		won := "no"
		if r.Float64() < p {
			won = "yes"
		}
		fmt.Fprintf(&b, "L%05d;%s;%s;%s;%s;%d;%s\n", i, ind, plan, pick("web", "event", "partner", "ads"), pick("f", "m"), v, won)
		if i == 10 {
			b.WriteString("broken;row\n")
		}
	}
	return b.String()
}

func TestAnalyzeSegmentsFindsPlanted(t *testing.T) {
	f := writeDedupeFile(t, "leads.csv", leadsCSV(12000, 1, true))
	out, errOut, err := cli(t, nil, "analyze", "segments", f, "--outcome", "won=yes", "--exclude", "lead_id")
	if err != nil {
		t.Fatalf("%v\n%s", err, errOut)
	}
	if !strings.Contains(errOut, "leads.csv:13: 2 fields where the header has 7") {
		t.Errorf("broken row not reported:\n%s", errOut)
	}
	for _, want := range []string{"industry = Logistics and plan = pro and visits >= 3", "gender (protected characteristic (sex)", "lead_id (excluded on request)", "groups tested:"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	js := mustCLI(t, nil, "analyze", "segments", f, "--outcome", "WON=Yes", "--exclude", "lead_id", "--json")
	var rep struct {
		Search struct {
			Tested    int `json:"hypotheses_tested"`
			Confirmed int `json:"confirmed"`
			Segments  []struct {
				Rule    string
				Holdout struct {
					Lift    float64
					LiftLow float64 `json:"lift_low"`
				}
			}
		}
		Skipped []struct{ Line int } `json:"skipped_rows"`
	}
	if err := json.Unmarshal([]byte(js), &rep); err != nil {
		t.Fatal(err)
	}
	if rep.Search.Confirmed != 1 || len(rep.Search.Segments) != 1 || rep.Search.Segments[0].Holdout.LiftLow <= 1 {
		t.Errorf("want the planted group alone, confirmed on the holdout: %+v", rep.Search)
	}
	if rep.Search.Tested < 100 || len(rep.Skipped) != 1 || rep.Skipped[0].Line != 13 {
		t.Errorf("tested %d, skipped %+v", rep.Search.Tested, rep.Skipped)
	}
}

func TestAnalyzeSegmentsNoiseConfirmsNothing(t *testing.T) {
	f := writeDedupeFile(t, "noise.csv", leadsCSV(8000, 2, false))
	out := mustCLI(t, nil, "analyze", "segments", f, "--outcome", "won=yes", "--exclude", "lead_id", "--allow-protected")
	if !strings.Contains(out, "No group converts reliably above the rest") || !strings.Contains(out, "confirmed:                   0") {
		t.Errorf("noise produced groups:\n%s", out)
	}
	if strings.Contains(out, "protected") {
		t.Errorf("--allow-protected still left a column out:\n%s", out)
	}
}

func TestAnalyzeSegmentsBadInput(t *testing.T) {
	f := writeDedupeFile(t, "leads.csv", leadsCSV(200, 3, false))
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{}, "--outcome: say which rows converted"},
		{[]string{"--outcome", "won"}, "write it as COLUMN=VALUE"},
		{[]string{"--outcome", "won=maybe"}, `no row has won = "maybe"`},
		{[]string{"--outcome", "status=won"}, `"status" is not in the header`},
		{[]string{"--outcome", "won=yes", "--depth", "4"}, "--depth 4"},
		{[]string{"--outcome", "won=yes", "--fdr", "1.5"}, "--fdr 1.5"},
		{[]string{"--outcome", "won=yes", "--exclude", "colour"}, `column not found: "colour" is not in the header`},
	} {
		_, _, err := cli(t, nil, append([]string{"analyze", "segments", f}, c.args...)...)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%v: error %v, want %q", c.args, err, c.want)
		}
	}
}

// TestAnalyzeSegmentsBank runs the command on the UCI bank-marketing data
// as docs/segment-scout.md shows it.
func TestAnalyzeSegmentsBank(t *testing.T) {
	path := "../../../shared/benchmarks/bank-additional-full.csv"
	if _, err := os.Stat(path); err != nil {
		t.Skip("needs ../shared/benchmarks/bank-additional-full.csv")
	}
	js := mustCLI(t, nil, "analyze", "segments", path, "--outcome", "y=yes", "--exclude", "duration", "--json")
	var rep struct {
		Search struct {
			Rows      int `json:"rows"`
			Tested    int `json:"hypotheses_tested"`
			Confirmed int `json:"confirmed"`
			Segments  []struct {
				Rule       string
				Conditions []struct{ Column string }
			}
		}
	}
	if err := json.Unmarshal([]byte(js), &rep); err != nil {
		t.Fatal(err)
	}
	if rep.Search.Rows != 41188 || rep.Search.Confirmed == 0 {
		t.Fatalf("rows %d, confirmed %d", rep.Search.Rows, rep.Search.Confirmed)
	}
	for _, s := range rep.Search.Segments {
		for _, c := range s.Conditions {
			if c.Column == "duration" || c.Column == "age" || c.Column == "marital" || c.Column == "y" {
				t.Errorf("%s uses %s", s.Rule, c.Column)
			}
		}
	}
	t.Logf("tested %d, confirmed %d; first: %s", rep.Search.Tested, rep.Search.Confirmed, rep.Search.Segments[0].Rule)
}
