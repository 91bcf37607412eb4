package connecttest

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/towerops/tower/internal/connect"
	"github.com/towerops/tower/internal/foundation"
	"github.com/towerops/tower/internal/store"
	"github.com/towerops/tower/internal/store/eachbackend"
)

// Start is the suite's clock origin.
var Start = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

// Run runs the whole suite against tg.
func Run(t *testing.T, tg Target) {
	t.Run("pull pages through every record", func(t *testing.T) { testPull(t, tg) })
	t.Run("push lands each change", func(t *testing.T) { testPush(t, tg) })
	t.Run("a change pushed twice lands once", func(t *testing.T) { testTwice(t, tg) })
	t.Run("one bad record fails alone", func(t *testing.T) { testPartial(t, tg) })
	if !tg.Faults {
		return
	}
	t.Run("429 is retryable with its Retry-After", func(t *testing.T) { testRateLimit(t, tg) })
	t.Run("5xx and lost answers are retryable", func(t *testing.T) { testServerErrors(t, tg) })
	t.Run("pull waits out a rate limit", func(t *testing.T) { testPullRateLimit(t, tg) })
	t.Run("ten minutes down: every change delivered exactly once", func(t *testing.T) { testOutage(t, tg) })
}

func open(t *testing.T, tg Target, batch int) (Fake, *Clock, connect.Connector) {
	t.Helper()
	clock := NewClock(Start)
	fake := tg.New(clock)
	t.Cleanup(fake.Close)
	c, err := tg.Open(fake, clock, batch)
	if err != nil {
		t.Fatalf("open %s: %v", tg.Kind, err)
	}
	return fake, clock, c
}

func seeds(n int, prefix string) []Seed {
	out := make([]Seed, n)
	for i := range out {
		out[i] = Seed{Email: fmt.Sprintf("%s%04d@example.com", prefix, i), FirstName: fmt.Sprintf("First%d", i),
			LastName: "Last", Suppressed: i%5 == 0}
	}
	return out
}

func testPull(t *testing.T, tg Target) {
	fake, _, c := open(t, tg, 0)
	if !c.Describe().Pull {
		t.Skipf("%s does not pull", tg.Kind)
	}
	n := 2*max(tg.PullPageSize, 1) + 7
	ids := fake.Seed(seeds(n, "pull"))
	got := map[string]foundation.Record{}
	optedOut := map[string]bool{}
	pages := 0
	err := c.Pull(context.Background(), func(_ context.Context, b connect.Batch) error {
		pages++
		for _, r := range b.Records {
			if r.System != c.Describe().System {
				t.Errorf("record %s has system %q, want %q", r.SystemID, r.System, c.Describe().System)
			}
			got[r.SystemID] = r
		}
		for _, f := range b.Consent {
			if f.Channel == foundation.ChannelEmail && !f.Status.Sendable() {
				optedOut[f.SystemID] = true
			}
		}
		return nil
	})
	if err != nil {
		t.Fatalf("pull: %v", err)
	}
	if len(got) != n {
		t.Fatalf("pulled %d records, want %d", len(got), n)
	}
	if tg.PullPageSize > 0 && pages < 3 {
		t.Errorf("pulled %d records in %d pages, want at least 3 pages of %d", n, pages, tg.PullPageSize)
	}
	for i, id := range ids {
		r, ok := got[id]
		if !ok {
			t.Fatalf("record %s (seed %d) not pulled", id, i)
		}
		if want := fmt.Sprintf("pull%04d@example.com", i); foundation.NormalizeEmail(r.Email) != want {
			t.Errorf("record %s: email %q, want %q", id, r.Email, want)
		}
		if optedOut[id] != (i%5 == 0) {
			t.Errorf("record %s: opted out %v, seeded %v", id, optedOut[id], i%5 == 0)
		}
	}
}

func push(t *testing.T, c connect.Connector, changes ...connect.Change) []connect.Result {
	t.Helper()
	res := c.Push(context.Background(), changes)
	if len(res) != len(changes) {
		t.Fatalf("push of %d changes returned %d results", len(changes), len(res))
	}
	for i, r := range res {
		if r.Key != changes[i].Key {
			t.Fatalf("result %d has key %q, want %q (results must keep the changes' order)", i, r.Key, changes[i].Key)
		}
	}
	return res
}

func mustOK(t *testing.T, res []connect.Result) {
	t.Helper()
	for _, r := range res {
		if r.Err != nil {
			t.Fatalf("change %s: %v", r.Key, r.Err)
		}
	}
}

func suppress(key, id, email string) connect.Change {
	return connect.Change{Key: key, Op: connect.OpSuppress, SystemID: id, Email: email, Channel: foundation.ChannelEmail,
		Status: foundation.StatusUnsubscribed, Reason: "tower: unsubscribed in the ESP on 2026-02-27"}
}

func testPush(t *testing.T, tg Target) {
	fake, _, c := open(t, tg, 0)
	s := seeds(4, "push")
	s[0].Suppressed = false
	s[3].Suppressed = true
	ids := fake.Seed(s)
	d := c.Describe()
	var changes []connect.Change
	if d.Supports(connect.OpSuppress) {
		changes = append(changes, suppress("k-sup", ids[0], s[0].Email))
	}
	if d.Supports(connect.OpUnsuppress) {
		changes = append(changes, connect.Change{Key: "k-unsup", Op: connect.OpUnsuppress, SystemID: ids[3], Email: s[3].Email,
			Channel: foundation.ChannelEmail, Status: foundation.StatusSubscribed, Reason: "tower: opted in again"})
	}
	if d.Supports(connect.OpUpdateField) {
		changes = append(changes, connect.Change{Key: "k-upd", Op: connect.OpUpdateField, SystemID: ids[1], Email: s[1].Email,
			Field: "first_name", Value: "Renamed"})
	}
	if len(changes) == 0 {
		t.Fatalf("%s supports none of suppress, unsuppress, update_field", tg.Kind)
	}
	before := fake.Mutations()
	mustOK(t, push(t, c, changes...))
	if d.Supports(connect.OpSuppress) && fake.Sendable(ids[0], foundation.ChannelEmail) {
		t.Errorf("record %s still sendable after suppress", ids[0])
	}
	if d.Supports(connect.OpUnsuppress) && !fake.Sendable(ids[3], foundation.ChannelEmail) {
		t.Errorf("record %s not sendable after unsuppress", ids[3])
	}
	if d.Supports(connect.OpUpdateField) && fake.Field(ids[1], "first_name") != "Renamed" {
		t.Errorf("record %s first_name = %q after update", ids[1], fake.Field(ids[1], "first_name"))
	}
	if got := fake.Mutations() - before; got != len(changes) {
		t.Errorf("%d changes made %d mutations", len(changes), got)
	}
	if d.Supports(connect.OpMerge) {
		mustOK(t, push(t, c, connect.Change{Key: "k-merge", Op: connect.OpMerge, SystemID: ids[2], Email: s[2].Email, IntoID: ids[1]}))
		if got := fake.MergedInto(ids[2]); got != ids[1] {
			t.Errorf("record %s merged into %q, want %q", ids[2], got, ids[1])
		}
		// A merge pushed again (its answer was lost) is not an error.
		mustOK(t, push(t, c, connect.Change{Key: "k-merge", Op: connect.OpMerge, SystemID: ids[2], Email: s[2].Email, IntoID: ids[1]}))
	}
}

func testTwice(t *testing.T, tg Target) {
	fake, _, c := open(t, tg, 0)
	s := seeds(2, "twice")
	s[0].Suppressed = false
	ids := fake.Seed(s)
	ch := suppress("k-twice", ids[0], s[0].Email)
	mustOK(t, push(t, c, ch))
	after := fake.Mutations()
	mustOK(t, push(t, c, ch))
	if fake.Mutations() != after {
		t.Errorf("pushing the same suppress again changed the fake (%d → %d mutations)", after, fake.Mutations())
	}
	if fake.Sendable(ids[0], foundation.ChannelEmail) {
		t.Errorf("record %s sendable after suppress", ids[0])
	}
}

func testPartial(t *testing.T, tg Target) {
	fake, _, c := open(t, tg, 0)
	s := seeds(3, "part")
	for i := range s {
		s[i].Suppressed = false
	}
	ids := fake.Seed(s)
	fake.Reject(ids[1])
	res := push(t, c, suppress("p0", ids[0], s[0].Email), suppress("p1", ids[1], s[1].Email), suppress("p2", ids[2], s[2].Email))
	if res[0].Err != nil || res[2].Err != nil {
		t.Fatalf("good records failed with the bad one: %v / %v", res[0].Err, res[2].Err)
	}
	if res[1].Err == nil {
		t.Fatalf("the rejected record's change succeeded")
	}
	if _, retry := connect.Retryable(res[1].Err); retry {
		t.Errorf("a record the system refuses is retryable: %v", res[1].Err)
	}
	if fake.Sendable(ids[0], foundation.ChannelEmail) || fake.Sendable(ids[2], foundation.ChannelEmail) {
		t.Errorf("good records not suppressed")
	}
}

func testRateLimit(t *testing.T, tg Target) {
	fake, _, c := open(t, tg, 0)
	s := seeds(1, "rl")
	s[0].Suppressed = false
	ids := fake.Seed(s)
	fake.RateLimit(1, 7*time.Second)
	res := push(t, c, suppress("rl0", ids[0], s[0].Email))
	after, retry := connect.Retryable(res[0].Err)
	if !retry || after != 7*time.Second {
		t.Fatalf("429 with Retry-After 7: got retry=%v after=%v err=%v", retry, after, res[0].Err)
	}
	mustOK(t, push(t, c, suppress("rl0", ids[0], s[0].Email)))
	if fake.Sendable(ids[0], foundation.ChannelEmail) {
		t.Errorf("not suppressed after the retry")
	}
}

func testServerErrors(t *testing.T, tg Target) {
	fake, _, c := open(t, tg, 0)
	s := seeds(2, "srv")
	for i := range s {
		s[i].Suppressed = false
	}
	ids := fake.Seed(s)
	for _, status := range []int{500, 502, 503} {
		fake.FailNext(1, status)
		res := push(t, c, suppress("s0", ids[0], s[0].Email))
		if _, retry := connect.Retryable(res[0].Err); !retry {
			t.Errorf("HTTP %d: not retryable: %v", status, res[0].Err)
		}
	}
	base := fake.Mutations()
	fake.DropNext(1)
	res := push(t, c, suppress("s1", ids[1], s[1].Email))
	if _, retry := connect.Retryable(res[0].Err); !retry {
		t.Fatalf("a lost answer is not retryable: %v", res[0].Err)
	}
	mustOK(t, push(t, c, suppress("s1", ids[1], s[1].Email)))
	if got := fake.Mutations() - base; got != 1 {
		t.Errorf("a change whose answer was lost, pushed again, made %d mutations, want 1", got)
	}
}

func testPullRateLimit(t *testing.T, tg Target) {
	fake, clock, c := open(t, tg, 0)
	if !c.Describe().Pull {
		t.Skipf("%s does not pull", tg.Kind)
	}
	n := max(tg.PullPageSize, 1) + 3
	fake.Seed(seeds(n, "prl"))
	fake.RateLimit(1, 11*time.Second)
	count := 0
	err := c.Pull(context.Background(), func(_ context.Context, b connect.Batch) error {
		count += len(b.Records)
		return nil
	})
	if err != nil {
		t.Fatalf("pull through a 429: %v", err)
	}
	if count != n {
		t.Errorf("pulled %d of %d", count, n)
	}
	if waited := clock.Now().Sub(Start); waited < 11*time.Second {
		t.Errorf("pull waited %v, less than the Retry-After of 11s", waited)
	}
}

// testOutage enqueues changes in a real store, takes the fake down for
// ten minutes with rate limits and lost answers around it, and runs the
// real deliverer on the manual clock until nothing is pending.
func testOutage(t *testing.T, tg Target) {
	eachbackend.Run(t, func(t *testing.T, st store.Store) {
		ctx := context.Background()
		fake, clock, c := open(t, tg, 25)
		d := c.Describe()
		const n = 120
		s := seeds(n, "out")
		for i := range s {
			s[i].Suppressed = false
		}
		ids := fake.Seed(s)
		var ds []store.Delivery
		wantFirst := map[string]string{}
		for i, id := range ids {
			dl := store.Delivery{Key: fmt.Sprintf("prp_outage/%d/push/0", i), Connector: d.Name, Op: string(connect.OpSuppress),
				SystemID: id, Email: s[i].Email, Channel: string(foundation.ChannelEmail), Status: string(foundation.StatusUnsubscribed),
				Reason: "tower: outage test", ProposalID: "prp_outage", NextAt: clock.Now(), CreatedAt: clock.Now()}
			if i%3 == 0 && d.Supports(connect.OpUpdateField) {
				dl.Op, dl.Field, dl.Value, dl.Channel, dl.Status = string(connect.OpUpdateField), "first_name", fmt.Sprintf("New%d", i), "", ""
				wantFirst[id] = dl.Value
			}
			ds = append(ds, dl)
		}
		if _, err := st.DeliveriesInsert(ctx, &store.DeliveriesInsertParams{Deliveries: ds}); err != nil {
			t.Fatal(err)
		}
		fake.Down(clock.Now().Add(10 * time.Minute))
		dv := &connect.Deliverer{Store: st, Connectors: []connect.Connector{c}, Clock: clock,
			MaxAttempts: map[string]int{d.Name: 12}, Backoff: connect.Backoff{Base: 30 * time.Second, Max: 10 * time.Minute}}
		var total connect.Round
		drops := 0
		for step := 0; step < 500; step++ {
			if step == 3 {
				fake.RateLimit(2, 20*time.Second)
			}
			if drops < 3 && clock.Now().After(Start.Add(10*time.Minute)) && step%7 == 0 {
				fake.DropNext(1) // a few answers lost after the outage, not every retry of the last one
				drops++
			}
			r, err := dv.RunOnce(ctx)
			if err != nil {
				t.Fatal(err)
			}
			total.Add(r)
			pending, err := st.DeliveriesList(ctx, &store.DeliveriesListParams{State: store.DeliveryPending, Page: store.Page{Limit: 1}})
			if err != nil {
				t.Fatal(err)
			}
			if len(pending) == 0 {
				break
			}
			clock.Advance(15 * time.Second)
		}
		counts, err := st.DeliveriesCount(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, cnt := range counts {
			if cnt.State != store.DeliveryDelivered {
				t.Errorf("%d deliveries %s after the outage", cnt.Count, cnt.State)
			}
		}
		if total.Retrying == 0 {
			t.Errorf("the outage made no delivery wait: the fake was never down")
		}
		for i, id := range ids {
			if v, ok := wantFirst[id]; ok {
				if got := fake.Field(id, "first_name"); got != v {
					t.Errorf("record %d first_name %q, want %q", i, got, v)
				}
			} else if fake.Sendable(id, foundation.ChannelEmail) {
				t.Errorf("record %d still sendable", i)
			}
		}
		if got := fake.Mutations(); got != n {
			t.Errorf("%d changes made %d mutations: a change was lost or applied twice", n, got)
		}
		if clock.Now().Before(Start.Add(10 * time.Minute)) {
			t.Errorf("everything delivered at %v, before the outage ended", clock.Now().Sub(Start))
		}
		var dead []store.Delivery
		dead, err = st.DeliveriesList(ctx, &store.DeliveriesListParams{State: store.DeliveryDead})
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			t.Fatal(err)
		}
		if len(dead) > 0 {
			t.Errorf("%d dead deliveries, first: %s", len(dead), dead[0].LastError)
		}
	})
}
