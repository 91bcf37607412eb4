package storetest

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/towerops/tower/internal/proposal"
	"github.com/towerops/tower/internal/store"
)

// measureTests check store.Measure: outcomes on their proposal id, and
// the executions of many proposals at once.
var measureTests = []test{
	{"OutcomesUpsertReplaces", func(t *testing.T, s store.Store) {
		at := time.Date(2025, 9, 8, 7, 6, 5, 432198765, time.UTC)
		a := store.Outcome{ProposalID: "p_a", MeasuredAt: at, Share: 0.625, Method: "seats now 12 of 16 cut to 10",
			Value: proposal.Value{SavingsUSD: 937.5, HoursSaved: 0.125, Conversions: 3, PipelineUSD: 12000.25,
				Assumptions: []string{"6 idle seats × $25 × 12", "measured 14 days after the cut"}}}
		b := store.Outcome{ProposalID: "p_b", MeasuredAt: at.Add(time.Hour), Share: 0, Method: "undone"}
		if err := s.OutcomesUpsert(ctx(t), &store.OutcomesUpsertParams{Outcomes: []store.Outcome{b, a}}); err != nil {
			t.Fatal(err)
		}
		got := must[[]store.Outcome](t)(s.OutcomesList(ctx(t), &store.OutcomesListParams{}))
		checkOutcomes(t, "first write", got, []store.Outcome{a, b})

		// Measuring again replaces; within one batch the later outcome wins.
		a2 := store.Outcome{ProposalID: "p_a", MeasuredAt: at.Add(24 * time.Hour), Share: 1, Method: "all in place",
			Value: proposal.Value{SavingsUSD: 1500}}
		stale := a2
		stale.Share, stale.Method = 0.5, "stale"
		if err := s.OutcomesUpsert(ctx(t), &store.OutcomesUpsertParams{Outcomes: []store.Outcome{stale, a2}}); err != nil {
			t.Fatal(err)
		}
		got = must[[]store.Outcome](t)(s.OutcomesList(ctx(t), &store.OutcomesListParams{}))
		checkOutcomes(t, "after replacing p_a", got, []store.Outcome{a2, b})

		// A zero MeasuredAt is now.
		before := time.Now().Add(-time.Second)
		c := store.Outcome{ProposalID: "p_c", Share: 1}
		if err := s.OutcomesUpsert(ctx(t), &store.OutcomesUpsertParams{Outcomes: []store.Outcome{c}}); err != nil {
			t.Fatal(err)
		}
		got = must[[]store.Outcome](t)(s.OutcomesList(ctx(t), &store.OutcomesListParams{ProposalIDs: []string{"p_c"}}))
		if len(got) != 1 || got[0].MeasuredAt.Before(before) || got[0].MeasuredAt.After(time.Now()) {
			t.Errorf("outcome with zero MeasuredAt = %+v, want measured now", got)
		}
	}},
	{"OutcomesRefused", func(t *testing.T, s store.Store) {
		for _, o := range []store.Outcome{{Share: 1}, {ProposalID: "p_1", Share: 1.5}, {ProposalID: "p_1", Share: -0.1}} {
			err := s.OutcomesUpsert(ctx(t), &store.OutcomesUpsertParams{Outcomes: []store.Outcome{{ProposalID: "p_ok", Share: 1}, o}})
			if err == nil {
				t.Errorf("outcome %+v was accepted", o)
			}
		}
		checkEqual(t, "outcomes after refusals", len(must[[]store.Outcome](t)(s.OutcomesList(ctx(t), &store.OutcomesListParams{}))), 0)
	}},
	{"OutcomesListByIDsAndSince", func(t *testing.T, s store.Store) {
		day := date(2025, 10, 1)
		var os []store.Outcome
		for i, id := range []string{"p_d", "p_b", "p_a", "p_c"} {
			os = append(os, store.Outcome{ProposalID: id, MeasuredAt: day.AddDate(0, 0, i), Share: 1})
		}
		if err := s.OutcomesUpsert(ctx(t), &store.OutcomesUpsertParams{Outcomes: os}); err != nil {
			t.Fatal(err)
		}
		key := func(o store.Outcome) string { return o.ProposalID }
		list := func(p store.OutcomesListParams) []string {
			return ids(must[[]store.Outcome](t)(s.OutcomesList(ctx(t), &p)), key)
		}
		checkEqual(t, "by ids", list(store.OutcomesListParams{ProposalIDs: []string{"p_c", "p_x", "p_a", "p_c"}}), []string{"p_a", "p_c"})
		// p_d day 0, p_b day 1, p_a day 2, p_c day 3: since day 1 (inclusive).
		checkEqual(t, "since", list(store.OutcomesListParams{Since: day.AddDate(0, 0, 1)}), []string{"p_a", "p_b", "p_c"})
		checkEqual(t, "since and ids", list(store.OutcomesListParams{Since: day.AddDate(0, 0, 2),
			ProposalIDs: []string{"p_b", "p_c", "p_d"}}), []string{"p_c"})
		checkEqual(t, "unknown only", list(store.OutcomesListParams{ProposalIDs: []string{"p_zz"}}), []string{})
	}},
	// More ids than one query carries on either backend still come back
	// whole and in order.
	{"OutcomesListManyIDs", func(t *testing.T, s store.Store) {
		const n = 5003
		os := make([]store.Outcome, n)
		want := make([]string, n)
		at := date(2025, 11, 1)
		for i := range os {
			id := fmt.Sprintf("p_%d", n-i) // unpadded, so byte order differs from number order
			os[i], want[i] = store.Outcome{ProposalID: id, MeasuredAt: at, Share: 1}, id
		}
		if err := s.OutcomesUpsert(ctx(t), &store.OutcomesUpsertParams{Outcomes: os}); err != nil {
			t.Fatal(err)
		}
		slices.Sort(want)
		got := must[[]store.Outcome](t)(s.OutcomesList(ctx(t), &store.OutcomesListParams{ProposalIDs: append(want[1:], "p_none")}))
		checkEqual(t, "many ids", ids(got, func(o store.Outcome) string { return o.ProposalID }), want[1:])
	}},
	{"OutcomesInTx", func(t *testing.T, s store.Store) {
		good := store.Outcome{ProposalID: "p_1", MeasuredAt: date(2025, 9, 1), Share: 0.5}
		// Refused outcomes leave the transaction usable; it commits.
		err := s.InTx(ctx(t), func(ctx context.Context, q store.Queries) error {
			if err := q.OutcomesUpsert(ctx, &store.OutcomesUpsertParams{Outcomes: []store.Outcome{{ProposalID: "p_2", Share: 2}}}); err == nil {
				t.Error("share 2 accepted inside InTx")
			}
			return q.OutcomesUpsert(ctx, &store.OutcomesUpsertParams{Outcomes: []store.Outcome{good}})
		})
		if err != nil {
			t.Fatalf("InTx: %v", err)
		}
		checkOutcomes(t, "committed", must[[]store.Outcome](t)(s.OutcomesList(ctx(t), &store.OutcomesListParams{})),
			[]store.Outcome{good})
		// A transaction that fails takes its outcomes with it.
		err = s.InTx(ctx(t), func(ctx context.Context, q store.Queries) error {
			if err := q.OutcomesUpsert(ctx, &store.OutcomesUpsertParams{Outcomes: []store.Outcome{{ProposalID: "p_3", Share: 1}}}); err != nil {
				return err
			}
			return errBoom
		})
		if !errors.Is(err, errBoom) {
			t.Fatalf("InTx err = %v, want errBoom", err)
		}
		checkEqual(t, "after rollback", ids(must[[]store.Outcome](t)(s.OutcomesList(ctx(t), &store.OutcomesListParams{})),
			func(o store.Outcome) string { return o.ProposalID }), []string{"p_1"})
		// After a failed write, the outcome write returns ErrTxFailed.
		err = s.InTx(ctx(t), func(ctx context.Context, q store.Queries) error {
			if err := q.ExecutionRecord(ctx, &store.ExecutionRecordParams{Execution: store.Execution{}}); err == nil {
				t.Error("an execution without a key was recorded")
			}
			if err := q.ExecutionRecord(ctx, &store.ExecutionRecordParams{Execution: execution("p_1", 0, date(2025, 9, 1))}); err != nil {
				return err
			}
			if err := q.ExecutionRecord(ctx, &store.ExecutionRecordParams{Execution: execution("p_1", 0, date(2025, 9, 1))}); !errors.Is(err, store.ErrConflict) {
				t.Errorf("duplicate execution: err = %v, want ErrConflict", err)
			}
			err := q.OutcomesUpsert(ctx, &store.OutcomesUpsertParams{Outcomes: []store.Outcome{{ProposalID: "p_4", Share: 1}}})
			if !errors.Is(err, store.ErrTxFailed) {
				t.Errorf("outcome after a failed write: err = %v, want ErrTxFailed", err)
			}
			return nil
		})
		if !errors.Is(err, store.ErrTxFailed) {
			t.Fatalf("InTx err = %v, want ErrTxFailed", err)
		}
		checkEqual(t, "after the failed tx", ids(must[[]store.Outcome](t)(s.OutcomesList(ctx(t), &store.OutcomesListParams{})),
			func(o store.Outcome) string { return o.ProposalID }), []string{"p_1"})
	}},
	{"ExecutionsOf", func(t *testing.T, s store.Store) {
		at := time.Date(2025, 7, 1, 10, 0, 0, 123456789, time.UTC)
		b1, a1, b0, a0, c0 := execution("p_b", 1, at), execution("p_a", 1, at.Add(time.Minute)), execution("p_b", 0, at),
			execution("p_a", 0, at.Add(2*time.Minute)), execution("p_c", 0, at)
		a1.Kind, a1.Undo, a1.Actor, a1.Result = proposal.CutLicenseSeats, []byte(`[{"before":"16"}]`), "user:maria", "cut"
		for _, e := range []store.Execution{b1, a1, c0, b0, a0} {
			if err := s.ExecutionRecord(ctx(t), &store.ExecutionRecordParams{Execution: e}); err != nil {
				t.Fatalf("record %s: %v", e.Key, err)
			}
		}
		undoAt := at.Add(time.Hour)
		if err := s.ExecutionUndone(ctx(t), &store.ExecutionUndoneParams{Key: b0.Key, At: undoAt, By: "user:li"}); err != nil {
			t.Fatal(err)
		}
		b0.UndoneAt, b0.UndoneBy = undoAt, "user:li"
		got := must[[]store.Execution](t)(s.ExecutionsOf(ctx(t), &store.ExecutionsOfParams{
			ProposalIDs: []string{"p_b", "p_x", "p_a", "p_b"}}))
		want := []store.Execution{a0, a1, b0, b1}
		checkEqual(t, "order", ids(got, func(e store.Execution) string { return e.Key }),
			ids(want, func(e store.Execution) string { return e.Key }))
		if len(got) == len(want) {
			for i := range want {
				checkExecution(t, &got[i], want[i])
			}
		}
		checkEqual(t, "no ids", len(must[[]store.Execution](t)(s.ExecutionsOf(ctx(t), &store.ExecutionsOfParams{}))), 0)
		checkEqual(t, "unknown ids", len(must[[]store.Execution](t)(s.ExecutionsOf(ctx(t),
			&store.ExecutionsOfParams{ProposalIDs: []string{"p_y", "p_z"}}))), 0)
	}},
}

// checkOutcomes compares outcomes, times at the precision stores keep.
func checkOutcomes(t *testing.T, what string, got, want []store.Outcome) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: %d outcomes %+v, want %d", what, len(got), got, len(want))
	}
	for i, w := range want {
		checkTime(t, what+" "+w.ProposalID+" MeasuredAt", got[i].MeasuredAt, w.MeasuredAt)
		g := got[i]
		g.MeasuredAt, w.MeasuredAt = time.Time{}, time.Time{}
		checkEqual(t, what+" outcome", g, w)
	}
}
