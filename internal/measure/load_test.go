package measure

import (
	"context"
	"testing"
	"time"

	"github.com/towerops/tower/internal/audit"
	"github.com/towerops/tower/internal/proposal"
	"github.com/towerops/tower/internal/store"
	"github.com/towerops/tower/internal/store/eachbackend"

	_ "github.com/towerops/tower/internal/skills/staleconsent" // a skill with a team
)

// TestLoad reads a history back from the store: an edited proposal once,
// dated by the agent's original; proposals outside the period left out;
// executions, outcomes and promotions attached.
func TestLoad(t *testing.T) {
	eachbackend.Run(t, func(t *testing.T, st store.Store) {
		ctx := context.Background()
		since := time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC)
		until := since.AddDate(0, 0, 7)
		if err := st.AgentsUpsert(ctx, &store.AgentsUpsertParams{Agents: []store.Agent{
			{Name: "stale", Skill: "stale-consent", Owner: "maria", State: store.AgentActive, Source: "cli"}}}); err != nil {
			t.Fatal(err)
		}
		mk := func(id string, s proposal.Status, at time.Time) proposal.Proposal {
			return proposal.Proposal{ID: id, Agent: "stale", Skill: "stale-consent", Key: id, Status: s, CreatedAt: at, UpdatedAt: at,
				Actions: []proposal.Action{{Kind: proposal.Tag}}, ExpectedValue: proposal.Value{HoursSaved: 1}}
		}
		root := mk("root", proposal.StatusSuperseded, since.Add(-2*time.Hour)) // made before the period...
		rev := mk("rev", proposal.StatusExecuted, since.Add(3*time.Hour))      // ...edited inside it
		rev.Revises, rev.Revision, rev.EditedBy = "root", 2, "ana"
		inside := mk("inside", proposal.StatusExecuted, since.Add(time.Hour))
		inside.Decision = &proposal.Decision{Effect: proposal.EffectAllow}
		after := mk("after", proposal.StatusRejected, until.Add(time.Hour))
		if _, err := st.ProposalsInsert(ctx, &store.ProposalsInsertParams{Proposals: []proposal.Proposal{root, rev, inside, after}}); err != nil {
			t.Fatal(err)
		}
		err := st.InTx(ctx, func(ctx context.Context, q store.Queries) error {
			if err := q.ExecutionRecord(ctx, &store.ExecutionRecordParams{Execution: store.Execution{Key: proposal.ActionKey("inside", 0),
				ProposalID: "inside", Kind: proposal.Tag, Actor: "autonomy:auto", Result: "tagged", ExecutedAt: since.Add(2 * time.Hour)}}); err != nil {
				return err
			}
			if err := q.OutcomesUpsert(ctx, &store.OutcomesUpsertParams{Outcomes: []store.Outcome{{ProposalID: "inside",
				MeasuredAt: since.Add(48 * time.Hour), Value: proposal.Value{HoursSaved: 0.5}, Share: 0.5, Method: "half in place"}}}); err != nil {
				return err
			}
			return audit.Append(ctx, q, audit.Entry{Actor: "system", Action: "autonomy.promoted", Subject: "agent:stale",
				At: since.Add(5 * time.Hour), Data: map[string]any{"kind": "tag"}})
		})
		if err != nil {
			t.Fatal(err)
		}

		h, err := Load(ctx, st, Filter{Since: since, Until: until})
		if err != nil {
			t.Fatal(err)
		}
		// "rev" was made before the period (by its original), so only
		// "inside" is in it.
		if len(h.Records) != 1 || h.Records[0].Proposal.ID != "inside" {
			t.Fatalf("records: %+v", h.Records)
		}
		r := h.Records[0]
		if len(r.Executions) != 1 || r.Outcome == nil || r.Outcome.Share != 0.5 || r.Owner != "maria" || r.Team != "marketing-ops" {
			t.Errorf("record: %+v", r)
		}
		if len(h.Changes) != 1 || !h.Changes[0].Promoted || h.Changes[0].Kind != proposal.Tag || h.Changes[0].Team != "marketing-ops" {
			t.Errorf("changes: %+v", h.Changes)
		}

		// A period starting earlier holds the edited proposal once, dated by
		// the agent's original.
		h, err = Load(ctx, st, Filter{Since: since.AddDate(0, 0, -1), Until: until, Agent: "stale", WithoutChanges: true})
		if err != nil {
			t.Fatal(err)
		}
		if len(h.Records) != 2 || h.Records[0].Proposal.ID != "rev" || !h.Records[0].Made.Equal(root.CreatedAt) || len(h.Changes) != 0 {
			t.Fatalf("records: %+v changes %+v", h.Records, h.Changes)
		}
		c := Compute(h, 0)
		if c.Proposals != 2 || c.Edited != 1 || c.Autonomous != 1 || c.Measured != 1 || c.RealisedRatio != 0.5 {
			t.Errorf("card: %+v", c)
		}
		if _, err := Load(ctx, st, Filter{Since: until, Until: since}); err == nil {
			t.Error("a period ending before it starts was loaded")
		}
	})
}
