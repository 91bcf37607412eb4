package action

import (
	"context"
	"fmt"

	"github.com/towerops/tower/internal/proposal"
	"github.com/towerops/tower/internal/store"
)

// Outbox says which connected system receives changes to the records of
// each Tower system. Apply and UndoAll enqueue a store.Delivery for every
// change an executor made to a record of a connected system, inside the
// action's own transaction: the change and what is owed to the outside
// world commit together or not at all (design invariant 4).
type Outbox interface {
	// ConnectorFor names the connector delivering changes to records of
	// system; "" when no connector is configured for it.
	ConnectorFor(system string) string
}

// Systems is an Outbox from a map of system → connector name.
type Systems map[string]string

// ConnectorFor looks system up.
func (s Systems) ConnectorFor(system string) string { return s[system] }

// Push is one change an executor made to one record, to be delivered to
// the record's system. Delivery's Connector, Key and ProposalID are filled
// by Apply.
type Push struct {
	System   string
	Delivery store.Delivery
}

// Pusher is an executor whose changes reach records that connected
// systems also hold. Both methods run inside the action's transaction,
// right after Execute or Undo, and read what they need from its undo data
// (what was changed) and the store as it now is.
type Pusher interface {
	// Pushes lists the record changes an Execute made.
	Pushes(ctx context.Context, q store.Queries, a proposal.Action, undo []byte) ([]Push, error)
	// UndoPushes lists the record changes an Undo made.
	UndoPushes(ctx context.Context, q store.Queries, undo []byte) ([]Push, error)
}

// enqueue turns pushes into deliveries for the systems the outbox
// connects, keyed "<action key>/<phase>/<n>" so the same execution never
// enqueues twice.
func enqueue(ctx context.Context, q store.Queries, box Outbox, x Context, phase string, pushes []Push) error {
	if box == nil || len(pushes) == 0 {
		return nil
	}
	var ds []store.Delivery
	for i, p := range pushes {
		conn := box.ConnectorFor(p.System)
		if conn == "" {
			continue
		}
		d := p.Delivery
		d.Connector, d.ProposalID = conn, x.ProposalID
		d.Key = fmt.Sprintf("%s/%s/%d", x.Key(), phase, i)
		d.NextAt, d.CreatedAt = x.Now, x.Now
		ds = append(ds, d)
	}
	if len(ds) == 0 {
		return nil
	}
	if _, err := q.DeliveriesInsert(ctx, &store.DeliveriesInsertParams{Deliveries: ds}); err != nil {
		return fmt.Errorf("enqueue %d deliveries: %w", len(ds), err)
	}
	return nil
}

// pushesAfterExecute asks e for its pushes when it is a Pusher and an
// outbox is set.
func pushesAfterExecute(ctx context.Context, q store.Queries, x Context, e Executor, a proposal.Action, undo []byte) error {
	p, ok := e.(Pusher)
	if !ok || x.Outbox == nil {
		return nil
	}
	pushes, err := p.Pushes(ctx, q, a, undo)
	if err != nil {
		return fmt.Errorf("list changes to deliver: %w", err)
	}
	return enqueue(ctx, q, x.Outbox, x, "push", pushes)
}

// pushesAfterUndo is pushesAfterExecute for Undo.
func pushesAfterUndo(ctx context.Context, q store.Queries, x Context, e Executor, undo []byte) error {
	p, ok := e.(Pusher)
	if !ok || x.Outbox == nil {
		return nil
	}
	pushes, err := p.UndoPushes(ctx, q, undo)
	if err != nil {
		return fmt.Errorf("list changes to deliver: %w", err)
	}
	return enqueue(ctx, q, x.Outbox, x, "undo", pushes)
}
