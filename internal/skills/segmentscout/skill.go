package segmentscout

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/towerops/tower/internal/proposal"
	"github.com/towerops/tower/internal/skill"
	"github.com/towerops/tower/internal/subgroup"
)

// Name is the skill's name.
const Name = "segment-scout"

func init() { skill.Register(Skill{}) }

// Skill implements segment-scout.
type Skill struct{}

var _ skill.Skill = Skill{}

// Manifest declares the skill.
func (Skill) Manifest() skill.Manifest {
	return skill.Manifest{
		Name:        Name,
		Team:        "growth",
		Description: "Finds groups of people who convert far above everyone else, confirms them on people the search never saw, and proposes each new one as a segment.",
		Triggers:    skill.Triggers{Schedule: "0 6 * * 1"},
		Actions:     []proposal.Kind{proposal.CreateSegment},
		Params: []skill.Param{
			{Name: "conversion_event", Type: skill.String, Default: "Trial Started", Description: "the track event that counts as converting"},
			{Name: "window", Type: skill.Duration, Default: "180d", Description: "people active in this window are compared, and their events in it counted"},
			{Name: "min_size", Type: skill.Int, Default: 30, Min: skill.Bound(10), Description: "fewest people a segment may hold"},
			{Name: "depth", Type: skill.Int, Default: 3, Min: skill.Bound(1), Max: skill.Bound(3), Description: "most conditions in one segment rule"},
			{Name: "fdr", Type: skill.Float, Default: 0.05, Min: skill.Bound(0.001), Max: skill.Bound(0.2), Description: "false discovery rate: the share of proposed segments allowed to be flukes"},
			{Name: "seed", Type: skill.Int, Default: 1, Min: skill.Bound(1), Description: "seed of the random split into people searched and people held out to confirm"},
			{Name: "allow_protected", Type: skill.Bool, Default: false, Description: "let traits describing protected characteristics (age, gender, ethnicity...) define segments"},
			{Name: "max_proposals", Type: skill.Int, Default: 5, Min: skill.Bound(1), Description: "most segments proposed per run"},
		},
	}
}

// Run searches once per agent (agents may differ in their parameters).
func (s Skill) Run(ctx context.Context, v skill.View, batch []skill.Agent) ([]proposal.Draft, error) {
	var drafts []proposal.Draft
	for _, a := range batch {
		found, err := Scout(ctx, v, optionsOf(a.Params))
		if err != nil {
			return nil, fmt.Errorf("agent %s: %w", a.Name, err)
		}
		slog.InfoContext(ctx, "segment-scout searched", "agent", a.Name, "people", found.Search.Rows,
			"conversions", found.Search.Conversions, "tested", found.Search.Tested, "confirmed", found.Search.ConfirmedCount,
			"covered", len(found.Covered), "left_out", len(found.Search.Excluded), "leaks", found.Leaks)
		for i, c := range found.New {
			if i == int(a.Params.Int("max_proposals")) {
				break
			}
			drafts = append(drafts, draft(a.Name, found, c))
		}
	}
	return drafts, nil
}

// Options are the skill's parameters as the search uses them.
type Options struct {
	ConversionEvent string
	Window          time.Duration
	MinSize, Depth  int
	FDR             float64
	Seed            uint64
	AllowProtected  bool
}

func optionsOf(p skill.Params) Options {
	return Options{ConversionEvent: p.String("conversion_event"), Window: p.Duration("window"),
		MinSize: int(p.Int("min_size")), Depth: int(p.Int("depth")), FDR: p.Float("fdr"),
		Seed: uint64(p.Int("seed")), AllowProtected: p.Bool("allow_protected")}
}

// Candidate is a confirmed subgroup written as a segment.
type Candidate struct {
	Segment subgroup.Segment
	ID      string  // proposed segment id
	Rule    string  // in the segment language
	Plain   string  // for people
	Members []int64 // person ids (active people only), ascending
	// CoveredBy names the existing segment that already holds it, and
	// Why says how ("91% of its members are already in ...").
	CoveredBy, Why string
}

// Found is what one search found.
type Found struct {
	Search   *subgroup.Report
	Window   int // days
	Event    string
	Leaks    []string // event names left out as steps of converting
	New      []Candidate
	Covered  []Candidate
	Existing int // segments already saved
}

// Scout builds the people table, searches it and sorts the confirmed
// subgroups into new ones and ones existing segments already cover.
func Scout(ctx context.Context, v skill.View, o Options) (*Found, error) {
	pp, err := readPeople(ctx, v, o.ConversionEvent, o.Window, o.MinSize)
	if err != nil {
		return nil, err
	}
	f := &Found{Window: pp.window, Event: o.ConversionEvent, Leaks: pp.leaks}
	conv := 0
	for _, c := range pp.converted {
		if c {
			conv++
		}
	}
	if conv < o.MinSize/3 || conv == len(pp.ids) {
		// Too few conversions to find anything: not an error, nothing to
		// propose.
		f.Search = &subgroup.Report{Rows: len(pp.ids), Conversions: conv}
		return f, nil
	}
	rep, err := subgroup.Discover(ctx, pp.table, pp.converted, subgroup.Options{
		MinSize: o.MinSize, Depth: o.Depth, FDR: o.FDR, Seed: o.Seed, AllowProtected: o.AllowProtected})
	if err != nil {
		return nil, err
	}
	f.Search = rep
	existing, err := readExisting(ctx, v)
	if err != nil {
		return nil, err
	}
	f.Existing = len(existing)
	for _, s := range rep.Segments {
		rows, err := s.Members(pp.table)
		if err != nil {
			return nil, err
		}
		c := Candidate{Segment: s, ID: slug(s.Conditions), Rule: pp.celRule(s.Conditions), Plain: pp.plainRule(s.Conditions)}
		for _, r := range rows {
			c.Members = append(c.Members, pp.ids[r])
		}
		c.CoveredBy, c.Why = covered(c.Members, existing, pp.ids)
		if c.CoveredBy != "" {
			f.Covered = append(f.Covered, c)
			continue
		}
		f.New = append(f.New, c)
	}
	return f, nil
}
