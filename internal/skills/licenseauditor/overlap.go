package licenseauditor

import (
	"cmp"
	"fmt"
	"slices"

	"github.com/towerops/tower/internal/proposal"
)

// Overlap is a category in which the company pays for two or more tools
// (two ESPs, say): a consolidation candidate.
type Overlap struct {
	Category string        `json:"category"`
	Tools    []OverlapTool `json:"tools"`
	// Keep is the tool the others would move into: the one with the most
	// seats (then the most active users).
	Keep string `json:"keep"`
	// AnnualSaving is what consolidating saves a year; it can be negative,
	// when moving the users costs more than the smaller tools.
	AnnualSaving float64 `json:"annual_saving"`
	Assumption   string  `json:"assumption"`
}

// OverlapTool is one tool of an overlapping category.
type OverlapTool struct {
	Tool        string  `json:"tool"`
	Seats       int     `json:"seats"`
	ActiveUsers int     `json:"active_users"`
	MonthlyCost float64 `json:"monthly_cost"`
	AnnualCost  float64 `json:"annual_cost"`
}

// ConsolidationAssumption is how AnnualSaving is estimated. Idle and
// unassigned seats are left out on both sides: the idle saving counts
// them already, and counting them twice would inflate the total.
const ConsolidationAssumption = "the smaller tools are cancelled after their idle and unassigned seats are cut; " +
	"each of their remaining active users gets a seat on the tool kept, at its current price per seat; " +
	"integrations are rebuilt on the tool kept without a seat; migration work and contract exit terms are not counted"

// overlaps finds categories with two or more tools holding seats.
func overlaps(tools []Tool) []Overlap {
	byCat := map[string][]Tool{}
	for _, t := range tools {
		if t.Category != "" && t.Seats > 0 {
			byCat[t.Category] = append(byCat[t.Category], t)
		}
	}
	var out []Overlap
	for cat, ts := range byCat {
		if len(ts) < 2 {
			continue
		}
		slices.SortFunc(ts, func(a, b Tool) int {
			return cmp.Or(cmp.Compare(b.Seats, a.Seats), cmp.Compare(b.ActiveUsers, a.ActiveUsers), cmp.Compare(a.Tool, b.Tool))
		})
		o := Overlap{Category: cat, Keep: ts[0].Tool, Assumption: ConsolidationAssumption}
		keep := ts[0]
		saving := 0.0
		for i, t := range ts {
			o.Tools = append(o.Tools, OverlapTool{Tool: t.Tool, Seats: t.Seats, ActiveUsers: t.ActiveUsers,
				MonthlyCost: t.MonthlyCost, AnnualCost: cents(t.MonthlyCost * 12)})
			if i == 0 {
				continue
			}
			// What the smaller tool still costs after its idle cut, less
			// the seats its active users need on the tool kept.
			remaining := float64(t.NewSeats) * t.CostPerSeatMonth * 12
			moved := float64(t.ActiveUsers) * keep.CostPerSeatMonth * 12
			saving += remaining - moved
		}
		o.AnnualSaving = cents(saving)
		out = append(out, o)
	}
	slices.SortFunc(out, func(a, b Overlap) int { return cmp.Compare(a.Category, b.Category) })
	return out
}

// Summary says in one sentence what consolidating would mean.
func (o Overlap) Summary() string {
	others := ""
	for i, t := range o.Tools[1:] {
		if i > 0 {
			others += " and "
		}
		others += t.Tool
	}
	if o.AnnualSaving <= 0 {
		return fmt.Sprintf("%s: moving %s into %s would not save money at current prices (%s a year)", o.Category, others, o.Keep, proposal.Dollars(o.AnnualSaving))
	}
	return fmt.Sprintf("%s: moving %s into %s would save about %s a year", o.Category, others, o.Keep, proposal.Dollars(o.AnnualSaving))
}
