package measure

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/towerops/tower/internal/proposal"
	"github.com/towerops/tower/internal/store"
)

// RealiseResult says what one Realise pass measured.
type RealiseResult struct {
	// Measured counts outcomes written; Waiting the executed proposals
	// whose measurement time has not come.
	Measured int `json:"measured"`
	Waiting  int `json:"waiting"`
}

// realisePage is how many proposals Realise reads, measures and writes
// at a time: one proposal page, one outcome query, one execution query
// and one transaction per page.
const realisePage = 200

// Realise measures every executed (or undone) proposal whose
// measurement time has come and that has no outcome yet, and stores the
// outcomes.
//
// A proposal is due when its latest execution is at least the longest
// After of its action kinds old (see Model). It is measured once: an
// outcome, once written, is not measured again, so a figure a leader has
// seen in a report does not change under them. Each page of outcomes is
// written in one transaction; a pass that fails part way keeps the pages
// before, and the next pass carries on. Proposals executed while a pass
// pages through the list may be missed by that pass and are found by the
// next.
func Realise(ctx context.Context, st store.Store, now time.Time) (*RealiseResult, error) {
	res := &RealiseResult{}
	statuses := []proposal.Status{proposal.StatusExecuted, proposal.StatusUndone}
	for off := 0; ; off += realisePage {
		ps, err := st.ProposalsList(ctx, &store.ProposalsListParams{Statuses: statuses,
			Page: store.Page{Limit: realisePage, Offset: off}})
		if err != nil {
			return res, fmt.Errorf("measure outcomes: list executed proposals: %w", err)
		}
		outs, waiting, err := realisePageOf(ctx, st, ps, now)
		if err != nil {
			return res, err
		}
		res.Waiting += waiting
		if len(outs) > 0 {
			err := st.InTx(ctx, func(ctx context.Context, q store.Queries) error {
				return q.OutcomesUpsert(ctx, &store.OutcomesUpsertParams{Outcomes: outs})
			})
			if err != nil {
				return res, fmt.Errorf("measure outcomes: save %d outcomes: %w", len(outs), err)
			}
			res.Measured += len(outs)
		}
		if len(ps) < realisePage {
			return res, nil
		}
	}
}

// realisePageOf measures the proposals of one page that are due and not
// measured yet, and counts those not due.
func realisePageOf(ctx context.Context, st store.Store, ps []proposal.Proposal, now time.Time) ([]store.Outcome, int, error) {
	if len(ps) == 0 {
		return nil, 0, nil
	}
	ids := make([]string, len(ps))
	for i, p := range ps {
		ids[i] = p.ID
	}
	done, err := st.OutcomesList(ctx, &store.OutcomesListParams{ProposalIDs: ids})
	if err != nil {
		return nil, 0, fmt.Errorf("measure outcomes: read outcomes: %w", err)
	}
	measured := make(map[string]bool, len(done))
	for _, o := range done {
		measured[o.ProposalID] = true
	}
	var todo []string
	for _, id := range ids {
		if !measured[id] {
			todo = append(todo, id)
		}
	}
	if len(todo) == 0 {
		return nil, 0, nil
	}
	execs, err := st.ExecutionsOf(ctx, &store.ExecutionsOfParams{ProposalIDs: todo})
	if err != nil {
		return nil, 0, fmt.Errorf("measure outcomes: read executions: %w", err)
	}
	byProposal := map[string][]store.Execution{}
	for _, e := range execs {
		byProposal[e.ProposalID] = append(byProposal[e.ProposalID], e)
	}
	var outs []store.Outcome
	waiting := 0
	for i := range ps {
		p := &ps[i]
		if measured[p.ID] {
			continue
		}
		es := byProposal[p.ID]
		due := lastExecuted(p, es).Add(afterOf(p))
		if now.Before(due) {
			waiting++
			continue
		}
		o, err := measureProposal(ctx, st, p, es, now)
		if err != nil {
			return nil, 0, fmt.Errorf("measure outcome of proposal %s: %w", p.ID, err)
		}
		slog.DebugContext(ctx, "measure: outcome measured", "proposal", p.ID, "agent", p.Agent,
			"share", o.Share, "method", o.Method)
		outs = append(outs, o)
	}
	return outs, waiting, nil
}

// lastExecuted is when p's last action ran; for a proposal without
// recorded executions, when its status last changed.
func lastExecuted(p *proposal.Proposal, es []store.Execution) time.Time {
	var t time.Time
	for _, e := range es {
		if e.ExecutedAt.After(t) {
			t = e.ExecutedAt
		}
	}
	if t.IsZero() {
		t = p.UpdatedAt
	}
	return t
}
