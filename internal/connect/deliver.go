package connect

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"time"

	"github.com/towerops/tower/internal/foundation"
	"github.com/towerops/tower/internal/store"
)

// Deliverer pushes the outbox (store.Deliveries) to the connectors. Each
// round claims the due deliveries of every connector, pushes them in
// batches of the connector's MaxBatch, and marks each by its own result:
// delivered; pending again after backoff (at least the Retry-After the
// remote side gave) when the failure may pass; dead when it cannot, or
// after MaxAttempts. Nothing is retried in memory, so a restart loses no
// retry.
type Deliverer struct {
	Store      store.Store
	Connectors []Connector
	// MaxAttempts per connector name (from its config); default 12.
	MaxAttempts map[string]int
	Backoff     Backoff
	Clock       Clock // nil means SystemClock
	// Lease is how long a claim holds before another deliverer may take
	// the delivery (default 2 minutes: longer than a push can take).
	Lease time.Duration
	Log   *slog.Logger
	// Rand jitters backoff; nil means a random source.
	Rand *rand.Rand
}

// Round says what one round did.
type Round struct {
	Delivered, Retrying, Dead int
}

// Add sums rounds.
func (r *Round) Add(o Round) {
	r.Delivered += o.Delivered
	r.Retrying += o.Retrying
	r.Dead += o.Dead
}

// Attempted is every delivery the round pushed.
func (r Round) Attempted() int { return r.Delivered + r.Retrying + r.Dead }

func (d *Deliverer) clock() Clock {
	if d.Clock == nil {
		return SystemClock{}
	}
	return d.Clock
}

func (d *Deliverer) log() *slog.Logger {
	if d.Log == nil {
		return slog.Default()
	}
	return d.Log
}

// RunOnce delivers what is due now, connector by connector, until nothing
// more is due, and returns the totals. A store failure stops it; a
// connector failure never does (it is recorded on the deliveries).
func (d *Deliverer) RunOnce(ctx context.Context) (Round, error) {
	var total Round
	for _, c := range d.Connectors {
		for {
			r, n, err := d.round(ctx, c)
			total.Add(r)
			if err != nil {
				return total, err
			}
			if n == 0 {
				break
			}
		}
	}
	return total, nil
}

// Run delivers every interval until ctx ends.
func (d *Deliverer) Run(ctx context.Context, interval time.Duration) error {
	for {
		r, err := d.RunOnce(ctx)
		if err != nil && ctx.Err() == nil {
			d.log().ErrorContext(ctx, "deliveries: round failed", "err", err)
		}
		if r.Attempted() > 0 {
			d.log().InfoContext(ctx, "deliveries", "delivered", r.Delivered, "retrying", r.Retrying, "dead", r.Dead)
		}
		if err := d.clock().Sleep(ctx, interval); err != nil {
			return nil
		}
	}
}

// round claims one batch of c's due deliveries and pushes it; n is how
// many it claimed (0: nothing due).
func (d *Deliverer) round(ctx context.Context, c Connector) (Round, int, error) {
	desc := c.Describe()
	size := desc.MaxBatch
	if size <= 0 {
		size = 100
	}
	lease := d.Lease
	if lease <= 0 {
		lease = 2 * time.Minute
	}
	now := d.clock().Now().UTC()
	due, err := d.Store.DeliveriesClaim(ctx, &store.DeliveriesClaimParams{Connector: desc.Name, Now: now, Lease: lease, Limit: size})
	if err != nil {
		return Round{}, 0, fmt.Errorf("claim deliveries of %s: %w", desc.Name, err)
	}
	if len(due) == 0 {
		return Round{}, 0, nil
	}
	// Every change goes to Push, supported or not: a connector refuses an
	// operation it cannot do with its own words on what to do instead.
	todo := make([]Change, len(due))
	for i, dl := range due {
		todo[i] = ChangeOf(dl)
	}
	results := make([]error, len(due))
	got := c.Push(ctx, todo)
	for i := range due {
		if i < len(got) {
			results[i] = got[i].Err
		} else {
			results[i] = Temporary(errors.New("the connector returned no result for this change"), 0)
		}
	}
	now = d.clock().Now().UTC()
	maxAttempts := d.MaxAttempts[desc.Name]
	if maxAttempts <= 0 {
		maxAttempts = DefaultMaxAttempts
	}
	var rd Round
	marks := make([]store.DeliveryMark, len(due))
	for i, dl := range due {
		m := store.DeliveryMark{ID: dl.ID, Attempts: dl.Attempts + 1}
		err := results[i]
		after, retry := Retryable(err)
		switch {
		case err == nil:
			m.State, m.DeliveredAt = store.DeliveryDelivered, now
			rd.Delivered++
		case retry && m.Attempts < maxAttempts:
			m.State, m.NextAt, m.LastError = store.DeliveryPending, now.Add(d.Backoff.Delay(m.Attempts, after, d.Rand)), err.Error()
			rd.Retrying++
		default:
			m.State, m.LastError = store.DeliveryDead, err.Error()
			if retry {
				m.LastError = fmt.Sprintf("gave up after %d attempts: %s", m.Attempts, err)
			}
			rd.Dead++
			d.log().WarnContext(ctx, "delivery dead", "connector", desc.Name, "id", dl.ID, "op", dl.Op, "reason", m.LastError)
		}
		marks[i] = m
	}
	if err := d.Store.DeliveriesMark(ctx, &store.DeliveriesMarkParams{Marks: marks}); err != nil {
		return rd, len(due), fmt.Errorf("record deliveries of %s: %w", desc.Name, err)
	}
	return rd, len(due), nil
}

// ChangeOf is the change a stored delivery asks for.
func ChangeOf(d store.Delivery) Change {
	return Change{Key: d.Key, Op: Op(d.Op), SystemID: d.SystemID, Email: d.Email,
		Channel: foundation.Channel(d.Channel), Status: foundation.ConsentStatus(d.Status), Reason: d.Reason,
		Field: d.Field, Value: d.Value, IntoID: d.IntoID}
}
