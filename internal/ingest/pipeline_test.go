package ingest

import (
	"context"
	"errors"
	"testing"
)

// fillBatches is a read function sending n batches of one row each,
// numbered in their line, and counting how many it sent.
func fillBatches(n int, sent *int, failAt int) func(context.Context, *batch[int], func(*batch[int]) (*batch[int], bool)) error {
	return func(ctx context.Context, b *batch[int], send func(*batch[int]) (*batch[int], bool)) error {
		for i := range n {
			if i == failAt {
				return errors.New("read failed")
			}
			b.add(i, int64(i), nil)
			var ok bool
			if b, ok = send(b); !ok {
				return ctx.Err()
			}
			*sent++
		}
		return nil
	}
}

func TestPipelineWritesInOrder(t *testing.T) {
	var got []int
	sent := 0
	err := pipeline(t.Context(), fillBatches(50, &sent, -1), func(b *batch[int]) error {
		if len(b.items) != 1 {
			t.Fatalf("batch of %d items", len(b.items))
		}
		got = append(got, b.items[0])
		return nil
	})
	if err != nil || len(got) != 50 {
		t.Fatalf("err %v, %d batches written", err, len(got))
	}
	for i, v := range got {
		if v != i {
			t.Fatalf("batch %d holds %d: out of order", i, v)
		}
	}
}

func TestPipelineWriteErrorStopsReading(t *testing.T) {
	sent, writes := 0, 0
	boom := errors.New("disk full")
	err := pipeline(t.Context(), fillBatches(1000, &sent, -1), func(b *batch[int]) error {
		writes++
		if writes == 3 {
			return boom
		}
		return nil
	})
	if !errors.Is(err, boom) {
		t.Fatalf("err = %v, want the write error", err)
	}
	if sent > 5 {
		t.Errorf("reading went on for %d batches after the write failed", sent)
	}
	if writes != 3 {
		t.Errorf("write called %d times after failing", writes)
	}
}

func TestPipelineReadError(t *testing.T) {
	sent, writes := 0, 0
	err := pipeline(t.Context(), fillBatches(10, &sent, 4), func(b *batch[int]) error { writes++; return nil })
	if err == nil || err.Error() != "read failed" || writes != 4 {
		t.Fatalf("err = %v after %d writes; want the read error after 4", err, writes)
	}
}
