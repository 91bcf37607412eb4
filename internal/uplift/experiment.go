package uplift

import (
	"fmt"
	"math"
	"strings"

	"github.com/towerops/tower/internal/dataset"
)

// Experiment is a table read as a randomised experiment: which rows were
// treated, which were the control, and whether each responded.
type Experiment struct {
	Table *dataset.Table
	// Rows are the table rows in either arm with a readable outcome, in
	// file order; Treated and Y are indexed by table row (false elsewhere).
	Rows    []int
	Treated []bool
	Y       []bool
	// Neither counts rows matching neither arm (another arm of a
	// multi-arm test, usually); they are left out.
	Neither int
	// Skipped are rows left out for a reason a person should see: in
	// both arms, or an outcome that cannot be read.
	Skipped []dataset.RowError
	// Columns are the columns that define the arms and the outcome; they
	// are never used as features.
	Columns []string
}

// ReadExperiment finds the arms and the outcome. The outcome is either a
// column of 0/1 (also yes/no, true/false; any other number counts as
// responded when above 0) or a condition COL=VALUE meaning "responded".
// A row with no outcome, or one matching both arms, is skipped with its
// line; the good rows proceed.
func ReadExperiment(t *dataset.Table, treatment, control dataset.Condition, outcome string) (*Experiment, error) {
	tm, err := t.Mask(treatment)
	if err != nil {
		return nil, fmt.Errorf("--treatment: %w", err)
	}
	cm, err := t.Mask(control)
	if err != nil {
		return nil, fmt.Errorf("--control: %w", err)
	}
	resp, outCol, err := readOutcome(t, outcome)
	if err != nil {
		return nil, fmt.Errorf("--outcome: %w", err)
	}
	e := &Experiment{Table: t, Treated: make([]bool, t.Len()), Y: make([]bool, t.Len())}
	for _, c := range []string{treatment.Column, control.Column, outCol} {
		col, _ := t.Column(c)
		if !containsFold(e.Columns, col.Name) {
			e.Columns = append(e.Columns, col.Name)
		}
	}
	for i := range t.Len() {
		switch {
		case tm[i] && cm[i]:
			e.Skipped = append(e.Skipped, dataset.RowError{File: t.File, Line: t.Lines[i], Column: treatment.Column,
				Reason: fmt.Sprintf("matches both the treatment (%s) and the control (%s)", treatment, control)})
			continue
		case !tm[i] && !cm[i]:
			e.Neither++
			continue
		}
		if resp[i] < 0 {
			e.Skipped = append(e.Skipped, dataset.RowError{File: t.File, Line: t.Lines[i], Column: outCol,
				Reason: "no readable outcome (want 0 or 1, yes or no, true or false)"})
			continue
		}
		e.Rows = append(e.Rows, i)
		e.Treated[i] = tm[i]
		e.Y[i] = resp[i] == 1
	}
	var nt, rt, rc int
	for _, i := range e.Rows {
		if e.Treated[i] {
			nt++
			if e.Y[i] {
				rt++
			}
		} else if e.Y[i] {
			rc++
		}
	}
	nc := len(e.Rows) - nt
	switch {
	case nt == 0 || nc == 0:
		return nil, fmt.Errorf("%s: %d treated and %d control rows can be used; both arms need rows", t.File, nt, nc)
	case rt+rc == 0:
		return nil, fmt.Errorf("%s: nobody in either arm responded (%s), so there is nothing to learn", t.File, outcome)
	case rt+rc == len(e.Rows):
		return nil, fmt.Errorf("%s: everybody in both arms responded (%s), so there is nothing to learn", t.File, outcome)
	}
	return e, nil
}

// readOutcome returns, per row, 1 responded, 0 did not, −1 unreadable,
// and the column it read.
func readOutcome(t *dataset.Table, outcome string) ([]int8, string, error) {
	out := make([]int8, t.Len())
	if strings.Contains(outcome, "=") {
		c, err := dataset.ParseCondition("--outcome", outcome)
		if err != nil {
			return nil, "", err
		}
		m, err := t.Mask(c)
		if err != nil {
			return nil, "", err
		}
		for i, v := range m {
			if v {
				out[i] = 1
			}
		}
		return out, c.Column, nil
	}
	col, err := t.Column(strings.TrimSpace(outcome))
	if err != nil {
		return nil, "", err
	}
	readable := 0
	for i, v := range col.Values {
		switch {
		case col.Numeric && math.IsNaN(col.Nums[i]):
			out[i] = -1
		case col.Numeric && col.Nums[i] > 0:
			out[i] = 1
		case col.Numeric:
			out[i] = 0
		default:
			switch strings.ToLower(v) {
			case "1", "yes", "y", "true", "t":
				out[i] = 1
			case "0", "no", "n", "false", "f":
				out[i] = 0
			default:
				out[i] = -1
			}
		}
		if out[i] >= 0 {
			readable++
		}
	}
	if readable == 0 {
		return nil, "", fmt.Errorf("%s: column %q holds no 0/1, yes/no or true/false values; name the responding value instead, as %s=VALUE", t.File, col.Name, col.Name)
	}
	return out, col.Name, nil
}

func containsFold(list []string, s string) bool {
	for _, v := range list {
		if strings.EqualFold(v, s) {
			return true
		}
	}
	return false
}
