package main

import (
	"encoding/csv"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// scoreLeadsCSV is n leads: the chance of converting rises with visits and is
// higher on the "pro" plan; age carries nothing. Deterministic for seed.
func scoreLeadsCSV(n int, seed uint64, withOutcome bool) string {
	r := rand.New(rand.NewPCG(seed, 1))
	var b strings.Builder
	b.WriteString("lead_id;age;plan;visits")
	if withOutcome {
		b.WriteString(";converted")
	}
	b.WriteString("\n")
	for i := range n {
		plan := []string{"basic", "pro", "team"}[r.IntN(3)]
		visits := r.IntN(12)
		p := 0.03 + 0.04*float64(visits)
		if plan == "pro" {
			p += 0.2
		}
		fmt.Fprintf(&b, "L%d;%d;%s;%d", i, 20+r.IntN(50), plan, visits)
		if withOutcome {
			fmt.Fprintf(&b, ";%s", map[bool]string{true: "yes", false: "no"}[r.Float64() < p])
		}
		b.WriteString("\n")
	}
	return b.String()
}

func writeScoreFile(t *testing.T, name, body string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

type scoreJSON struct {
	Mode     string   `json:"mode"`
	Model    string   `json:"model"`
	Features []string `json:"features"`
	AUC      *float64 `json:"auc"`
	Folds    []struct {
		AUC   float64 `json:"auc"`
		Model string  `json:"model"`
	} `json:"folds"`
	TrainRate float64  `json:"train_base_rate"`
	TestRate  *float64 `json:"test_base_rate"`
	TestRows  int      `json:"test_rows"`
	Choice    *struct {
		Logistic, Boosted float64
		Chosen            string
	} `json:"auto_choice"`
	Drift []struct {
		Column string
		PSI    float64
	} `json:"drift"`
	Warnings []string `json:"warnings"`
}

func TestAnalyzeScoreCrossValidates(t *testing.T) {
	train := writeScoreFile(t, "leads.csv", scoreLeadsCSV(1500, 1, true))
	out := mustCLI(t, nil, "analyze", "score", "--train", train, "--outcome", "converted=yes",
		"--exclude", "lead_id", "--cv", "3", "--model", "logistic", "--json")
	var rep scoreJSON
	decode(t, out, &rep)
	if len(rep.Folds) != 3 || rep.AUC == nil || *rep.AUC < 0.65 || len(rep.Warnings) != 0 {
		t.Fatalf("cross-validation report: %+v", rep)
	}
	if strings.Join(rep.Features, ",") != "age,plan,visits" {
		t.Errorf("features %v: lead_id and the outcome must be left out", rep.Features)
	}
	text := mustCLI(t, nil, "analyze", "score", "--train", train, "--outcome", "converted=yes", "--exclude", "lead_id", "--cv", "3")
	for _, want := range []string{"3-fold stratified cross-validation", "AUC (mean of folds):", "FOLD"} {
		if !strings.Contains(text, want) {
			t.Errorf("output lacks %q:\n%s", want, text)
		}
	}
}

func TestAnalyzeScoreTestFileAndOut(t *testing.T) {
	train := writeScoreFile(t, "leads.csv", scoreLeadsCSV(1500, 1, true))
	// The file to score has no outcome yet, and its columns in another order.
	test := writeScoreFile(t, "new.csv", "visits,plan,age,lead_id\n11,pro,30,N1\n0,basic,31,N2\n5,enterprise,n/a,N3\n")
	dest := filepath.Join(t.TempDir(), "scores.csv")
	out, errOut, err := cli(t, nil, "analyze", "score", "--train", train, "--test", test, "--outcome", "converted=yes",
		"--exclude", "lead_id", "--out", dest, "--json")
	if err != nil {
		t.Fatalf("%v\n%s", err, errOut)
	}
	var rep scoreJSON
	decode(t, out, &rep)
	if rep.AUC != nil || rep.TestRows != 3 || rep.Model == "" || rep.Choice == nil {
		t.Errorf("report: %+v", rep)
	}
	if !strings.Contains(errOut, `has no "converted" column`) || !strings.Contains(errOut, "only 3 rows were scored") {
		t.Errorf("stderr should say the test file has no outcome:\n%s", errOut)
	}
	f, err := os.Open(dest)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 4 || strings.Join(recs[0], ",") != "line,score,converted" || recs[1][0] != "2" || recs[1][2] != "" {
		t.Fatalf("scores file: %v", recs)
	}
	if !(recs[1][1] > recs[2][1]) {
		t.Errorf("a pro lead with 11 visits should outscore a basic one with none: %v", recs)
	}
}

func TestAnalyzeScoreRefusesPlainly(t *testing.T) {
	train := writeScoreFile(t, "leads.csv", scoreLeadsCSV(300, 2, true))
	allNo := writeScoreFile(t, "none.csv", strings.ReplaceAll(scoreLeadsCSV(300, 2, true), ";yes\n", ";no\n"))
	short := writeScoreFile(t, "short.csv", "age;plan\n30;pro\n")
	for name, c := range map[string]struct {
		args []string
		want string
	}{
		"no outcome flag": {[]string{"--train", train}, "--train FILE --outcome COLUMN=VALUE"},
		"outcome column":  {[]string{"--train", train, "--outcome", "bought=yes"}, `"bought" is not in the header`},
		"outcome value":   {[]string{"--train", train, "--outcome", "converted=maybe"}, `no row has converted = "maybe"`},
		"no columns left": {[]string{"--train", train, "--outcome", "converted=yes", "--test", train, "--model", "logistic", "--exclude", "plan,age,visits,lead_id"}, "no column is left"},
		"one outcome":     {[]string{"--train", allNo, "--outcome", "converted=no", "--model", "logistic"}, "every row converted"},
		"test column":     {[]string{"--train", train, "--outcome", "converted=yes", "--test", short, "--model", "logistic", "--exclude", "lead_id"}, `short.csv: the model was fitted with column "visits"`},
		"two modes":       {[]string{"--train", train, "--outcome", "converted=yes", "--split", "0.2", "--cv", "5"}, "choose one way"},
		"split share":     {[]string{"--train", train, "--outcome", "converted=yes", "--split", "20"}, "--split 20: give the share"},
		"model":           {[]string{"--train", train, "--outcome", "converted=yes", "--model", "forest"}, `--model "forest"`},
		"folds":           {[]string{"--train", train, "--outcome", "converted=yes", "--cv", "1"}, "--cv 1"},
	} {
		_, _, err := cli(t, nil, append([]string{"analyze", "score"}, c.args...)...)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: got %v, want %q", name, err, c.want)
		}
	}
}

// TestAnalyzeScoreWarnsOnTimeOrderedBank: the bank file's rows are in
// call order; holding out the last 20% meets another economy and a
// conversion rate of 31% against 6%, and the command must say so. A
// random stratified hold-out of the same file must not warn.
func TestAnalyzeScoreWarnsOnTimeOrderedBank(t *testing.T) {
	bank := filepath.Join("..", "..", "..", "shared", "benchmarks", "bank-additional-full.csv")
	if _, err := os.Stat(bank); err != nil {
		t.Skipf("the bank benchmark file is not here (%s)", bank)
	}
	args := []string{"analyze", "score", "--train", bank, "--outcome", "y=yes", "--exclude", "duration", "--model", "logistic", "--json"}
	out, errOut, err := cli(t, nil, append(args, "--split-last", "0.2")...)
	if err != nil {
		t.Fatal(err)
	}
	var rep scoreJSON
	decode(t, out, &rep)
	if len(rep.Warnings) != 2 || !strings.Contains(rep.Warnings[0], "differ strongly") || !strings.Contains(rep.Warnings[1], "conversion rate") {
		t.Fatalf("time-ordered hold-out: warnings %q", rep.Warnings)
	}
	if !strings.Contains(errOut, "warning: the scored rows differ strongly") || !strings.Contains(errOut, "nr.employed") {
		t.Errorf("stderr lacks the drift warning:\n%s", errOut)
	}
	t.Logf("time-ordered: AUC %.4f, base rate %.3f -> %.3f, warnings %q", *rep.AUC, rep.TrainRate, *rep.TestRate, rep.Warnings)

	out = mustCLI(t, nil, append(args, "--split", "0.2")...)
	rep = scoreJSON{}
	decode(t, out, &rep)
	if len(rep.Warnings) != 0 || rep.AUC == nil {
		t.Fatalf("random hold-out should not warn: %q", rep.Warnings)
	}
	t.Logf("random 80/20: AUC %.4f, worst drift %+v", *rep.AUC, rep.Drift[0])
}
