package fleet

import (
	"context"

	"github.com/towerops/tower/internal/governance"
	"github.com/towerops/tower/internal/proposal"
	"github.com/towerops/tower/internal/store"
)

// Govern previews and decides a proposal that did not come from a skill
// run (a person's edited revision), reading through q so it sees the
// transaction it runs in: it sets Preview, Decision and Status. actor is
// who asked ("user:NAME").
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
	pack, err := r.pack()
	if err != nil {
		return err
	}
	now := p.CreatedAt
	gc := &governContext{reader: q, run: map[string]int{}}
	if err := gc.load(ctx, q, pack, []string{p.Agent}, now); err != nil {
		return err
	}
	if pack.NeedsSystemTotals() || a.Caps.AudiencePct > 0 {
		if gc.systemTotals, err = q.RecordsPerSystem(ctx); err != nil {
			return err
		}
	}
	in := gc.input(p, *a, now)
	in.Actor = actor
	gov := r.Governor
	if gov == nil {
		gov = &governance.Engine{Pack: pack, Reader: q}
	}
	dec, err := gov.Decide(ctx, in)
	if err != nil {
		return err
	}
	p.Decision = &dec
	p.Status = governance.StatusFor(dec)
	return nil
}
