package governance

import (
	"cmp"
	"context"
	"errors"
	"slices"
	"time"

	"github.com/towerops/tower/internal/proposal"
	"github.com/towerops/tower/internal/store"
)

// InboxItem is one proposal a person may decide on now.
type InboxItem struct {
	Proposal proposal.Proposal `json:"proposal"`
	// Level is the escalation level the request is at (0: first asked).
	Level int       `json:"level"`
	DueAt time.Time `json:"due_at"`
	// OnBehalfOf names whom the person would approve for, as a delegate.
	OnBehalfOf string              `json:"on_behalf_of,omitempty"`
	Approvals  []proposal.Approval `json:"approvals"`
	Required   int                 `json:"required"`
	// Missing says what the request still waits for.
	Missing string `json:"missing"`
}

// inboxPage is how many open requests Inbox reads at a time.
const inboxPage = 500

// Inbox lists the open approval requests user may act on now — in their
// own right or as a delegate — that they have not approved yet, the most
// valuable first (expected pipeline plus savings), then the newest. limit
// 0 means 50.
func Inbox(ctx context.Context, q store.Queries, user string, now time.Time, limit int) ([]InboxItem, error) {
	if limit <= 0 {
		limit = 50
	}
	var items []InboxItem
	rs := newResolver(q, now)
	after := ""
	for {
		reqs, err := q.ApprovalRequestsList(ctx, &store.ApprovalRequestsListParams{State: store.ApprovalOpen, After: after, Limit: inboxPage})
		if err != nil {
			return nil, err
		}
		for i := range reqs {
			r := &reqs[i]
			who, err := rs.eligible(ctx, r, user)
			if errors.Is(err, ErrNotEligible) {
				continue
			}
			if err != nil {
				return nil, err
			}
			p, err := q.ProposalGet(ctx, &store.ProposalGetParams{ID: r.ProposalID})
			if errors.Is(err, store.ErrNotFound) {
				continue
			}
			if err != nil {
				return nil, err
			}
			if p.Status != proposal.StatusPendingApproval {
				continue
			}
			var approvals []proposal.Approval
			if p.Decision != nil {
				approvals = p.Decision.Approvals
			}
			if HasApproved(approvals, user) {
				continue
			}
			t := TallyOf(r, approvals)
			items = append(items, InboxItem{Proposal: *p, Level: r.Level, DueAt: r.DueAt, OnBehalfOf: who.OnBehalfOf,
				Approvals: nonNilApprovals(approvals), Required: t.Required, Missing: t.Missing(r)})
		}
		if len(reqs) < inboxPage {
			break
		}
		after = reqs[len(reqs)-1].ProposalID
	}
	slices.SortStableFunc(items, func(a, b InboxItem) int {
		if c := cmp.Compare(worth(b.Proposal), worth(a.Proposal)); c != 0 {
			return c
		}
		if c := b.Proposal.CreatedAt.Compare(a.Proposal.CreatedAt); c != 0 {
			return c
		}
		return cmp.Compare(a.Proposal.ID, b.Proposal.ID)
	})
	if len(items) > limit {
		items = items[:limit]
	}
	return items, nil
}

// worth is what the inbox sorts by: expected pipeline plus savings.
func worth(p proposal.Proposal) float64 {
	return p.ExpectedValue.PipelineUSD + p.ExpectedValue.SavingsUSD
}

func nonNilApprovals(a []proposal.Approval) []proposal.Approval {
	if a == nil {
		return []proposal.Approval{}
	}
	return a
}
