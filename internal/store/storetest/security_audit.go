package storetest

import (
	"bytes"
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/towerops/tower/internal/audit"
	"github.com/towerops/tower/internal/store"
)

var auditTests = []test{
	{"AuditAppendInOneTx", testAuditAppendInTx},
	{"AuditRollbackLeavesNoGap", testAuditRollbackNoGap},
	{"AuditConcurrentAppendsOneChain", testAuditConcurrent},
	{"AuditListPaging", testAuditListPaging},
}

// appendEntries appends n entries through q, numbered from first.
func appendEntries(ctx context.Context, q store.Queries, actor string, first, n int, at time.Time) ([]store.AuditEntry, error) {
	es := make([]store.AuditEntry, n)
	for i := range es {
		es[i] = store.AuditEntry{At: at.Add(time.Duration(i) * time.Second), Actor: actor, Action: "test.step",
			Subject: fmt.Sprintf("step:%d", first+i), Data: []byte(fmt.Sprintf(`{"z":1, "a":[%d]}`, first+i))}
	}
	return q.AuditAppend(ctx, &store.AuditAppendParams{Entries: es, Hash: audit.Hash})
}

// checkChain asserts the whole log is one chain: Seq 1..n without gaps,
// each PrevHash the previous Hash, each Hash recomputable.
func checkChain(t *testing.T, s store.Store, want int) []store.AuditEntry {
	t.Helper()
	all := must[[]store.AuditEntry](t)(s.AuditList(ctx(t), &store.AuditListParams{Limit: 100000}))
	if len(all) != want {
		t.Fatalf("audit log has %d entries, want %d", len(all), want)
	}
	var prev []byte
	for i, e := range all {
		if e.Seq != int64(i+1) {
			t.Fatalf("entry %d has Seq %d, want %d (no gaps, no repeats)", i, e.Seq, i+1)
		}
		if !bytes.Equal(e.PrevHash, prev) {
			t.Fatalf("entry %d PrevHash %x, want the previous Hash %x", e.Seq, e.PrevHash, prev)
		}
		if h := audit.Hash(prev, e); !bytes.Equal(h, e.Hash) {
			t.Fatalf("entry %d Hash %x, recomputed %x: stored fields differ from hashed ones", e.Seq, e.Hash, h)
		}
		prev = e.Hash
	}
	return all
}

func testAuditAppendInTx(t *testing.T, s store.Store) {
	at := time.Date(2026, 6, 1, 12, 0, 0, 123456789, time.UTC)
	var appended []store.AuditEntry
	err := s.InTx(ctx(t), func(ctx context.Context, q store.Queries) error {
		a, err := appendEntries(ctx, q, "user:ana", 1, 2, at)
		if err != nil {
			return err
		}
		b, err := appendEntries(ctx, q, "user:ana", 3, 1, at)
		appended = append(a, b...)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	all := checkChain(t, s, 3)
	for i, e := range all {
		a := appended[i]
		if e.Seq != a.Seq || !bytes.Equal(e.Hash, a.Hash) || !bytes.Equal(e.PrevHash, a.PrevHash) {
			t.Errorf("entry %d read back differs from what AuditAppend returned", e.Seq)
		}
		// Data is stored byte for byte (the space and key order survive).
		checkEqual(t, "Data", string(e.Data), fmt.Sprintf(`{"z":1, "a":[%d]}`, i+1))
		checkEqual(t, "Actor/Action/Subject", [3]string{e.Actor, e.Action, e.Subject},
			[3]string{"user:ana", "test.step", fmt.Sprintf("step:%d", i+1)})
	}
	checkTime(t, "At", all[0].At, at)
	if !all[0].At.Equal(appended[0].At) {
		t.Errorf("At read back %v, returned %v", all[0].At, appended[0].At)
	}
}

func testAuditRollbackNoGap(t *testing.T, s store.Store) {
	at := time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)
	if _, err := appendEntries(ctx(t), s, "system", 1, 2, at); err != nil {
		t.Fatal(err)
	}
	err := s.InTx(ctx(t), func(ctx context.Context, q store.Queries) error {
		if _, err := appendEntries(ctx, q, "system", 3, 2, at); err != nil {
			return err
		}
		return errBoom
	})
	if err != errBoom {
		t.Fatalf("InTx = %v, want errBoom", err)
	}
	if _, err := appendEntries(ctx(t), s, "system", 3, 1, at); err != nil {
		t.Fatal(err)
	}
	checkChain(t, s, 3)
}

// testAuditConcurrent appends from several transactions at once; the log
// must stay one chain with no gaps and no forks.
func testAuditConcurrent(t *testing.T, s store.Store) {
	const writers, txs, per = 4, 5, 3
	at := time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)
	var wg sync.WaitGroup
	errs := make(chan error, writers*txs)
	for w := range writers {
		wg.Go(func() {
			for i := range txs {
				errs <- s.InTx(ctx(t), func(ctx context.Context, q store.Queries) error {
					_, err := appendEntries(ctx, q, fmt.Sprintf("agent:w%d", w), i*per, per, at)
					return err
				})
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	all := checkChain(t, s, writers*txs*per)
	// Entries of one transaction are contiguous.
	for i := 0; i < len(all); i += per {
		for j := i + 1; j < i+per; j++ {
			if all[j].Actor != all[i].Actor {
				t.Fatalf("entries %d and %d come from different transactions inside one append", all[i].Seq, all[j].Seq)
			}
		}
	}
}

func testAuditListPaging(t *testing.T, s store.Store) {
	at := time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)
	if _, err := appendEntries(ctx(t), s, "system", 1, 10, at); err != nil {
		t.Fatal(err)
	}
	seqs := func(es []store.AuditEntry) []int64 {
		out := make([]int64, len(es))
		for i, e := range es {
			out[i] = e.Seq
		}
		return out
	}
	page := must[[]store.AuditEntry](t)(s.AuditList(ctx(t), &store.AuditListParams{AfterSeq: 3, Limit: 4}))
	checkEqual(t, "AfterSeq 3 Limit 4", seqs(page), []int64{4, 5, 6, 7})
	since := must[[]store.AuditEntry](t)(s.AuditList(ctx(t), &store.AuditListParams{Since: at.Add(7 * time.Second)}))
	checkEqual(t, "Since +7s", seqs(since), []int64{8, 9, 10})
	both := must[[]store.AuditEntry](t)(s.AuditList(ctx(t), &store.AuditListParams{Since: at.Add(2 * time.Second), AfterSeq: 8}))
	checkEqual(t, "Since +2s after 8", seqs(both), []int64{9, 10})
	all := must[[]store.AuditEntry](t)(s.AuditList(ctx(t), &store.AuditListParams{}))
	checkEqual(t, "default limit returns all 10", len(all), 10)
}
