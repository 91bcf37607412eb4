package storetest

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/towerops/tower/internal/store"
)

var deliveryT0 = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

func delivery(i int, connector string) store.Delivery {
	return store.Delivery{Key: fmt.Sprintf("prp_%d/0/push/0", i), Connector: connector, Op: "suppress",
		SystemID: fmt.Sprintf("c-%d", i), Email: fmt.Sprintf("p%d@example.com", i), Channel: "email",
		Status: "unsubscribed", Reason: "tower: unsubscribed in esp", ProposalID: fmt.Sprintf("prp_%d", i),
		NextAt: deliveryT0.Add(time.Duration(i) * time.Second), CreatedAt: deliveryT0}
}

// deliveryTests check store.Deliveries: the outbox, its leases and its
// dead-letter list.
var deliveryTests = []test{
	{"InsertSkipsKnownKeysAndRoundTrips", func(t *testing.T, s store.Store) {
		a, b := delivery(1, "hubspot"), delivery(2, "hubspot")
		b.Op, b.Field, b.Value, b.Channel, b.Status, b.IntoID = "merge", "", "", "", "", "c-9"
		n := must[int](t)(s.DeliveriesInsert(ctx(t), &store.DeliveriesInsertParams{Deliveries: []store.Delivery{a, b}}))
		if n != 2 {
			t.Fatalf("inserted %d, want 2", n)
		}
		again := a
		again.Reason = "a second run of the same action"
		n = must[int](t)(s.DeliveriesInsert(ctx(t), &store.DeliveriesInsertParams{Deliveries: []store.Delivery{again}}))
		if n != 0 {
			t.Fatalf("a known key was inserted again (%d)", n)
		}
		got := must[[]store.Delivery](t)(s.DeliveriesList(ctx(t), &store.DeliveriesListParams{}))
		if len(got) != 2 || got[0].Key != b.Key || got[1].Key != a.Key {
			t.Fatalf("list (newest first) = %+v", got)
		}
		g := got[1]
		if g.ID == 0 || g.State != store.DeliveryPending || g.Attempts != 0 || g.Reason != a.Reason || g.Email != a.Email ||
			!g.NextAt.Equal(a.NextAt) || !g.CreatedAt.Equal(a.CreatedAt) || !g.DeliveredAt.IsZero() || g.ProposalID != a.ProposalID {
			t.Errorf("stored %+v, from %+v", g, a)
		}
		if got[0].IntoID != "c-9" || got[0].Op != "merge" {
			t.Errorf("merge delivery %+v", got[0])
		}
		if _, err := s.DeliveriesInsert(ctx(t), &store.DeliveriesInsertParams{Deliveries: []store.Delivery{{Connector: "x", Op: "suppress"}}}); err == nil {
			t.Errorf("a delivery without a key was accepted")
		}
	}},
	{"ClaimLeasesDueOnesOfOneConnector", func(t *testing.T, s store.Store) {
		var ds []store.Delivery
		for i := range 5 {
			ds = append(ds, delivery(i, "hubspot"))
		}
		ds = append(ds, delivery(9, "mautic"))
		must[int](t)(s.DeliveriesInsert(ctx(t), &store.DeliveriesInsertParams{Deliveries: ds}))
		now := deliveryT0.Add(2 * time.Second) // 0, 1, 2 are due
		got := must[[]store.Delivery](t)(s.DeliveriesClaim(ctx(t), &store.DeliveriesClaimParams{Connector: "hubspot", Now: now, Lease: time.Minute, Limit: 2}))
		if len(got) != 2 || got[0].Key != ds[0].Key || got[1].Key != ds[1].Key {
			t.Fatalf("claimed %v, want the two earliest due", keys(got))
		}
		if !got[0].NextAt.Equal(now.Add(time.Minute)) {
			t.Errorf("claimed next_at %v, want now + lease", got[0].NextAt)
		}
		got = must[[]store.Delivery](t)(s.DeliveriesClaim(ctx(t), &store.DeliveriesClaimParams{Connector: "hubspot", Now: now}))
		if len(got) != 1 || got[0].Key != ds[2].Key {
			t.Fatalf("second claim %v, want only the third (the first two are leased)", keys(got))
		}
		got = must[[]store.Delivery](t)(s.DeliveriesClaim(ctx(t), &store.DeliveriesClaimParams{Connector: "hubspot", Now: now.Add(61 * time.Second)}))
		if len(got) != 5 {
			t.Fatalf("after the lease ran out claimed %v, want all five", keys(got))
		}
	}},
	{"ConcurrentClaimsNeverOverlap", func(t *testing.T, s store.Store) {
		var ds []store.Delivery
		for i := range 60 {
			ds = append(ds, delivery(i, "hubspot"))
		}
		must[int](t)(s.DeliveriesInsert(ctx(t), &store.DeliveriesInsertParams{Deliveries: ds}))
		now := deliveryT0.Add(time.Hour)
		type res struct {
			got []store.Delivery
			err error
		}
		out := make(chan res, 4)
		for range 4 {
			go func() {
				var all []store.Delivery
				for {
					got, err := s.DeliveriesClaim(context.Background(), &store.DeliveriesClaimParams{Connector: "hubspot", Now: now, Limit: 7})
					if err != nil || len(got) == 0 {
						out <- res{all, err}
						return
					}
					all = append(all, got...)
				}
			}()
		}
		seen := map[string]bool{}
		for range 4 {
			r := <-out
			if r.err != nil {
				t.Fatal(r.err)
			}
			for _, d := range r.got {
				if seen[d.Key] {
					t.Errorf("%s claimed twice", d.Key)
				}
				seen[d.Key] = true
			}
		}
		if len(seen) != 60 {
			t.Errorf("claimed %d of 60", len(seen))
		}
	}},
	{"MarkListRetryCount", func(t *testing.T, s store.Store) {
		var ds []store.Delivery
		for i := range 3 {
			ds = append(ds, delivery(i, "hubspot"))
		}
		ds = append(ds, delivery(7, "mautic"))
		must[int](t)(s.DeliveriesInsert(ctx(t), &store.DeliveriesInsertParams{Deliveries: ds}))
		all := must[[]store.Delivery](t)(s.DeliveriesList(ctx(t), &store.DeliveriesListParams{Connector: "hubspot"}))
		id := map[string]int64{}
		for _, d := range all {
			id[d.Key] = d.ID
		}
		later := deliveryT0.Add(5 * time.Minute)
		if err := s.DeliveriesMark(ctx(t), &store.DeliveriesMarkParams{Marks: []store.DeliveryMark{
			{ID: id[ds[0].Key], State: store.DeliveryDelivered, Attempts: 1, DeliveredAt: later},
			{ID: id[ds[1].Key], State: store.DeliveryPending, Attempts: 2, NextAt: later, LastError: "HTTP 503"},
			{ID: id[ds[2].Key], State: store.DeliveryDead, Attempts: 12, LastError: "gave up after 12 attempts"},
		}}); err != nil {
			t.Fatal(err)
		}
		if err := s.DeliveriesMark(ctx(t), &store.DeliveriesMarkParams{Marks: []store.DeliveryMark{{ID: 1, State: "lost"}}}); err == nil {
			t.Errorf("a mark to an unknown state was accepted")
		}
		dead := must[[]store.Delivery](t)(s.DeliveriesList(ctx(t), &store.DeliveriesListParams{State: store.DeliveryDead}))
		if len(dead) != 1 || dead[0].Key != ds[2].Key || dead[0].Attempts != 12 || dead[0].LastError != "gave up after 12 attempts" {
			t.Fatalf("dead list %+v", dead)
		}
		done := must[[]store.Delivery](t)(s.DeliveriesList(ctx(t), &store.DeliveriesListParams{State: store.DeliveryDelivered}))
		if len(done) != 1 || !done[0].DeliveredAt.Equal(later) {
			t.Fatalf("delivered list %+v", done)
		}
		byProposal := must[[]store.Delivery](t)(s.DeliveriesList(ctx(t), &store.DeliveriesListParams{ProposalID: ds[1].ProposalID}))
		if len(byProposal) != 1 || byProposal[0].LastError != "HTTP 503" || !byProposal[0].NextAt.Equal(later) {
			t.Fatalf("by proposal %+v", byProposal)
		}
		counts := must[[]store.DeliveryCount](t)(s.DeliveriesCount(ctx(t)))
		want := []store.DeliveryCount{{Connector: "hubspot", State: "dead", Count: 1}, {Connector: "hubspot", State: "delivered", Count: 1},
			{Connector: "hubspot", State: "pending", Count: 1}, {Connector: "mautic", State: "pending", Count: 1}}
		if fmt.Sprint(counts) != fmt.Sprint(want) {
			t.Errorf("counts %v, want %v", counts, want)
		}
		// Retrying a delivered one changes nothing; the dead one comes back due now.
		now := deliveryT0.Add(time.Hour)
		n := must[int](t)(s.DeliveriesRetry(ctx(t), &store.DeliveriesRetryParams{IDs: []int64{id[ds[0].Key], id[ds[2].Key]}, Now: now}))
		if n != 1 {
			t.Fatalf("retried %d, want 1", n)
		}
		got := must[[]store.Delivery](t)(s.DeliveriesClaim(ctx(t), &store.DeliveriesClaimParams{Connector: "hubspot", Now: now}))
		if len(got) != 2 || got[1].Key != ds[2].Key || got[1].Attempts != 0 {
			t.Fatalf("after retry claimed %+v", got)
		}
		if n := must[int](t)(s.DeliveriesRetry(ctx(t), &store.DeliveriesRetryParams{AllDead: true, Connector: "mautic"})); n != 0 {
			t.Errorf("retry all dead of mautic moved %d", n)
		}
	}},
	{"InsertRollsBackWithItsTransaction", func(t *testing.T, s store.Store) {
		boom := errors.New("the action failed")
		err := s.InTx(ctx(t), func(ctx context.Context, q store.Queries) error {
			if _, err := q.DeliveriesInsert(ctx, &store.DeliveriesInsertParams{Deliveries: []store.Delivery{delivery(1, "hubspot")}}); err != nil {
				return err
			}
			return boom
		})
		if !errors.Is(err, boom) {
			t.Fatalf("InTx: %v", err)
		}
		if got := must[[]store.Delivery](t)(s.DeliveriesList(ctx(t), &store.DeliveriesListParams{})); len(got) != 0 {
			t.Fatalf("a rolled-back delivery was kept: %v", keys(got))
		}
	}},
}

func keys(ds []store.Delivery) []string {
	var out []string
	for _, d := range ds {
		out = append(out, d.Key)
	}
	return out
}
