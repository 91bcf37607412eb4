package web

import (
	"math"
	"net/http"

	"github.com/dustin/go-humanize"

	"github.com/towerops/tower/internal/measure"
	"github.com/towerops/tower/internal/web/chart"
)

// valueData is what value.html shows.
type valueData struct {
	R *measure.Report
	// Month is the month shown (YYYY-MM); Prev and Next the months either
	// side ("" for Next when it would be in the future).
	Month, Prev, Next string
	Figures           []chart.Figure
}

// valuePage is the month's value report for a CMO: what the agent fleet
// delivered, by team and skill, what it cost in people's review time,
// and every assumption behind the figures.
func (s *Server) valuePage(w http.ResponseWriter, r *http.Request) {
	now := s.now()
	month, err := measure.ParseMonth(r.URL.Query().Get("month"), now)
	if err != nil {
		s.fail(w, r, http.StatusBadRequest, "Tower cannot show this value report: "+err.Error()+".")
		return
	}
	rep, err := measure.ValueReport(r.Context(), s.Store, month, measure.DefaultReviewCost)
	if err != nil {
		s.readFailed(w, r, "value report", err)
		return
	}
	d := valueData{R: rep, Month: month.Format("2006-01"), Prev: month.AddDate(0, -1, 0).Format("2006-01")}
	if next := month.AddDate(0, 1, 0); !next.After(now) {
		d.Next = next.Format("2006-01")
	}
	pairs := make([]chart.Pair, 0, len(rep.Teams)+len(rep.Skills))
	for _, c := range rep.Skills {
		pairs = append(pairs, chart.Pair{Label: rowLabel(c), A: dollars(c.Expected), B: dollars(c.Realised)})
	}
	d.Figures = append(d.Figures, chart.Pairs("Value expected and realised per skill, "+d.Month, "$", "expected", "realised", pairs))
	s.render(w, r, http.StatusOK, "value", "Value "+d.Month, d)
}

// valueTable is one table of the value report: a heading and its rows.
type valueTable struct {
	Head string
	Rows []measure.Card
}

func init() {
	addFuncs(map[string]any{
		"valueRows": func(head string, rows []measure.Card) valueTable { return valueTable{Head: head, Rows: rows} },
		// usd prints dollars with a sign, "$0" for nothing: "-$1,200".
		"usd": func(v float64) string {
			if math.Round(v) == 0 {
				return "$0"
			}
			if v < 0 {
				return "-$" + humanize.Commaf(math.Round(-v))
			}
			return "$" + humanize.Commaf(math.Round(v))
		},
	})
}
