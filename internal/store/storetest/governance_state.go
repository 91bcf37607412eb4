package storetest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/towerops/tower/internal/foundation"
	"github.com/towerops/tower/internal/proposal"
	"github.com/towerops/tower/internal/store"
)

// govStateTests check autonomy tracks, agent changes, records per system
// and settings (store.Governance).
var govStateTests = []test{
	{"AutonomyTracksRoundTrip", func(t *testing.T, s store.Store) {
		at := time.Date(2026, 5, 4, 10, 30, 0, 123456789, time.FixedZone("CET", 3600))
		full := store.AutonomyTrack{Agent: "a1", Kind: "suppress", Level: "auto", Streak: 20,
			LastUndoAt: at.Add(-40 * 24 * time.Hour), ChangedAt: at, Reason: "20 approvals in a row", UpdatedAt: at}
		bare := store.AutonomyTrack{Agent: "a1", Kind: "tag", Streak: 3, UpdatedAt: at}
		other := store.AutonomyTrack{Agent: "b2", Kind: "notify", Level: "approve", UpdatedAt: at}
		for _, tr := range []store.AutonomyTrack{other, full, bare} {
			if err := s.AutonomyTrackPut(ctx(t), &store.AutonomyTrackPutParams{Track: tr}); err != nil {
				t.Fatal(err)
			}
		}
		all := must[[]store.AutonomyTrack](t)(s.AutonomyTracksList(ctx(t), &store.AutonomyTracksListParams{}))
		checkEqual(t, "all tracks", trackKeys(all), []string{"a1/suppress", "a1/tag", "b2/notify"})
		checkTrack(t, all[0], full)
		checkTrack(t, all[1], bare)
		checkTrack(t, all[2], other)
		only := must[[]store.AutonomyTrack](t)(s.AutonomyTracksList(ctx(t), &store.AutonomyTracksListParams{Agents: []string{"b2", "zz"}}))
		checkEqual(t, "tracks of b2", trackKeys(only), []string{"b2/notify"})
		none := must[[]store.AutonomyTrack](t)(s.AutonomyTracksList(ctx(t), &store.AutonomyTracksListParams{Agents: []string{}}))
		checkEqual(t, "tracks of no agent", len(none), 0)

		// Put replaces the track on its key, clearing what the new one
		// leaves zero.
		demoted := store.AutonomyTrack{Agent: "a1", Kind: "suppress", Level: "approve", Streak: 0,
			LastUndoAt: at.Add(time.Hour), ChangedAt: at.Add(time.Hour), Reason: "undone by ana", UpdatedAt: at.Add(time.Hour)}
		if err := s.AutonomyTrackPut(ctx(t), &store.AutonomyTrackPutParams{Track: demoted}); err != nil {
			t.Fatal(err)
		}
		cleared := store.AutonomyTrack{Agent: "a1", Kind: "tag", UpdatedAt: at.Add(time.Hour)}
		if err := s.AutonomyTrackPut(ctx(t), &store.AutonomyTrackPutParams{Track: cleared}); err != nil {
			t.Fatal(err)
		}
		a1 := must[[]store.AutonomyTrack](t)(s.AutonomyTracksList(ctx(t), &store.AutonomyTracksListParams{Agents: []string{"a1"}}))
		checkEqual(t, "tracks of a1", trackKeys(a1), []string{"a1/suppress", "a1/tag"})
		checkTrack(t, a1[0], demoted)
		checkTrack(t, a1[1], cleared)

		if err := s.AutonomyTrackPut(ctx(t), &store.AutonomyTrackPutParams{Track: store.AutonomyTrack{Kind: "tag"}}); err == nil {
			t.Error("a track without an agent was accepted")
		}
	}},
	{"AutonomyTrackInTx", func(t *testing.T, s store.Store) {
		// A track written in a transaction that rolls back is not kept:
		// promotion and its audit entry are one unit.
		boom := errors.New("boom")
		err := s.InTx(ctx(t), func(ctx context.Context, q store.Queries) error {
			if err := q.AutonomyTrackPut(ctx, &store.AutonomyTrackPutParams{Track: store.AutonomyTrack{Agent: "a", Kind: "tag", Level: "auto"}}); err != nil {
				return err
			}
			got := must[[]store.AutonomyTrack](t)(q.AutonomyTracksList(ctx, &store.AutonomyTracksListParams{Agents: []string{"a"}}))
			checkEqual(t, "track seen inside the transaction", trackKeys(got), []string{"a/tag"})
			return boom
		})
		if !errors.Is(err, boom) {
			t.Fatalf("InTx err = %v", err)
		}
		got := must[[]store.AutonomyTrack](t)(s.AutonomyTracksList(ctx(t), &store.AutonomyTracksListParams{}))
		checkEqual(t, "tracks after rollback", len(got), 0)
	}},
	{"AgentChanges", func(t *testing.T, s store.Store) {
		day := date(2026, 5, 4)
		mk := func(id, agent string, status proposal.Status, at time.Time, radius int) proposal.Proposal {
			p := newProposal(id, agent, "k-"+id, status, at)
			p.BlastRadius = radius
			return p
		}
		insertProposals(t, s,
			mk("p1", "a1", proposal.StatusAllowed, day.Add(time.Hour), 100),
			mk("p2", "a1", proposal.StatusApproved, day.Add(2*time.Hour), 20),
			mk("p3", "a1", proposal.StatusExecuted, day.Add(3*time.Hour), 3),
			mk("p4", "a1", proposal.StatusFailed, day.Add(4*time.Hour), 4000),
			mk("p5", "a1", proposal.StatusExecuting, day, 500), // exactly at Since: counted
			// Not counted: never allowed to change anything, or undone.
			mk("p6", "a1", proposal.StatusPendingApproval, day.Add(time.Hour), 7),
			mk("p7", "a1", proposal.StatusRejected, day.Add(time.Hour), 7),
			mk("p8", "a1", proposal.StatusDenied, day.Add(time.Hour), 7),
			mk("p9", "a1", proposal.StatusUndone, day.Add(time.Hour), 7),
			mk("p10", "a1", proposal.StatusProposed, day.Add(time.Hour), 7),
			// Yesterday: outside the window.
			mk("p11", "a1", proposal.StatusExecuted, day.Add(-time.Microsecond), 9999),
			mk("p12", "b2", proposal.StatusExecuted, day.Add(5*time.Hour), 12),
			mk("p13", "c3", proposal.StatusPendingApproval, day.Add(5*time.Hour), 12),
		)
		got := must[map[string]int](t)(s.AgentChanges(ctx(t), &store.AgentChangesParams{Since: day}))
		checkEqual(t, "changes since midnight", got, map[string]int{"a1": 4623, "b2": 12})
		got = must[map[string]int](t)(s.AgentChanges(ctx(t), &store.AgentChangesParams{Agents: []string{"a1", "c3"}, Since: day}))
		checkEqual(t, "changes of a1 and c3", got, map[string]int{"a1": 4623})
		got = must[map[string]int](t)(s.AgentChanges(ctx(t), &store.AgentChangesParams{Agents: []string{"a1"}}))
		checkEqual(t, "changes of a1 ever", got, map[string]int{"a1": 4623 + 9999})
		got = must[map[string]int](t)(s.AgentChanges(ctx(t), &store.AgentChangesParams{Since: day.Add(24 * time.Hour)}))
		checkEqual(t, "changes tomorrow", len(got), 0)

		// The blast radius is kept with status changes: a proposal that
		// moves from pending to approved starts to count.
		must[*proposal.Proposal](t)(s.ProposalUpdate(ctx(t), &store.ProposalUpdateParams{ID: "p13",
			From: proposal.StatusPendingApproval, To: proposal.StatusApproved, At: day.Add(6 * time.Hour)}))
		got = must[map[string]int](t)(s.AgentChanges(ctx(t), &store.AgentChangesParams{Agents: []string{"c3"}, Since: day}))
		checkEqual(t, "changes of c3 after approval", got, map[string]int{"c3": 12})
	}},
	{"RecordsPerSystem", func(t *testing.T, s store.Store) {
		got := must[map[string]int](t)(s.RecordsPerSystem(ctx(t)))
		checkEqual(t, "records per system of an empty store", len(got), 0)
		var recs []foundation.Record
		for i := range 5 {
			recs = append(recs, foundation.Record{System: "crm", SystemID: fmt.Sprint("c", i), Email: fmt.Sprintf("p%d@x.test", i)})
		}
		for i := range 2 {
			recs = append(recs, foundation.Record{System: "esp", SystemID: fmt.Sprint("e", i), Email: fmt.Sprintf("p%d@x.test", i)})
		}
		mustWrite(t, 7)(s.RecordsUpsert(ctx(t), &store.RecordsUpsertParams{Records: recs}))
		got = must[map[string]int](t)(s.RecordsPerSystem(ctx(t)))
		checkEqual(t, "records per system", got, map[string]int{"crm": 5, "esp": 2})
	}},
	{"Settings", func(t *testing.T, s store.Store) {
		_, err := s.SettingGet(ctx(t), &store.SettingGetParams{Key: "execution.paused"})
		wantNotFound(t, "SettingGet of a key never set", err)
		at := time.Date(2026, 5, 4, 10, 0, 0, 987654321, time.UTC)
		v := json.RawMessage(`{"paused":true,"reason":"launch day","by":"ana"}`)
		if err := s.SettingSet(ctx(t), &store.SettingSetParams{Key: "execution.paused", Value: v, By: "ana", At: at}); err != nil {
			t.Fatal(err)
		}
		got := must[*store.Setting](t)(s.SettingGet(ctx(t), &store.SettingGetParams{Key: "execution.paused"}))
		checkEqual(t, "Key", got.Key, "execution.paused")
		checkEqual(t, "UpdatedBy", got.UpdatedBy, "ana")
		checkTime(t, "UpdatedAt", got.UpdatedAt, at)
		checkJSON(t, "Value", got.Value, v)
		v2 := json.RawMessage(`{"paused":false}`)
		if err := s.SettingSet(ctx(t), &store.SettingSetParams{Key: "execution.paused", Value: v2, By: "ben", At: at.Add(time.Minute)}); err != nil {
			t.Fatal(err)
		}
		got = must[*store.Setting](t)(s.SettingGet(ctx(t), &store.SettingGetParams{Key: "execution.paused"}))
		checkEqual(t, "UpdatedBy after a second write", got.UpdatedBy, "ben")
		checkJSON(t, "Value after a second write", got.Value, v2)
		if err := s.SettingSet(ctx(t), &store.SettingSetParams{Key: "x", Value: json.RawMessage(`{not json`)}); err == nil {
			t.Error("a setting that is not JSON was accepted")
		}
		// Inside a transaction, the new value is seen at once and kept on
		// commit.
		err = s.InTx(ctx(t), func(ctx context.Context, q store.Queries) error {
			if err := q.SettingSet(ctx, &store.SettingSetParams{Key: "k", Value: json.RawMessage(`[1,2]`), By: "c"}); err != nil {
				return err
			}
			in, err := q.SettingGet(ctx, &store.SettingGetParams{Key: "k"})
			if err != nil {
				return err
			}
			checkJSON(t, "value inside the transaction", in.Value, json.RawMessage(`[1,2]`))
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		checkJSON(t, "value after commit", must[*store.Setting](t)(s.SettingGet(ctx(t), &store.SettingGetParams{Key: "k"})).Value, json.RawMessage(`[1, 2]`))
	}},
}

func trackKeys(ts []store.AutonomyTrack) []string {
	return ids(ts, func(tr store.AutonomyTrack) string { return tr.Agent + "/" + tr.Kind })
}

// checkTrack compares a track read back with what was written.
func checkTrack(t *testing.T, got, want store.AutonomyTrack) {
	t.Helper()
	key := want.Agent + "/" + want.Kind
	checkTime(t, key+" LastUndoAt", got.LastUndoAt, want.LastUndoAt)
	checkTime(t, key+" ChangedAt", got.ChangedAt, want.ChangedAt)
	checkTime(t, key+" UpdatedAt", got.UpdatedAt, want.UpdatedAt)
	got.LastUndoAt, got.ChangedAt, got.UpdatedAt = time.Time{}, time.Time{}, time.Time{}
	want.LastUndoAt, want.ChangedAt, want.UpdatedAt = time.Time{}, time.Time{}, time.Time{}
	checkEqual(t, key, got, want)
}
