package web

import (
	"net/http"
	"time"

	"github.com/towerops/tower/internal/briefing"
	"github.com/towerops/tower/internal/proposal"
)

// briefingWindow is the period the console's briefing covers.
const briefingWindow = 24 * time.Hour

// briefingPage shows the signed-in person's briefing for the last day.
func (s *Server) briefingPage(w http.ResponseWriter, r *http.Request) {
	user := sessionFrom(r.Context()).Principal.User.Name
	d, err := briefing.Build(r.Context(), s.Store, user, time.Now(), briefingWindow)
	if err != nil {
		s.readFailed(w, r, "briefing", err)
		return
	}
	s.render(w, r, http.StatusOK, "briefing", "Briefing", d)
}

func init() {
	addFuncs(map[string]any{
		// realisedValue shows a briefing's realised value like any value.
		"realisedValue": func(r briefing.Realised) proposal.Value {
			return proposal.Value{PipelineUSD: r.PipelineUSD, SavingsUSD: r.SavingsUSD, HoursSaved: r.HoursSaved, Conversions: r.Conversions}
		},
	})
}
