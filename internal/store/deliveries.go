package store

import (
	"context"
	"fmt"
	"time"
)

// Deliveries is the outbox of changes Tower owes to connected systems. An
// executor that changes a record held by a connected system enqueues a
// delivery in the same transaction as the change itself (design invariant
// 4), so a change that committed is never forgotten, and a change rolled
// back is never sent. A deliverer claims due deliveries, pushes them to
// the connector and marks them delivered, or due again later, or dead
// after too many attempts; a person can then retry dead ones.
type Deliveries interface {
	// DeliveriesInsert enqueues deliveries. A delivery whose Key is
	// already stored is skipped (the action that produced it ran twice);
	// it returns how many were inserted.
	DeliveriesInsert(ctx context.Context, p *DeliveriesInsertParams) (int, error)
	// DeliveriesClaim takes up to Limit pending deliveries of Connector
	// due at Now (next_at <= Now), the earliest due first, returned in id
	// order (the order they were enqueued), and moves their
	// next_at to Now+Lease in the same statement, so two deliverers never
	// claim the same delivery while the lease runs. A deliverer that dies
	// mid-push leaves its claim to expire; another then pushes again, and
	// the delivery's key lets the remote side (or the connector) ignore
	// the repeat.
	DeliveriesClaim(ctx context.Context, p *DeliveriesClaimParams) ([]Delivery, error)
	// DeliveriesMark records what one push attempt came to.
	DeliveriesMark(ctx context.Context, p *DeliveriesMarkParams) error
	// DeliveriesList lists deliveries, newest first (by id, descending).
	DeliveriesList(ctx context.Context, p *DeliveriesListParams) ([]Delivery, error)
	// DeliveriesRetry puts dead deliveries back to pending, due at Now,
	// with their attempts reset. It returns how many it moved; ids that
	// are not dead are left alone.
	DeliveriesRetry(ctx context.Context, p *DeliveriesRetryParams) (int, error)
	// DeliveriesCount counts deliveries by connector and state.
	DeliveriesCount(ctx context.Context) ([]DeliveryCount, error)
}

// Delivery states.
const (
	DeliveryPending   = "pending"   // waiting for its next attempt
	DeliveryDelivered = "delivered" // the connected system accepted it
	DeliveryDead      = "dead"      // gave up: too many attempts or refused outright
)

// DeliveryStates lists the states, in the order a list shows them.
var DeliveryStates = []string{DeliveryPending, DeliveryDead, DeliveryDelivered}

// Delivery is one change to one record in one connected system. Which
// fields matter depends on Op: Channel, Status and Reason for suppress and
// unsuppress; Field and Value for update_field; IntoID for merge (the
// record that survives; SystemID is merged into it).
type Delivery struct {
	ID int64
	// Key is the idempotency key: the action's key and the change's place
	// in it ("prp_…/0/push/2"). The connector sends it where the remote
	// API accepts one.
	Key        string
	Connector  string // the connector's name (its file in connectors/)
	Op         string // suppress, unsuppress, merge, unmerge, update_field
	SystemID   string // the record's id in the connected system
	Email      string
	Channel    string
	Status     string // the consent status Tower holds after the change
	Reason     string
	Field      string
	Value      string
	IntoID     string
	ProposalID string

	State       string
	Attempts    int
	NextAt      time.Time
	LastError   string
	CreatedAt   time.Time
	DeliveredAt time.Time
}

// DeliveriesInsertParams enqueues deliveries; a zero NextAt or CreatedAt
// is now, State is always pending.
type DeliveriesInsertParams struct{ Deliveries []Delivery }

// DeliveriesClaimParams claims due deliveries of one connector.
type DeliveriesClaimParams struct {
	Connector string
	Now       time.Time
	Lease     time.Duration // 0 means one minute
	Limit     int           // 0 means 100
}

// DeliveriesMarkParams records attempts.
type DeliveriesMarkParams struct{ Marks []DeliveryMark }

// DeliveryMark is the result of one attempt at delivery ID: State
// delivered (DeliveredAt set), pending again at NextAt, or dead.
// Attempts is the new attempt count and LastError the reason of a
// failure ("" on success).
type DeliveryMark struct {
	ID          int64
	State       string
	Attempts    int
	NextAt      time.Time
	LastError   string
	DeliveredAt time.Time
}

// DeliveriesListParams filters a list; zero fields do not filter.
type DeliveriesListParams struct {
	State      string
	Connector  string
	ProposalID string
	Page       Page
}

// DeliveriesRetryParams names dead deliveries to retry: IDs, or, with
// AllDead, every dead one (of Connector when set).
type DeliveriesRetryParams struct {
	IDs       []int64
	AllDead   bool
	Connector string
	Now       time.Time
}

// DeliveryCount is how many deliveries of a connector are in a state.
type DeliveryCount struct {
	Connector string
	State     string
	Count     int
}

// CheckDeliveries refuses deliveries a backend must not store: without a
// key, a connector or an operation. They come from Tower's executors,
// never from users, so a bad one is a bug and fails the whole batch.
func CheckDeliveries(ds []Delivery) error {
	for i, d := range ds {
		switch {
		case d.Key == "":
			return fmt.Errorf("delivery %d has no key", i)
		case d.Connector == "":
			return fmt.Errorf("delivery %s has no connector", d.Key)
		case d.Op == "":
			return fmt.Errorf("delivery %s has no operation", d.Key)
		}
	}
	return nil
}

// CheckDeliveryMarks refuses a mark to an unknown state.
func CheckDeliveryMarks(ms []DeliveryMark) error {
	for _, m := range ms {
		switch m.State {
		case DeliveryPending, DeliveryDelivered, DeliveryDead:
		default:
			return fmt.Errorf("delivery %d: unknown state %q", m.ID, m.State)
		}
	}
	return nil
}
