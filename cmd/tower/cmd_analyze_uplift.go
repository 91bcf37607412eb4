package main

import (
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/towerops/tower/internal/dataset"
	"github.com/towerops/tower/internal/learn"
	"github.com/towerops/tower/internal/uplift"
)

// upliftReport is what `tower analyze uplift --json` prints.
type upliftReport struct {
	File         string             `json:"file"`
	Treatment    string             `json:"treatment"`
	Control      string             `json:"control"`
	Outcome      string             `json:"outcome"`
	Treated      int                `json:"treated_rows"`
	ControlRows  int                `json:"control_rows"`
	TreatedRate  float64            `json:"treated_response_rate"`
	ControlRate  float64            `json:"control_response_rate"`
	InNeither    int                `json:"rows_in_neither_arm"`
	Skipped      []dataset.RowError `json:"skipped_rows"`
	TrainRows    int                `json:"training_rows"`
	TestRows     int                `json:"test_rows"`
	TestShare    float64            `json:"test_share"`
	Seed         uint64             `json:"seed"`
	Excluded     []string           `json:"excluded_columns"`
	Results      []uplift.Result    `json:"results"`
	WrittenTo    string             `json:"out,omitempty"`
	WrittenRows  int                `json:"out_rows,omitempty"`
	WrittenModel string             `json:"out_method,omitempty"`
}

// analyzeUpliftCommand measures who an experiment's treatment changed.
func (a *app) analyzeUpliftCommand() *cobra.Command {
	var treatment, control, outcome, exclude, ks, method, model, outFile string
	var testShare float64
	var seed uint64
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "uplift FILE.csv --treatment COL=VALUE --control COL=VALUE --outcome COL",
		Short: "Find the people a campaign changes, from a test with a control group (uplift)",
		Long: `Learn, from a test where some people were contacted (treatment) and a
random control group was not, who responds BECAUSE of the contact, and
measure how well that is predicted on rows held out from learning.

Rows matching neither --treatment nor --control (another arm of the test)
are left out and counted. --outcome is a column of 0/1 (or yes/no,
true/false), or COL=VALUE for "responded" when the column holds words.
Every column other than the arms and the outcome is used to predict;
leave out with --exclude anything known only after the response (an order
value, a conversion that follows the visit).

The report gives uplift@k: among the top k% of held-out people by
predicted uplift, the response rate of the treated minus that of the
control (the gain you would see contacting only them); the Qini
coefficient (1 is a perfect ranking, 0 no better than random) and the
AUUC; and a table of the Qini curve by decile. See docs/next-best-action.md.`,
		Example: `  tower analyze uplift hillstrom.csv --treatment segment="Womens E-Mail" \
      --control segment="No E-Mail" --outcome visit --exclude conversion,spend
  tower analyze uplift test.csv --treatment arm=mail --control arm=holdout \
      --outcome status=converted --method both --json
  tower analyze uplift test.csv --treatment arm=mail --control arm=holdout \
      --outcome bought --out uplift_scores.csv`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if treatment == "" || control == "" || outcome == "" {
				return fmt.Errorf("say who was treated, who was the control and what counts as a response: --treatment COL=VALUE --control COL=VALUE --outcome COL")
			}
			tc, err := dataset.ParseCondition("--treatment", treatment)
			if err != nil {
				return err
			}
			cc, err := dataset.ParseCondition("--control", control)
			if err != nil {
				return err
			}
			shares, err := parseShares(ks)
			if err != nil {
				return err
			}
			methods, err := parseMethods(method)
			if err != nil {
				return err
			}
			if !(testShare > 0 && testShare < 1) {
				return fmt.Errorf("--test-share %g: give the share of rows held out for measuring, between 0 and 1 (0.5 holds out half)", testShare)
			}
			tab, err := dataset.Open(cmd.Context(), args[0])
			if err != nil {
				return err
			}
			e, err := uplift.ReadExperiment(tab, tc, cc, outcome)
			if err != nil {
				return err
			}
			skipped := append(append([]dataset.RowError{}, tab.Skipped...), e.Skipped...)
			for _, s := range skipped {
				fmt.Fprintf(a.stderr, "skipped %s\n", s.Error())
			}
			ev, err := uplift.Evaluate(cmd.Context(), e, uplift.EvalOptions{TestShare: testShare, Seed: seed, Ks: shares, Methods: methods,
				Learn: learn.Options{Exclude: dataset.SplitList(exclude), Model: model}})
			if err != nil {
				return err
			}
			rep := newUpliftReport(args[0], tc, cc, outcome, e, ev, testShare, seed, exclude, skipped)
			if outFile != "" {
				if err := writeUpliftCSV(outFile, e, ev); err != nil {
					return err
				}
				rep.WrittenTo, rep.WrittenRows, rep.WrittenModel = outFile, len(ev.Test), string(ev.Results[0].Method)
			}
			if asJSON {
				return printJSON(a.stdout, rep)
			}
			return a.printUplift(rep)
		},
	}
	f := cmd.Flags()
	f.StringVar(&treatment, "treatment", "", "COL=VALUE: the rows that were contacted (required)")
	f.StringVar(&control, "control", "", "COL=VALUE: the randomly held-out rows (required)")
	f.StringVar(&outcome, "outcome", "", "the response: a 0/1 column, or COL=VALUE (required)")
	f.StringVar(&exclude, "exclude", "", "comma-separated columns not to predict from (known only after the response, or ids)")
	f.Float64Var(&testShare, "test-share", 0.5, "share of rows held out for measuring")
	f.Uint64Var(&seed, "seed", 1, "fixes the split and the models, so a run can be repeated")
	f.StringVar(&ks, "k", "10,20,30", "comma-separated percentages at which to report uplift@k")
	f.StringVar(&method, "method", string(uplift.Methods[0]), "two-model, class-transform, or both (fits both on the same split and compares)")
	f.StringVar(&model, "model", "auto", "the propensity model under the method: auto, logistic or boosted")
	f.StringVar(&outFile, "out", "", "write each held-out row's line, arm, outcome and predicted uplift to this CSV file")
	f.BoolVar(&asJSON, "json", false, "print the report as JSON")
	return cmd
}

func parseShares(s string) ([]float64, error) {
	var out []float64
	for _, p := range dataset.SplitList(s) {
		v, err := strconv.ParseFloat(strings.TrimSuffix(p, "%"), 64)
		if err != nil || !(v > 0 && v <= 100) {
			return nil, fmt.Errorf("--k %q: %q is not a percentage between 0 and 100", s, p)
		}
		out = append(out, v/100)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("--k: give at least one percentage, for example 10,20,30")
	}
	return out, nil
}

func parseMethods(s string) ([]uplift.Method, error) {
	if s == "both" {
		return uplift.Methods, nil
	}
	m, err := uplift.ParseMethod(s)
	if err != nil {
		return nil, fmt.Errorf("--method: %w, or both", err)
	}
	return []uplift.Method{m}, nil
}

func newUpliftReport(file string, tc, cc dataset.Condition, outcome string, e *uplift.Experiment, ev *uplift.Evaluation,
	testShare float64, seed uint64, exclude string, skipped []dataset.RowError) upliftReport {
	rep := upliftReport{File: file, Treatment: tc.String(), Control: cc.String(), Outcome: outcome, InNeither: e.Neither,
		Skipped: skipped, TrainRows: len(ev.Train), TestRows: len(ev.Test), TestShare: testShare, Seed: seed,
		Excluded: append(append([]string{}, e.Columns...), dataset.SplitList(exclude)...), Results: ev.Results}
	if rep.Skipped == nil {
		rep.Skipped = []dataset.RowError{}
	}
	var rt, rc int
	for _, i := range e.Rows {
		if e.Treated[i] {
			rep.Treated++
			if e.Y[i] {
				rt++
			}
		} else {
			rep.ControlRows++
			if e.Y[i] {
				rc++
			}
		}
	}
	rep.TreatedRate = float64(rt) / float64(rep.Treated)
	rep.ControlRate = float64(rc) / float64(rep.ControlRows)
	return rep
}

func (a *app) printUplift(rep upliftReport) error {
	err := keyValues(a.stdout,
		"file", rep.File,
		"treated", fmt.Sprintf("%d rows (%s), %.2f%% responded", rep.Treated, rep.Treatment, 100*rep.TreatedRate),
		"control", fmt.Sprintf("%d rows (%s), %.2f%% responded", rep.ControlRows, rep.Control, 100*rep.ControlRate),
		"average uplift", fmt.Sprintf("%+.2f percentage points (%s)", 100*(rep.TreatedRate-rep.ControlRate), rep.Outcome),
		"left out", fmt.Sprintf("%d rows in neither arm, %d unreadable", rep.InNeither, len(rep.Skipped)),
		"learned from", fmt.Sprintf("%d rows; measured on %d held-out rows (seed %d)", rep.TrainRows, rep.TestRows, rep.Seed),
		"not used to predict", strings.Join(rep.Excluded, ", "),
	)
	if err != nil {
		return err
	}
	for _, r := range rep.Results {
		fmt.Fprintf(a.stdout, "\n%s (%s model)\n", r.Method, r.Model)
		if r.BalancedOut > 0 {
			fmt.Fprintf(a.stdout, "  the arms differ in size: %d training rows of the larger arm were left out so both count equally\n", r.BalancedOut)
		}
		pairs := []any{}
		for _, k := range r.AtK {
			pairs = append(pairs, fmt.Sprintf("  uplift@%g%%", 100*k.K),
				fmt.Sprintf("%+.4f (top %d rows: treated %.2f%% of %d, control %.2f%% of %d)", k.Uplift, k.Rows, 100*k.TreatedRate, k.Treated, 100*k.ControlRate, k.Control))
		}
		pairs = append(pairs, "  Qini coefficient", fmt.Sprintf("%.4f (1 perfect, 0 random)", r.Qini), "  AUUC", fmt.Sprintf("%.4f", r.AUUC))
		if err := keyValues(a.stdout, pairs...); err != nil {
			return err
		}
		fmt.Fprintln(a.stdout)
		t := newTable(a.stdout, "  TOP", "ROWS", "TREATED", "CONTROL", "TREATED RATE", "CONTROL RATE", "ADDED RESPONSES", "AT RANDOM")
		for _, d := range r.Deciles {
			t.row(fmt.Sprintf("  %g%%", 100*d.Share), d.Rows, d.Treated, d.Control, fmt.Sprintf("%.2f%%", 100*d.TreatedRate),
				fmt.Sprintf("%.2f%%", 100*d.ControlRate), fmt.Sprintf("%.1f", d.Gain), fmt.Sprintf("%.1f", d.Random))
		}
		if err := t.flush(); err != nil {
			return err
		}
	}
	if rep.WrittenTo != "" {
		fmt.Fprintf(a.stdout, "\nwrote %d held-out rows with their predicted uplift (%s) to %s\n", rep.WrittenRows, rep.WrittenModel, rep.WrittenTo)
	}
	return nil
}

func writeUpliftCSV(path string, e *uplift.Experiment, ev *uplift.Evaluation) error {
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err := encodeUplift(f, e, ev); err != nil {
		f.Close()
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return f.Close()
}

// encodeUplift writes one line per held-out row; with several methods,
// one uplift column each.
func encodeUplift(w io.Writer, e *uplift.Experiment, ev *uplift.Evaluation) error {
	cw := csv.NewWriter(w)
	head := []string{"line", "arm", "responded"}
	for _, r := range ev.Results {
		head = append(head, "uplift_"+strings.ReplaceAll(string(r.Method), "-", "_"))
	}
	_ = cw.Write(head)
	for j, i := range ev.Test {
		arm := "control"
		if e.Treated[i] {
			arm = "treatment"
		}
		rec := []string{strconv.Itoa(e.Table.Lines[i]), arm, strconv.FormatBool(e.Y[i])}
		for _, r := range ev.Results {
			rec = append(rec, strconv.FormatFloat(r.Uplift[j], 'f', 6, 64))
		}
		_ = cw.Write(rec)
	}
	cw.Flush()
	return cw.Error()
}
