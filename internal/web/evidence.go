package web

import (
	"github.com/towerops/tower/internal/proposal"
	"github.com/towerops/tower/internal/web/chart"
)

// evidenceView is a proposal's evidence as the page shows it: the facts
// as a table with their sources, and the series drawn as charts (each
// with a hidden table of its numbers for screen readers), so a person
// can check the agent's claim at a glance.
type evidenceView struct {
	Facts   []proposal.Fact
	Figures []chart.Figure
}

func evidenceOf(ev proposal.Evidence) evidenceView {
	return evidenceView{Facts: ev.Facts, Figures: chart.Evidence(ev)}
}
