package storetest

import (
	"bytes"
	"context"
	"errors"
	"testing"
	"time"

	"github.com/towerops/tower/internal/foundation"
	"github.com/towerops/tower/internal/proposal"
	"github.com/towerops/tower/internal/store"
)

func execution(proposalID string, action int, at time.Time) store.Execution {
	return store.Execution{Key: proposal.ActionKey(proposalID, action), ProposalID: proposalID, Action: action,
		Kind: proposal.Suppress, Actor: "autonomy:auto", Result: "suppressed 2 records",
		Undo: []byte(`{"records":["crm:c1","esp:e:7"]}`), ExecutedAt: at}
}

func checkExecution(t *testing.T, got *store.Execution, want store.Execution) {
	t.Helper()
	checkTime(t, want.Key+" ExecutedAt", got.ExecutedAt, want.ExecutedAt)
	checkTime(t, want.Key+" UndoneAt", got.UndoneAt, want.UndoneAt)
	if !bytes.Equal(got.Undo, want.Undo) {
		t.Errorf("%s Undo = %q, want %q", want.Key, got.Undo, want.Undo)
	}
	g := *got
	g.ExecutedAt, g.UndoneAt, g.Undo, want.ExecutedAt, want.UndoneAt, want.Undo = time.Time{}, time.Time{}, nil, time.Time{}, time.Time{}, nil
	checkEqual(t, "execution "+want.Key, g, want)
}

var executionTests = []test{
	{"ExecutionsRecordGetList", func(t *testing.T, s store.Store) {
		at := time.Date(2025, 7, 1, 10, 0, 0, 999999999, time.UTC)
		e0, e1 := execution("p_1", 0, at), execution("p_1", 1, at.Add(time.Second))
		e1.Undo, e1.Kind, e1.Actor = nil, proposal.Notify, "user:maria"
		other := execution("p_2", 0, at)
		for _, e := range []store.Execution{e1, other, e0} {
			if err := s.ExecutionRecord(ctx(t), &store.ExecutionRecordParams{Execution: e}); err != nil {
				t.Fatalf("record %s: %v", e.Key, err)
			}
		}
		checkExecution(t, must[*store.Execution](t)(s.ExecutionGet(ctx(t), &store.ExecutionGetParams{Key: "p_1/0"})), e0)
		list := must[[]store.Execution](t)(s.ExecutionsList(ctx(t), &store.ExecutionsListParams{ProposalID: "p_1"}))
		checkEqual(t, "list", ids(list, func(e store.Execution) string { return e.Key }), []string{"p_1/0", "p_1/1"})
		checkExecution(t, &list[1], e1)
		_, err := s.ExecutionGet(ctx(t), &store.ExecutionGetParams{Key: "p_1/9"})
		wantNotFound(t, "ExecutionGet(p_1/9)", err)

		// The same key again is refused and the first record kept.
		dup := e0
		dup.Result = "suppressed again"
		err = s.ExecutionRecord(ctx(t), &store.ExecutionRecordParams{Execution: dup})
		if !errors.Is(err, store.ErrConflict) {
			t.Errorf("duplicate key: err = %v, want store.ErrConflict", err)
		}
		checkExecution(t, must[*store.Execution](t)(s.ExecutionGet(ctx(t), &store.ExecutionGetParams{Key: "p_1/0"})), e0)

		// Undone once.
		undoAt := at.Add(time.Hour)
		if err := s.ExecutionUndone(ctx(t), &store.ExecutionUndoneParams{Key: "p_1/0", At: undoAt, By: "user:li"}); err != nil {
			t.Fatal(err)
		}
		want := e0
		want.UndoneAt, want.UndoneBy = undoAt, "user:li"
		checkExecution(t, must[*store.Execution](t)(s.ExecutionGet(ctx(t), &store.ExecutionGetParams{Key: "p_1/0"})), want)
		err = s.ExecutionUndone(ctx(t), &store.ExecutionUndoneParams{Key: "p_1/0", At: undoAt.Add(time.Hour), By: "user:bo"})
		if !errors.Is(err, store.ErrConflict) {
			t.Errorf("second undo: err = %v, want store.ErrConflict", err)
		}
		checkExecution(t, must[*store.Execution](t)(s.ExecutionGet(ctx(t), &store.ExecutionGetParams{Key: "p_1/0"})), want)
		err = s.ExecutionUndone(ctx(t), &store.ExecutionUndoneParams{Key: "p_9/0", By: "user:bo"})
		wantNotFound(t, "ExecutionUndone(p_9/0)", err)
	}},
	// An effect and its execution record commit together or not at all:
	// recording a key twice fails the transaction, effect included.
	{"ExecutionDuplicateFailsTx", func(t *testing.T, s store.Store) {
		at := date(2025, 7, 1)
		if err := s.ExecutionRecord(ctx(t), &store.ExecutionRecordParams{Execution: execution("p_1", 0, at)}); err != nil {
			t.Fatal(err)
		}
		err := s.InTx(ctx(t), func(ctx context.Context, q store.Queries) error {
			// The "effect": a suppression written by the executor.
			if _, err := q.OwnersUpsert(ctx, &store.OwnersUpsertParams{Owners: []foundation.Owner{{ID: "O-1", Name: "effect"}}}); err != nil {
				return err
			}
			if err := q.ExecutionRecord(ctx, &store.ExecutionRecordParams{Execution: execution("p_1", 1, at)}); err != nil {
				return err
			}
			if err := q.ExecutionRecord(ctx, &store.ExecutionRecordParams{Execution: execution("p_1", 0, at)}); !errors.Is(err, store.ErrConflict) {
				t.Errorf("duplicate inside InTx: err = %v, want store.ErrConflict", err)
			}
			if err := q.ExecutionRecord(ctx, &store.ExecutionRecordParams{Execution: execution("p_1", 2, at)}); !errors.Is(err, store.ErrTxFailed) {
				t.Errorf("write after the duplicate: err = %v, want store.ErrTxFailed", err)
			}
			return nil // carrying on must not commit
		})
		if !errors.Is(err, store.ErrTxFailed) {
			t.Fatalf("InTx err = %v, want ErrTxFailed", err)
		}
		checkEqual(t, "owners after the failed tx", counts(t, s).Owners, int64(0))
		list := must[[]store.Execution](t)(s.ExecutionsList(ctx(t), &store.ExecutionsListParams{ProposalID: "p_1"}))
		checkEqual(t, "executions after the failed tx", ids(list, func(e store.Execution) string { return e.Key }), []string{"p_1/0"})
	}},
	{"RuntimeWritesInTxCommit", func(t *testing.T, s store.Store) {
		at := date(2025, 7, 2)
		insertProposals(t, s, newProposal("p_1", "a1", "k1", proposal.StatusAllowed, at))
		err := s.InTx(ctx(t), func(ctx context.Context, q store.Queries) error {
			if _, err := q.ProposalUpdate(ctx, &store.ProposalUpdateParams{ID: "p_1", From: proposal.StatusAllowed,
				To: proposal.StatusExecuting, At: at}); err != nil {
				return err
			}
			if err := q.ExecutionRecord(ctx, &store.ExecutionRecordParams{Execution: execution("p_1", 0, at)}); err != nil {
				return err
			}
			_, err := q.ProposalUpdate(ctx, &store.ProposalUpdateParams{ID: "p_1", From: proposal.StatusExecuting,
				To: proposal.StatusExecuted, At: at})
			return err
		})
		if err != nil {
			t.Fatalf("InTx: %v", err)
		}
		got := must[*proposal.Proposal](t)(s.ProposalGet(ctx(t), &store.ProposalGetParams{ID: "p_1"}))
		checkEqual(t, "status", got.Status, proposal.StatusExecuted)
		must[*store.Execution](t)(s.ExecutionGet(ctx(t), &store.ExecutionGetParams{Key: "p_1/0"}))
	}},
}

var runTests = []test{
	{"RunsInsertList", func(t *testing.T, s store.Store) {
		base := time.Date(2025, 8, 1, 6, 0, 0, 500, time.UTC)
		runs := []store.Run{
			{ID: "r1", Skill: "suppression-sync", Trigger: "schedule", Agents: 120, Proposals: 40, Skipped: 3,
				StartedAt: base, FinishedAt: base.Add(2 * time.Second)},
			{ID: "r2", Skill: "campaign-watch", Trigger: "event:Order Completed", Agents: 5, Error: "campaign C-9 not found",
				StartedAt: base.Add(time.Minute)},
			{ID: "r3", Skill: "suppression-sync", Trigger: "manual", Agents: 120, Proposals: 1,
				StartedAt: base.Add(2 * time.Minute), FinishedAt: base.Add(3 * time.Minute)},
		}
		if err := s.RunsInsert(ctx(t), &store.RunsInsertParams{Runs: runs}); err != nil {
			t.Fatal(err)
		}
		got := must[[]store.Run](t)(s.RunsList(ctx(t), &store.RunsListParams{}))
		checkEqual(t, "order", ids(got, func(r store.Run) string { return r.ID }), []string{"r3", "r2", "r1"})
		for i, w := range []store.Run{runs[2], runs[1], runs[0]} {
			checkTime(t, w.ID+" StartedAt", got[i].StartedAt, w.StartedAt)
			checkTime(t, w.ID+" FinishedAt", got[i].FinishedAt, w.FinishedAt)
			g := got[i]
			g.StartedAt, g.FinishedAt, w.StartedAt, w.FinishedAt = time.Time{}, time.Time{}, time.Time{}, time.Time{}
			checkEqual(t, "run", g, w)
		}
		got = must[[]store.Run](t)(s.RunsList(ctx(t), &store.RunsListParams{Skill: "suppression-sync", Page: store.Page{Limit: 1}}))
		checkEqual(t, "filtered page", ids(got, func(r store.Run) string { return r.ID }), []string{"r3"})
	}},
}
