package storetest

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/towerops/tower/internal/foundation"
	"github.com/towerops/tower/internal/store"
)

// mustWrite fails the test unless a batch was written whole: no error, no
// rejection, and want rows written.
func mustWrite(t *testing.T, want int) func(*store.UpsertResult, error) {
	t.Helper()
	return func(res *store.UpsertResult, err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("write: %v", err)
		}
		if res == nil {
			t.Fatalf("write returned a nil result")
		}
		if len(res.Rejected) != 0 {
			t.Fatalf("write rejected rows: %+v", res.Rejected)
		}
		if res.Written != want {
			t.Fatalf("Written = %d, want %d", res.Written, want)
		}
	}
}

// checkRejected asserts a batch wrote written rows and rejected exactly the
// given rows, each for the given field with a reason quoting the value.
func checkRejected(t *testing.T, res *store.UpsertResult, err error, written int, want ...store.Rejection) {
	t.Helper()
	if err != nil {
		t.Fatalf("write: %v", err)
	}
	if res.Written != written {
		t.Errorf("Written = %d, want %d", res.Written, written)
	}
	if len(res.Rejected) != len(want) {
		t.Fatalf("Rejected = %+v, want %d rejections %+v", res.Rejected, len(want), want)
	}
	got := slices.Clone(res.Rejected)
	slices.SortFunc(got, func(a, b store.Rejection) int { return a.Index - b.Index })
	for i, w := range want {
		g := got[i]
		if g.Index != w.Index || g.Field != w.Field {
			t.Errorf("rejection %d = {Index:%d Field:%q}, want {Index:%d Field:%q}", i, g.Index, g.Field, w.Index, w.Field)
		}
		// w.Reason holds the value the reason must quote.
		if g.Reason == "" || !strings.Contains(g.Reason, w.Reason) {
			t.Errorf("rejection %d reason %q does not name %q", i, g.Reason, w.Reason)
		}
	}
}

// must fails the test on err and returns v.
func must[T any](t *testing.T) func(v T, err error) T {
	t.Helper()
	return func(v T, err error) T {
		t.Helper()
		if err != nil {
			t.Fatalf("unexpected error: %v", err)
		}
		return v
	}
}

// wantNotFound asserts err wraps store.ErrNotFound.
func wantNotFound(t *testing.T, what string, err error) {
	t.Helper()
	if !errors.Is(err, store.ErrNotFound) {
		t.Errorf("%s: err = %v, want store.ErrNotFound", what, err)
	}
}

// counts reads Counts or fails.
func counts(t *testing.T, q store.Reader) store.Counts {
	t.Helper()
	c, err := q.Counts(ctx(t))
	if err != nil {
		t.Fatalf("Counts: %v", err)
	}
	return *c
}

// µs is the precision every backend keeps.
func µs(tm time.Time) time.Time { return tm.UTC().Truncate(time.Microsecond) }

// checkTime asserts got is want in UTC at microsecond precision (zero stays zero).
func checkTime(t *testing.T, field string, got, want time.Time) {
	t.Helper()
	if want.IsZero() {
		if !got.IsZero() {
			t.Errorf("%s = %v, want zero time", field, got)
		}
		return
	}
	if !got.Equal(µs(want)) {
		t.Errorf("%s = %v, want %v", field, got, µs(want))
	}
	if got.Location() != time.UTC {
		t.Errorf("%s location = %v, want UTC", field, got.Location())
	}
}

// date is UTC midnight of y-m-d.
func date(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// normTraits decodes traits the way a store returns them: through JSON.
func normTraits(t *testing.T, tr foundation.Traits) map[string]any {
	t.Helper()
	if len(tr) == 0 {
		return nil
	}
	b, err := json.Marshal(tr)
	if err != nil {
		t.Fatalf("marshal traits: %v", err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatalf("unmarshal traits: %v", err)
	}
	return m
}

// checkTraits asserts traits round-tripped (nil and empty are equal).
func checkTraits(t *testing.T, field string, got, want foundation.Traits) {
	t.Helper()
	g, w := normTraits(t, got), normTraits(t, want)
	if !reflect.DeepEqual(g, w) {
		t.Errorf("%s = %#v, want %#v", field, g, w)
	}
}

// checkJSON asserts two raw JSON values are equivalent; empty equals empty only.
func checkJSON(t *testing.T, field string, got, want json.RawMessage) {
	t.Helper()
	if len(bytes.TrimSpace(want)) == 0 {
		if len(bytes.TrimSpace(got)) != 0 {
			t.Errorf("%s = %s, want empty", field, got)
		}
		return
	}
	var g, w any
	if err := json.Unmarshal(got, &g); err != nil {
		t.Errorf("%s = %q: not JSON: %v", field, got, err)
		return
	}
	if err := json.Unmarshal(want, &w); err != nil {
		t.Fatalf("%s: bad fixture: %v", field, err)
	}
	if !reflect.DeepEqual(g, w) {
		t.Errorf("%s = %s, want %s", field, got, want)
	}
}

// checkEqual compares two plain values with a readable message.
func checkEqual[T any](t *testing.T, field string, got, want T) {
	t.Helper()
	if !reflect.DeepEqual(got, want) {
		t.Errorf("%s = %+v, want %+v", field, got, want)
	}
}

// ids maps rows to a key for order assertions.
func ids[T any](rows []T, key func(T) string) []string {
	out := make([]string, len(rows))
	for i, r := range rows {
		out[i] = key(r)
	}
	return out
}

// seq returns prefix-001 … prefix-n, zero-padded so byte and collation order agree.
func seq(prefix string, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("%s-%03d", prefix, i+1)
	}
	return out
}
