package fleet

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/towerops/tower/internal/governance"
	"github.com/towerops/tower/internal/proposal"
	"github.com/towerops/tower/internal/store"
	"github.com/towerops/tower/internal/store/eachbackend"
)

func TestEditMakesAGovernedRevisionAndSupersedesTheOld(t *testing.T) {
	eachbackend.Run(t, func(t *testing.T, st store.Store) {
		ctx := context.Background()
		seed(t, st, store.Agent{Name: "a1"})
		seedPeople(t, st)
		old := pendingTag(t, st, "k", governance.ApprovalPlan{Count: 2}, true)
		// A partial approval of the old revision does not carry over. The
		// runner governs the revision with the default policy pack.
		lc := &Lifecycle{Store: st, Now: func() time.Time { return t0.Add(time.Hour) }, Runner: &Runner{Store: st}}
		if _, err := lc.Decide(ctx, old.ID, "ana", true, ""); err != nil {
			t.Fatal(err)
		}
		next, err := lc.Edit(ctx, old.ID, "bo", func(p *proposal.Proposal) error {
			p.Actions[0].Targets = p.Actions[0].Targets[:1]
			p.Actions[0].Params["tag"] = "gold"
			return nil
		}, "only the first person")
		if err != nil {
			t.Fatal(err)
		}
		if next.ID == old.ID || next.Revises != old.ID || next.Revision != 2 || next.EditedBy != "bo" {
			t.Errorf("revision %s revises %q, revision %d, edited by %q", next.ID, next.Revises, next.Revision, next.EditedBy)
		}
		if next.BlastRadius != 1 || next.Actions[0].Params["tag"] != "gold" {
			t.Errorf("revision blast radius %d params %v", next.BlastRadius, next.Actions[0].Params)
		}
		// Governed again: a tag needs approval at default autonomy.
		if next.Status != proposal.StatusPendingApproval || next.Decision == nil || len(next.Decision.Approvals) != 0 ||
			len(next.Preview) != 1 || next.Preview[0].After != "gold" {
			t.Errorf("revision status %s decision %+v preview %+v", next.Status, next.Decision, next.Preview)
		}
		gotOld, err := st.ProposalGet(ctx, &store.ProposalGetParams{ID: old.ID})
		if err != nil || gotOld.Status != proposal.StatusSuperseded {
			t.Fatalf("old: %+v, %v", gotOld, err)
		}
		if r, err := st.ApprovalRequestGet(ctx, &store.ApprovalRequestGetParams{ProposalID: old.ID}); err != nil || r.State != store.ApprovalSuperseded {
			t.Errorf("old request %+v, %v", r, err)
		}
		r, err := st.ApprovalRequestGet(ctx, &store.ApprovalRequestGetParams{ProposalID: next.ID})
		if err != nil || r.State != store.ApprovalOpen || r.Requester != "user:bo" || r.Owner != "maria" {
			t.Fatalf("new request %+v, %v", r, err)
		}
		// The editor asked for it: the request records bo as requester.
		if _, err := lc.Decide(ctx, old.ID, "bo", true, ""); !errors.Is(err, proposal.ErrIllegalTransition) {
			t.Errorf("approving the superseded revision: %v", err)
		}
		if out, err := lc.Decide(ctx, next.ID, "ana", true, ""); err != nil || out.Status != proposal.StatusApproved {
			t.Errorf("approving the revision: %+v, %v", out, err)
		}
		entries, err := st.AuditList(ctx, &store.AuditListParams{})
		if err != nil {
			t.Fatal(err)
		}
		edited := 0
		for _, e := range entries {
			if e.Action == "proposal.edited" && e.Subject == "proposal:"+old.ID && e.Actor == "user:bo" {
				edited++
			}
		}
		if edited != 1 {
			t.Errorf("%d proposal.edited entries, want 1", edited)
		}
		verifyAudit(t, st)
	})
}

func TestEditRefusals(t *testing.T) {
	eachbackend.Run(t, func(t *testing.T, st store.Store) {
		ctx := context.Background()
		seed(t, st, store.Agent{Name: "a1"})
		seedPeople(t, st)
		p := pendingTag(t, st, "k", governance.ApprovalPlan{}, true)
		lc := &Lifecycle{Store: st, Now: func() time.Time { return t0.Add(time.Hour) }}
		for _, tc := range []struct {
			name   string
			change func(*proposal.Proposal) error
			want   error
		}{
			{"every action dropped", func(p *proposal.Proposal) error { p.Actions = nil; return nil }, ErrEditEmpty},
			{"an invalid action", func(p *proposal.Proposal) error { p.Actions[0].Targets = nil; return nil }, proposal.ErrInvalidDraft},
			{"the change fails", func(p *proposal.Proposal) error { return store.ErrNotFound }, store.ErrNotFound},
		} {
			if _, err := lc.Edit(ctx, p.ID, "bo", tc.change, ""); !errors.Is(err, tc.want) {
				t.Errorf("%s: err = %v, want %v", tc.name, err, tc.want)
			}
		}
		// Nothing changed: still pending, one proposal.
		got, err := st.ProposalGet(ctx, &store.ProposalGetParams{ID: p.ID})
		if err != nil || got.Status != proposal.StatusPendingApproval {
			t.Fatalf("after refused edits: %+v, %v", got, err)
		}
		if _, err := lc.Decide(ctx, p.ID, "ana", true, ""); err != nil {
			t.Fatal(err)
		}
		if _, err := lc.Edit(ctx, p.ID, "bo", func(*proposal.Proposal) error { return nil }, ""); !errors.Is(err, proposal.ErrIllegalTransition) {
			t.Errorf("editing an approved proposal: %v", err)
		}
	})
}
