package web

import (
	"context"
	"slices"

	"github.com/towerops/tower/internal/measure"
	"github.com/towerops/tower/internal/proposal"
	"github.com/towerops/tower/internal/store"
)

// valueView is a proposal's Value section: what the agent expected it to
// be worth and on what assumptions, how each of its action kinds is
// valued and later measured, and what it turned out to be worth once
// measured.
type valueView struct {
	Expected proposal.Value
	Models   []measure.Model
	// Outcome is the measured value; nil until Tower has measured it.
	Outcome *store.Outcome
}

// valueOf reads p's outcome and the value models of its action kinds.
func (s *Server) valueOf(ctx context.Context, p *proposal.Proposal) (valueView, error) {
	v := valueView{Expected: p.ExpectedValue}
	var kinds []proposal.Kind
	for _, a := range p.Actions {
		if !slices.Contains(kinds, a.Kind) {
			kinds = append(kinds, a.Kind)
			v.Models = append(v.Models, measure.ModelFor(a.Kind))
		}
	}
	os, err := s.Store.OutcomesList(ctx, &store.OutcomesListParams{ProposalIDs: []string{p.ID}})
	if err != nil {
		return v, err
	}
	for i := range os {
		if os[i].ProposalID == p.ID {
			v.Outcome = &os[i]
		}
	}
	return v, nil
}
