package subgroup

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/towerops/tower/internal/dataset"
	"github.com/towerops/tower/internal/learn"
)

// Options tune a search. The zero value of every field means its default.
type Options struct {
	// OutcomeColumn is left out of the search (it defines the outcome).
	OutcomeColumn string
	// Exclude names further columns to leave out (ids, leaks such as a
	// call's duration, which is only known after the outcome).
	Exclude []string
	// AllowProtected lets columns that describe protected characteristics
	// (see Protected) define segments. Default false: they are left out
	// and the report says so.
	AllowProtected bool
	// MinSize is the fewest rows of the whole table a subgroup may hold
	// (and the fewest it may leave outside). Default: 1% of the rows, at
	// least 50.
	MinSize int
	// Depth is the most conditions in one rule, 1 to 3. Default 3.
	Depth int
	// FDR is the false discovery rate controlled on each part. Default 0.05.
	FDR float64
	// Seed fixes the discovery/holdout split. Default 1.
	Seed uint64
	// DiscoveryShare is the share of rows searched; the rest confirm.
	// Default 0.6.
	DiscoveryShare float64
	// Bins is how many quantile bins a numeric column is cut into.
	// Default 5.
	Bins int
	// MaxOverlap is the Jaccard overlap of members above which a subgroup
	// counts as a near-duplicate of a better one. Default 0.5.
	MaxOverlap float64
	// MinGain is how much higher the rate must be than that of the rows
	// an added condition removes for the condition to count. Default 1.1.
	MinGain float64
	// Keep is the most non-redundant subgroups carried to the holdout.
	// Default 50.
	Keep int
}

func (o Options) withDefaults(rows int) Options {
	if o.MinSize <= 0 {
		o.MinSize = max(50, rows/100)
	}
	if o.Depth <= 0 {
		o.Depth = 3
	}
	if o.FDR <= 0 {
		o.FDR = 0.05
	}
	if o.Seed == 0 {
		o.Seed = 1
	}
	if o.DiscoveryShare <= 0 || o.DiscoveryShare >= 1 {
		o.DiscoveryShare = 0.6
	}
	if o.Bins <= 1 {
		o.Bins = 5
	}
	if o.MaxOverlap <= 0 {
		o.MaxOverlap = 0.5
	}
	if o.MinGain <= 0 {
		o.MinGain = 1.1
	}
	if o.Keep <= 0 {
		o.Keep = 50
	}
	return o
}

// ErrBadOption is returned (wrapped) for an option out of range.
var ErrBadOption = errors.New("bad option")

// Excluded is a column left out of the search and why.
type Excluded struct {
	Column string `json:"column"`
	Reason string `json:"reason"`
}

// Segment is one subgroup with its figures on the whole table, on the
// discovery part and on the holdout.
type Segment struct {
	Conditions []Condition `json:"conditions"`
	Rule       string      `json:"rule"`
	All        Stats       `json:"all_rows"`
	Discovery  Stats       `json:"discovery"`
	Holdout    Stats       `json:"holdout"`
	// Confirmed: the holdout test passed Benjamini–Hochberg across every
	// subgroup carried there.
	Confirmed bool `json:"confirmed"`
}

// Report is what a search found and how many hypotheses it weighed.
type Report struct {
	Rows           int        `json:"rows"`
	Conversions    int        `json:"conversions"`
	BaseRate       float64    `json:"base_rate"`
	DiscoveryRows  int        `json:"discovery_rows"`
	HoldoutRows    int        `json:"holdout_rows"`
	Columns        []string   `json:"columns_searched"`
	Excluded       []Excluded `json:"columns_left_out"`
	Conditions     int        `json:"conditions"`
	Tested         int        `json:"hypotheses_tested"`
	Significant    int        `json:"significant_on_discovery"`
	Redundant      int        `json:"redundant_removed"`
	ToHoldout      int        `json:"tested_on_holdout"`
	ConfirmedCount int        `json:"confirmed"`
	Options        Options    `json:"options"`
	// Segments are the confirmed subgroups, strongest first (by the
	// discovery test, which the holdout did not influence).
	Segments []Segment `json:"segments"`
	// NotConfirmed are the subgroups that did not hold on the holdout.
	NotConfirmed []Segment `json:"not_confirmed"`
}

// Discover searches t for subgroups whose outcome rate (outcome[i] per
// row) is above the rest. See the package documentation for the method.
func Discover(ctx context.Context, t *dataset.Table, outcome []bool, opt Options) (*Report, error) {
	if len(outcome) != t.Len() {
		return nil, fmt.Errorf("%w: %d outcomes for %d rows", ErrBadOption, len(outcome), t.Len())
	}
	opt = opt.withDefaults(t.Len())
	if opt.Depth > 3 {
		return nil, fmt.Errorf("%w: depth %d: at most 3 conditions per rule", ErrBadOption, opt.Depth)
	}
	if opt.FDR >= 1 {
		return nil, fmt.Errorf("%w: false discovery rate %g: use a share below 1, such as 0.05", ErrBadOption, opt.FDR)
	}
	rep := &Report{Rows: t.Len(), Options: opt, Excluded: []Excluded{}, Segments: []Segment{}, NotConfirmed: []Segment{}}
	for _, o := range outcome {
		if o {
			rep.Conversions++
		}
	}
	if rep.Conversions == 0 || rep.Conversions == t.Len() {
		return nil, fmt.Errorf("%w: the outcome holds for %d of %d rows; it must hold for some rows and not others", ErrBadOption, rep.Conversions, t.Len())
	}
	rep.BaseRate = float64(rep.Conversions) / float64(rep.Rows)
	cols, err := pickColumns(t, opt, rep)
	if err != nil {
		return nil, err
	}
	// Stratified by outcome, so both parts keep the base rate.
	disc, hold := learn.StratifiedSplit(outcome, 1-opt.DiscoveryShare, opt.Seed)
	rep.DiscoveryRows, rep.HoldoutRows = len(disc), len(hold)
	posD, posH := newBitset(len(disc)), newBitset(len(hold))
	for k, i := range disc {
		if outcome[i] {
			posD.set(k)
		}
	}
	for k, i := range hold {
		if outcome[i] {
			posH.set(k)
		}
	}
	minDisc := int(math.Ceil(float64(opt.MinSize) * opt.DiscoveryShare))
	sels := buildSelectors(cols, disc, hold, posD, opt.Bins, minDisc)
	rep.Conditions = len(sels)
	sp := &searchSpace{sels: sels, pos: posD, N: len(disc), P: posD.count(), minSize: minDisc, depth: opt.Depth, alpha: opt.FDR}
	cands, tested, err := sp.search(ctx)
	if err != nil {
		return nil, err
	}
	rep.Tested = tested
	cut := bhCutoff(pvals(cands), tested, opt.FDR)
	sp.zKeep = zOfP(cut)
	sig := slices.DeleteFunc(cands, func(c candidate) bool { return c.pval > cut })
	rep.Significant = len(sig)
	slices.SortStableFunc(sig, func(a, b candidate) int {
		return cmp.Or(cmp.Compare(b.z, a.z), cmp.Compare(a.depth(), b.depth()))
	})
	kept, redundant := sp.prune(ctx, sig, opt)
	rep.Redundant = redundant
	rep.ToHoldout = len(kept)
	confirm(sp, posH, len(hold), kept, opt.FDR, rep)
	return rep, nil
}

func pvals(cs []candidate) []float64 {
	out := make([]float64, len(cs))
	for i, c := range cs {
		out[i] = c.pval
	}
	return out
}

// pickColumns chooses the columns to search and records the others with
// the reason they were left out.
func pickColumns(t *dataset.Table, opt Options, rep *Report) ([]*dataset.Column, error) {
	skip := map[string]string{}
	if opt.OutcomeColumn != "" {
		c, err := t.Column(opt.OutcomeColumn)
		if err != nil {
			return nil, err
		}
		skip[c.Name] = "the outcome"
	}
	for _, name := range opt.Exclude {
		c, err := t.Column(name)
		if err != nil {
			return nil, fmt.Errorf("--exclude: %w", err)
		}
		skip[c.Name] = "excluded on request"
	}
	var cols []*dataset.Column
	for _, c := range t.Columns {
		if why, ok := skip[c.Name]; ok {
			rep.Excluded = append(rep.Excluded, Excluded{c.Name, why})
			continue
		}
		if why, ok := Protected(c.Name); ok && !opt.AllowProtected {
			rep.Excluded = append(rep.Excluded, Excluded{c.Name, "protected characteristic (" + why + "); segments are not defined by it unless you allow it"})
			continue
		}
		if !c.Numeric && distinct(c) > max(maxLevels, t.Len()/2) {
			rep.Excluded = append(rep.Excluded, Excluded{c.Name, "looks like an identifier (almost every row differs)"})
			continue
		}
		cols = append(cols, c)
		rep.Columns = append(rep.Columns, c.Name)
	}
	if len(cols) == 0 {
		return nil, fmt.Errorf("%w: no column is left to search (left out: %s)", ErrBadOption, excludedNames(rep.Excluded))
	}
	return cols, nil
}

func distinct(c *dataset.Column) int {
	seen := map[string]struct{}{}
	for _, v := range c.Values {
		seen[v] = struct{}{}
	}
	return len(seen)
}

func excludedNames(es []Excluded) string {
	names := make([]string, len(es))
	for i, e := range es {
		names[i] = e.Column
	}
	return strings.Join(names, ", ")
}
