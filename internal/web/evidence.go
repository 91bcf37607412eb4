package web

import (
	"github.com/towerops/tower/internal/proposal"
)

// evidenceView is a proposal's evidence as the page shows it: the facts
// as a table with their sources, and each series as a table of points a
// person can read line by line (and a screen reader can too).
type evidenceView struct {
	Facts  []proposal.Fact
	Series []proposal.Series
}

func evidenceOf(ev proposal.Evidence) evidenceView {
	return evidenceView{Facts: ev.Facts, Series: ev.Series}
}
