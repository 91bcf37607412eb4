package fleet

import (
	"context"

	"github.com/towerops/tower/internal/governance"
	"github.com/towerops/tower/internal/proposal"
	"github.com/towerops/tower/internal/store"
)

// Govern previews and decides a proposal that did not come from a skill
// run (a person's edited revision): it sets Preview, Decision and Status.
// actor is who asked ("user:NAME").
func (r *Runner) Govern(ctx context.Context, q store.Queries, p *proposal.Proposal, actor string) error {
	a, err := q.AgentGet(ctx, &store.AgentGetParams{Name: p.Agent})
	if err != nil {
		return err
	}
	preview, err := previewOf(ctx, q, p)
	if err != nil {
		return err
	}
	p.Preview = preview
	dec, err := r.governor().Decide(ctx, governanceInput(p, *a))
	if err != nil {
		return err
	}
	p.Decision = &dec
	p.Status = statusFor(dec)
	return nil
}

func governanceInput(p *proposal.Proposal, a store.Agent) governance.Input {
	return governance.Input{Proposal: p, Agent: a}
}

func statusFor(d proposal.Decision) proposal.Status { return governance.StatusFor(d) }
