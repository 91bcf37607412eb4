package web

import (
	"net/http"
	"time"

	"github.com/towerops/tower/internal/measure"
	"github.com/towerops/tower/internal/proposal"
	"github.com/towerops/tower/internal/web/chart"
)

// scorecardsData is what scorecards.html shows.
type scorecardsData struct {
	Q scoreQuery
	// Fleet is everything together, with its trend; Rows the cards of
	// the chosen grouping, each with its own trend for a sparkline.
	Fleet measure.Card
	Rows  []measure.Card
	// Figures: the fleet's proposals and accept rate over the period, and
	// the expected against realised value of each row.
	Figures []chart.Figure
	Error   string
}

// scorecardsPage shows the scorecards of every agent, skill, action
// kind, owner or team over a period, computed from the proposal history
// by measure — the same figures earned autonomy and the breaker act on.
func (s *Server) scorecardsPage(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	q, err := parseScoreQuery(r.URL.Query(), s.now())
	if err != nil {
		s.fail(w, r, http.StatusBadRequest, "Tower cannot show these scorecards: "+err.Error()+".")
		return
	}
	h, err := measure.Load(ctx, s.Store, measure.Filter{Since: q.Since, Until: q.Until})
	if err != nil {
		s.readFailed(w, r, "proposal history", err)
		return
	}
	d := scorecardsData{Q: q, Fleet: measure.Card{By: measure.ByFleet, Since: q.Since, Until: q.Until}}
	if fleet := measure.Scorecards(h, measure.Options{By: measure.ByFleet, Trend: q.Trend}); len(fleet) > 0 {
		d.Fleet = fleet[0]
	}
	d.Rows = measure.Scorecards(h, measure.Options{By: q.By, Trend: q.Trend})
	d.Figures = scorecardFigures(d.Fleet, d.Rows, q.By)
	s.render(w, r, http.StatusOK, "scorecards", "Scorecards", d)
}

// scorecardFigures draws the fleet's trend (proposals, and the share
// people accepted) and each row's value expected against realised.
func scorecardFigures(fleet measure.Card, rows []measure.Card, by measure.By) []chart.Figure {
	var figs []chart.Figure
	if len(fleet.Trend) > 0 {
		made := proposal.Series{Name: "Proposals made"}
		rate := proposal.Series{Name: "Accepted by people", Unit: "%"}
		for _, c := range fleet.Trend {
			x := c.Since.UTC().Format(time.DateOnly)
			made.Points = append(made.Points, proposal.Point{X: x, Y: float64(c.Proposals)})
			if c.Decided > 0 {
				rate.Points = append(rate.Points, proposal.Point{X: x, Y: 100 * c.AcceptRate})
			}
		}
		ev := proposal.Evidence{Series: []proposal.Series{made}}
		if len(rate.Points) > 0 {
			ev.Series = append(ev.Series, rate)
		}
		figs = append(figs, chart.Evidence(ev)...)
	}
	pairs := make([]chart.Pair, 0, len(rows))
	for _, c := range rows {
		pairs = append(pairs, chart.Pair{Label: rowLabel(c), A: dollars(c.Expected), B: dollars(c.Realised)})
	}
	figs = append(figs, chart.Pairs("Value expected and realised per "+string(by), "$", "expected", "realised", pairs))
	return figs
}

// dollars is a value's pipeline and savings together: the figure value
// charts compare.
func dollars(v proposal.Value) float64 { return v.PipelineUSD + v.SavingsUSD }

// rowLabel names a card's row; the fleet and cards with no owner or team
// get words rather than a blank.
func rowLabel(c measure.Card) string {
	switch {
	case c.Key != "":
		return c.Key
	case c.By == measure.ByFleet:
		return "All agents"
	}
	return "none"
}

func init() {
	addFuncs(map[string]any{
		"rowLabel": rowLabel,
		"dollars":  dollars,
		// sparkOf draws a card's trend of proposals.
		"sparkOf": func(c measure.Card) any {
			vs := make([]float64, len(c.Trend))
			for i, t := range c.Trend {
				vs[i] = float64(t.Proposals)
			}
			return chart.Sparkline(vs, 120, 24)
		},
		"byWords": byWords,
	})
}

// byWords names a grouping for people.
func byWords(b measure.By) string {
	switch b {
	case measure.ByKind:
		return "action"
	case measure.ByFleet:
		return "fleet"
	}
	return string(b)
}
