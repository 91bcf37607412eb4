package fleet

import (
	"context"
	"fmt"
	"time"

	"github.com/towerops/tower/internal/action"
	"github.com/towerops/tower/internal/audit"
	"github.com/towerops/tower/internal/governance"
	"github.com/towerops/tower/internal/proposal"
	"github.com/towerops/tower/internal/skill"
	"github.com/towerops/tower/internal/store"
)

// previewOf asks the executors what the proposal would change.
func previewOf(ctx context.Context, r store.Reader, p *proposal.Proposal) ([]proposal.Change, error) {
	changes, err := action.Preview(ctx, r, p)
	if err != nil {
		return nil, err
	}
	if changes == nil {
		changes = []proposal.Change{}
	}
	return changes, nil
}

// write stores a batch's proposals, one audit entry each, the run record
// and the execution jobs of the allowed ones, in one transaction.
func (r *Runner) write(ctx context.Context, props []proposal.Proposal, byName map[string]store.Agent, skillName string, trig skill.Trigger, agents int, now time.Time) ([]proposal.Proposal, int, error) {
	pack, err := r.pack()
	if err != nil {
		return nil, 0, err
	}
	var written []proposal.Proposal
	skipped := 0
	err = r.Store.InTx(ctx, func(ctx context.Context, q store.Queries) error {
		written, skipped = nil, 0
		var ins *store.ProposalsInsertResult
		if len(props) > 0 {
			var err error
			ins, err = q.ProposalsInsert(ctx, &store.ProposalsInsertParams{Proposals: props})
			if err != nil {
				return fmt.Errorf("write proposals: %w", err)
			}
			skipped = len(ins.Skipped)
			isSkipped := make(map[int]bool, len(ins.Skipped))
			for _, i := range ins.Skipped {
				isSkipped[i] = true
			}
			for i, p := range props {
				if !isSkipped[i] {
					written = append(written, p)
				}
			}
		}
		entries := make([]audit.Entry, 0, len(written))
		var allowed []string
		var requests []store.ApprovalRequest
		for _, p := range written {
			entries = append(entries, audit.Entry{Actor: "agent:" + p.Agent, Action: "proposal.proposed",
				Subject: "proposal:" + p.ID, At: now, Data: map[string]any{
					"skill": p.Skill, "status": p.Status, "effect": p.Decision.Effect,
					"autonomy": p.Decision.Autonomy, "rules": p.Decision.Rules, "blast_radius": p.BlastRadius}})
			switch p.Status {
			case proposal.StatusAllowed:
				allowed = append(allowed, p.ID)
			case proposal.StatusPendingApproval:
				requests = append(requests, governance.RequestFor(&p, byName[p.Agent], pack.PlanFor(p.Decision), "agent:"+p.Agent, now))
			}
		}
		if len(requests) > 0 {
			if err := q.ApprovalRequestsInsert(ctx, &store.ApprovalRequestsInsertParams{Requests: requests}); err != nil {
				return fmt.Errorf("write approval requests: %w", err)
			}
		}
		if err := audit.Append(ctx, q, entries...); err != nil {
			return err
		}
		if len(allowed) > 0 && r.Enqueuer != nil {
			if err := r.Enqueuer.EnqueueExecute(ctx, q, allowed); err != nil {
				return fmt.Errorf("enqueue executions: %w", err)
			}
		}
		return q.RunsInsert(ctx, &store.RunsInsertParams{Runs: []store.Run{{
			ID: newRunID(now), Skill: skillName, Trigger: trig.String(), Agents: agents,
			Proposals: len(written), Skipped: skipped, StartedAt: now, FinishedAt: time.Now().UTC()}}})
	})
	if err != nil {
		return nil, 0, err
	}
	return written, skipped, nil
}

func newRunID(now time.Time) string { return "r_" + proposal.NewID(now)[2:] }
