package main

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"math"
	"os"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/towerops/tower/internal/dataset"
	"github.com/towerops/tower/internal/learn"
)

// scoreOptions are the flags of tower analyze score.
type scoreOptions struct {
	train, test, outcome, exclude, out, model string
	seed                                      uint64
	cv                                        int
	split, splitLast                          float64
	asJSON                                    bool
}

// scoreFold is one cross-validation fold.
type scoreFold struct {
	AUC   float64 `json:"auc"`
	Model string  `json:"model"`
	Rows  int     `json:"test_rows"`
}

// scoreReport is what tower analyze score --json prints.
type scoreReport struct {
	Train         string             `json:"train"`
	Test          string             `json:"test,omitempty"`
	Mode          string             `json:"mode"`
	Outcome       string             `json:"outcome"`
	Requested     string             `json:"model_requested"`
	Model         string             `json:"model,omitempty"`
	Choice        *learn.Choice      `json:"auto_choice,omitempty"`
	Features      []string           `json:"features"`
	TrainRows     int                `json:"train_rows"`
	TrainRate     float64            `json:"train_base_rate"`
	TestRows      int                `json:"test_rows,omitempty"`
	TestRate      *float64           `json:"test_base_rate,omitempty"`
	AUC           *float64           `json:"auc,omitempty"`
	Folds         []scoreFold        `json:"folds,omitempty"`
	Drift         []learn.Shift      `json:"drift,omitempty"`
	RateShift     *learn.RateShift   `json:"base_rate_shift,omitempty"`
	Warnings      []string           `json:"warnings"`
	Skipped       []dataset.RowError `json:"skipped_rows"`
	Out           string             `json:"out,omitempty"`
	WrittenScores int                `json:"scores_written,omitempty"`
}

// scoredRow is one line of --out.
type scoredRow struct {
	line    int
	score   float64
	outcome *bool
}

func (a *app) analyzeScoreCommand() *cobra.Command {
	var o scoreOptions
	cmd := &cobra.Command{
		Use:   "score --train FILE --outcome COL=VALUE",
		Short: "Score how likely each row is to convert (propensity)",
		Long: `Learn from past rows (calls, e-mails, leads) which ones converted, and score
how likely each row is to convert: a number from 0 to 1. Sort by it to
contact the likeliest first. Every column except the outcome and the
ones you --exclude is used; leave out anything only known after the fact
(a call's duration, a purchase date), or the score will look better than
it can ever be in use.

How good the score is gets measured on rows the model did not learn from,
as AUC: the chance that a random converter scores above a random
non-converter (0.5 is guessing, 1 is perfect). Pick one way:
  --test FILE        fit on --train, score every row of FILE (its AUC when
                     FILE has the outcome column)
  --split 0.2        hold out a random 20% of --train, keeping the rate
  --split-last 0.2   hold out the last 20% of rows in file order: the
                     honest test when rows are in time order
  --cv 5             (the default) 5-fold cross-validation on --train

A warning is printed when the scored rows differ strongly from the
training rows — a column whose distribution moved (population stability
index above 0.25) or a conversion rate outside half to twice the training
rate — because then the score and its AUC may not hold. See
docs/propensity.md.`,
		Example: `  tower analyze score --train calls.csv --outcome y=yes --exclude duration --cv 5
  tower analyze score --train calls.csv --outcome y=yes --exclude duration --split 0.2 --out scores.csv
  tower analyze score --train past.csv --test next_month.csv --outcome converted=1 --out scores.csv --json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			rep, rows, err := a.runScore(cmd.Context(), o)
			if err != nil {
				return err
			}
			if o.out != "" {
				if err := writeScoreRows(o.out, rows); err != nil {
					return err
				}
				rep.Out, rep.WrittenScores = o.out, len(rows)
			}
			for _, w := range rep.Warnings {
				fmt.Fprintf(a.stderr, "warning: %s\n", w)
			}
			if o.asJSON {
				return printJSON(a.stdout, rep)
			}
			return a.printScoreReport(rep)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.train, "train", "", "CSV file of past rows to learn from, with the outcome column (required)")
	f.StringVar(&o.test, "test", "", "CSV file to score with the model learned from --train")
	f.StringVar(&o.outcome, "outcome", "", "what converting means, as COLUMN=VALUE, e.g. y=yes (required)")
	f.StringVar(&o.exclude, "exclude", "", "comma-separated columns not to learn from, e.g. duration,customer_id")
	f.StringVar(&o.out, "out", "", "write each scored row (line, score, outcome when known) to this CSV file")
	f.StringVar(&o.model, "model", learn.KindAuto, "auto (try both on part of --train, keep the better), logistic or boosted")
	f.Uint64Var(&o.seed, "seed", 42, "seed for the random splits and sampling; the same seed gives the same result")
	f.IntVar(&o.cv, "cv", 0, "cross-validate on --train with this many folds (default 5 when no --test or --split)")
	f.Float64Var(&o.split, "split", 0, "hold out this share of --train at random (keeping the conversion rate) and score it")
	f.Float64Var(&o.splitLast, "split-last", 0, "hold out this share of --train's last rows (file order) and score it")
	f.BoolVar(&o.asJSON, "json", false, "print the result as JSON")
	return cmd
}

// runScore checks the flags, reads the files and runs the chosen mode.
func (a *app) runScore(ctx context.Context, o scoreOptions) (*scoreReport, []scoredRow, error) {
	if o.train == "" || o.outcome == "" {
		return nil, nil, errors.New("give the rows to learn from and what converting means: --train FILE --outcome COLUMN=VALUE")
	}
	modes := 0
	for _, set := range []bool{o.test != "", o.cv != 0, o.split != 0, o.splitLast != 0} {
		if set {
			modes++
		}
	}
	if modes > 1 {
		return nil, nil, errors.New("choose one way to measure: --test FILE, --split SHARE, --split-last SHARE or --cv FOLDS")
	}
	for name, v := range map[string]float64{"--split": o.split, "--split-last": o.splitLast} {
		if v < 0 || v >= 1 {
			return nil, nil, fmt.Errorf("%s %g: give the share to hold out, between 0 and 1 (0.2 is 20%%)", name, v)
		}
	}
	if o.cv < 0 || o.cv == 1 {
		return nil, nil, fmt.Errorf("--cv %d: give 2 or more folds (5 is usual)", o.cv)
	}
	switch o.model {
	case learn.KindAuto, learn.KindLogistic, learn.KindBoosted:
	default:
		return nil, nil, fmt.Errorf("--model %q: use auto, logistic or boosted", o.model)
	}
	cond, err := dataset.ParseCondition("--outcome", o.outcome)
	if err != nil {
		return nil, nil, err
	}
	train, err := dataset.Open(ctx, o.train)
	if err != nil {
		return nil, nil, err
	}
	y, err := train.Mask(cond)
	if err != nil {
		return nil, nil, fmt.Errorf("--outcome: %w", err)
	}
	outCol, _ := train.Column(cond.Column)
	opt := learn.Options{Exclude: append(dataset.SplitList(o.exclude), outCol.Name), Model: o.model, Seed: o.seed}
	rep := &scoreReport{Train: o.train, Outcome: cond.String(), Requested: o.model, Warnings: []string{},
		Skipped: append([]dataset.RowError{}, train.Skipped...)}
	p := a.newProgress()
	defer p.finish()
	opt.Progress = func(stage string, done, total int) { p.update(stage, int64(done), int64(total), false) }

	switch {
	case o.test != "":
		return a.scoreTestFile(ctx, o, cond, train, y, opt, rep)
	case o.split > 0 || o.splitLast > 0:
		var tr, te []int
		if o.split > 0 {
			rep.Mode = fmt.Sprintf("a random %g%% of rows held out (same conversion rate)", 100*o.split)
			tr, te = learn.StratifiedSplit(y, o.split, o.seed)
		} else {
			rep.Mode = fmt.Sprintf("the last %g%% of rows held out (file order)", 100*o.splitLast)
			cut := len(y) - int(math.Round(o.splitLast*float64(len(y))))
			te = learn.Complement(len(y), scoreSeq(cut))
			tr = scoreSeq(cut)
		}
		rows, err := scoreHoldout(ctx, train, y, tr, te, opt, rep)
		return rep, rows, err
	default:
		k := o.cv
		if k == 0 {
			k = 5
		}
		rows, err := scoreCV(ctx, train, y, k, opt, rep)
		return rep, rows, err
	}
}

// scoreTestFile fits on the whole training file and scores another.
func (a *app) scoreTestFile(ctx context.Context, o scoreOptions, cond dataset.Condition, train *dataset.Table, y []bool, opt learn.Options, rep *scoreReport) (*scoreReport, []scoredRow, error) {
	test, err := dataset.Open(ctx, o.test)
	if err != nil {
		return nil, nil, err
	}
	rep.Test, rep.Mode = o.test, "test file"
	rep.Skipped = append(rep.Skipped, test.Skipped...)
	m, err := scoreFit(ctx, train, scoreSeq(len(y)), y, opt, rep)
	if err != nil {
		return nil, nil, err
	}
	scores, err := m.ScoreTable(test)
	if err != nil {
		return nil, nil, fmt.Errorf("--test: %w", err)
	}
	var ty []bool
	if test.Has(cond.Column) {
		if ty, err = test.Mask(cond); err != nil {
			ty = make([]bool, test.Len()) // no row converted: still a known outcome
		}
	} else {
		rep.Warnings = append(rep.Warnings, fmt.Sprintf("%s has no %q column, so the score cannot be checked against outcomes there", o.test, cond.Column))
	}
	all := scoreSeq(test.Len())
	rows := scoreMeasure(rep, m, scores, test, all, ty)
	if err := scoreDriftCheck(rep, m, test, all, ty); err != nil {
		return nil, nil, err
	}
	return rep, rows, nil
}

// scoreHoldout fits on the tr rows of one file and scores the te rows.
func scoreHoldout(ctx context.Context, t *dataset.Table, y []bool, tr, te []int, opt learn.Options, rep *scoreReport) ([]scoredRow, error) {
	if len(tr) == 0 || len(te) == 0 {
		return nil, fmt.Errorf("%s: %d rows are too few to hold some out", t.File, len(y))
	}
	ty := scorePickBools(y, tr)
	m, err := scoreFit(ctx, t, tr, ty, opt, rep)
	if err != nil {
		return nil, err
	}
	scores, err := m.ScoreTable(t)
	if err != nil {
		return nil, err
	}
	rows := scoreMeasure(rep, m, scores, t, te, y)
	return rows, scoreDriftCheck(rep, m, t, te, y)
}

// scoreCV cross-validates; --out gets each row's score from the fold
// that did not learn from it.
func scoreCV(ctx context.Context, t *dataset.Table, y []bool, k int, opt learn.Options, rep *scoreReport) ([]scoredRow, error) {
	rep.Mode = fmt.Sprintf("%d-fold stratified cross-validation", k)
	rep.TrainRows, rep.TrainRate = len(y), scoreRate(y, scoreSeq(len(y)))
	if len(y) < 2*k {
		return nil, fmt.Errorf("%s: %d rows are too few for %d folds", t.File, len(y), k)
	}
	oof := make([]float64, len(y))
	var sum float64
	progress := opt.Progress
	for i, te := range learn.StratifiedFolds(y, k, opt.Seed) {
		tr := learn.Complement(len(y), te)
		opt.Progress = func(stage string, done, total int) {
			progress(fmt.Sprintf("fold %d of %d: %s", i+1, k, stage), done, total)
		}
		m, err := learn.Fit(ctx, t, tr, scorePickBools(y, tr), opt)
		if err != nil {
			return nil, err
		}
		scores, err := m.ScoreTable(t)
		if err != nil {
			return nil, err
		}
		for _, r := range te {
			oof[r] = scores[r]
		}
		auc := learn.AUC(scorePickFloats(scores, te), scorePickBools(y, te))
		rep.Folds = append(rep.Folds, scoreFold{AUC: auc, Model: m.Kind(), Rows: len(te)})
		rep.Features = m.Features()
		sum += auc
	}
	mean := sum / float64(k)
	rep.AUC = &mean
	rows := make([]scoredRow, len(y))
	for i := range y {
		rows[i] = scoredRow{line: t.Lines[i], score: oof[i], outcome: &y[i]}
	}
	return rows, nil
}

// scoreFit fits and records the model in the report.
func scoreFit(ctx context.Context, t *dataset.Table, rows []int, y []bool, opt learn.Options, rep *scoreReport) (*learn.Model, error) {
	m, err := learn.Fit(ctx, t, rows, y, opt)
	if err != nil {
		return nil, err
	}
	rep.Model, rep.Choice, rep.Features = m.Kind(), m.Choice(), m.Features()
	rep.TrainRows, rep.TrainRate = m.TrainRows(), m.BaseRate()
	return m, nil
}

// scoreMeasure fills the test figures (AUC when outcomes are known) and
// returns the scored rows.
func scoreMeasure(rep *scoreReport, m *learn.Model, scores []float64, t *dataset.Table, rows []int, y []bool) []scoredRow {
	rep.TestRows = len(rows)
	out := make([]scoredRow, len(rows))
	for i, r := range rows {
		out[i] = scoredRow{line: t.Lines[r], score: scores[r]}
		if y != nil {
			out[i].outcome = &y[r]
		}
	}
	if y == nil {
		return out
	}
	tr := scoreRate(y, rows)
	rep.TestRate = &tr
	if auc := learn.AUC(scorePickFloats(scores, rows), scorePickBools(y, rows)); !math.IsNaN(auc) {
		rep.AUC = &auc
	} else {
		rep.Warnings = append(rep.Warnings, "the scored rows are all one outcome, so AUC cannot be measured on them")
	}
	return out
}

// minDriftRows is the fewest scored rows whose column shares are worth
// comparing: with ten-odd bins per column, fewer rows make every PSI
// large by chance.
const minDriftRows = 200

// scoreDriftCheck warns when the scored rows are not like the training rows.
func scoreDriftCheck(rep *scoreReport, m *learn.Model, t *dataset.Table, rows []int, y []bool) error {
	d, err := m.Drift(t, rows)
	if err != nil {
		return err
	}
	rep.Drift = d[:min(len(d), 5)]
	if len(rows) < minDriftRows {
		rep.Warnings = append(rep.Warnings, fmt.Sprintf("only %d rows were scored, too few to check whether they resemble the training rows (%d or more are needed)", len(rows), minDriftRows))
		return nil
	}
	var strong []string
	for _, s := range d {
		if s.PSI > learn.StrongPSI && len(strong) < 5 {
			strong = append(strong, fmt.Sprintf("%s (PSI %.2f)", s.Column, s.PSI))
		}
	}
	if len(strong) > 0 {
		rep.Warnings = append(rep.Warnings, fmt.Sprintf("the scored rows differ strongly from the training rows in %s; "+
			"the model is extrapolating, so its scores and AUC may not hold (PSI above %.2f is a strong shift)",
			strings.Join(strong, ", "), learn.StrongPSI))
	}
	if y != nil {
		pos := 0
		for _, r := range rows {
			if y[r] {
				pos++
			}
		}
		rs := learn.CompareRates(m.BaseRate(), pos, len(rows))
		rep.RateShift = &rs
		if rs.Strong {
			rep.Warnings = append(rep.Warnings, fmt.Sprintf("the conversion rate of the scored rows is %.1f%% (95%% interval %.1f%%–%.1f%%) against %.1f%% in training, %.1f times as much; "+
				"predicted probabilities will be off even if the ranking holds",
				100*rs.Test, 100*rs.Low, 100*rs.High, 100*rs.Train, rs.Ratio))
		}
	}
	return nil
}

func (a *app) printScoreReport(r *scoreReport) error {
	pairs := []any{"trained on", fmt.Sprintf("%s (%d rows, %.2f%% converted)", r.Train, r.TrainRows, 100*r.TrainRate),
		"outcome", r.Outcome, "measured by", r.Mode}
	if r.Test != "" {
		pairs = append(pairs, "scored", r.Test)
	}
	if r.Model != "" {
		model := r.Model
		if c := r.Choice; c != nil {
			model = fmt.Sprintf("%s (auto: inner AUC logistic %.4f, boosted %.4f on %d held-back training rows)", r.Model, c.Logistic, c.Boosted, c.InnerRows)
		}
		pairs = append(pairs, "model", model)
	}
	pairs = append(pairs, "columns used", strings.Join(r.Features, ", "))
	if r.TestRows > 0 {
		rate := "unknown (no outcome column)"
		if r.TestRate != nil {
			rate = fmt.Sprintf("%.2f%% converted", 100**r.TestRate)
		}
		pairs = append(pairs, "rows scored", fmt.Sprintf("%d, %s", r.TestRows, rate))
	}
	if r.AUC != nil {
		label := "AUC"
		if len(r.Folds) > 0 {
			label = "AUC (mean of folds)"
		}
		pairs = append(pairs, label, fmt.Sprintf("%.4f", *r.AUC))
	}
	if err := keyValues(a.stdout, pairs...); err != nil {
		return err
	}
	if len(r.Folds) > 0 {
		fmt.Fprintln(a.stdout)
		t := newTable(a.stdout, "FOLD", "ROWS", "MODEL", "AUC")
		for i, f := range r.Folds {
			t.row(i+1, f.Rows, f.Model, fmt.Sprintf("%.4f", f.AUC))
		}
		if err := t.flush(); err != nil {
			return err
		}
	}
	if r.Out != "" {
		fmt.Fprintf(a.stdout, "\nwrote %d scores to %s\n", r.WrittenScores, r.Out)
	}
	return nil
}

func writeScoreRows(path string, rows []scoredRow) error {
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	cw := csv.NewWriter(f)
	_ = cw.Write([]string{"line", "score", "converted"})
	for _, r := range rows {
		out := ""
		if r.outcome != nil {
			out = strconv.FormatBool(*r.outcome)
		}
		_ = cw.Write([]string{strconv.Itoa(r.line), strconv.FormatFloat(r.score, 'f', 6, 64), out})
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		f.Close()
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return f.Close()
}

func scoreSeq(n int) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = i
	}
	return out
}

func scorePickBools(v []bool, idx []int) []bool {
	out := make([]bool, len(idx))
	for i, k := range idx {
		out[i] = v[k]
	}
	return out
}

func scorePickFloats(v []float64, idx []int) []float64 {
	out := make([]float64, len(idx))
	for i, k := range idx {
		out[i] = v[k]
	}
	return out
}

func scoreRate(y []bool, rows []int) float64 {
	if len(rows) == 0 {
		return 0
	}
	n := 0
	for _, r := range rows {
		if y[r] {
			n++
		}
	}
	return float64(n) / float64(len(rows))
}
