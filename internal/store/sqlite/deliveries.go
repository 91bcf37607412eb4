package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/towerops/tower/internal/store"
)

const deliveryCols = "id, key, connector, op, system_id, email, channel, status, reason, field, value, into_id, " +
	"proposal_id, state, attempts, next_at, last_error, created_at, delivered_at"

func scanDelivery(r interface{ Scan(...any) error }) (store.Delivery, error) {
	var d store.Delivery
	var next, created, delivered sql.NullString
	if err := r.Scan(&d.ID, &d.Key, &d.Connector, &d.Op, &d.SystemID, &d.Email, &d.Channel, &d.Status, &d.Reason,
		&d.Field, &d.Value, &d.IntoID, &d.ProposalID, &d.State, &d.Attempts, &next, &d.LastError, &created, &delivered); err != nil {
		return d, err
	}
	var err error
	if d.NextAt, err = decTime(next); err != nil {
		return d, err
	}
	if d.CreatedAt, err = decTime(created); err != nil {
		return d, err
	}
	d.DeliveredAt, err = decTime(delivered)
	return d, err
}

// DeliveriesInsert enqueues deliveries, skipping keys already stored.
func (q *queries) DeliveriesInsert(ctx context.Context, p *store.DeliveriesInsertParams) (int, error) {
	if err := store.CheckDeliveries(p.Deliveries); err != nil {
		return 0, fmt.Errorf("enqueue deliveries: %w", err)
	}
	if len(p.Deliveries) == 0 {
		return 0, nil
	}
	now := time.Now()
	n := 0
	err := q.writeTx(ctx, func(tx *sql.Tx) error {
		stmt, err := tx.PrepareContext(ctx, `INSERT INTO deliveries (key, connector, op, system_id, email, channel, status,
			reason, field, value, into_id, proposal_id, state, attempts, next_at, last_error, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending', 0, ?, '', ?) ON CONFLICT (key) DO NOTHING`)
		if err != nil {
			return err
		}
		defer stmt.Close()
		for _, d := range p.Deliveries {
			res, err := stmt.ExecContext(ctx, d.Key, d.Connector, d.Op, d.SystemID, d.Email, d.Channel, d.Status, d.Reason,
				d.Field, d.Value, d.IntoID, d.ProposalID, encTime(orNow(d.NextAt, now)), encTime(orNow(d.CreatedAt, now)))
			if err != nil {
				return fmt.Errorf("delivery %s: %w", d.Key, err)
			}
			k, _ := res.RowsAffected()
			n += int(k)
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("enqueue deliveries: %w", err)
	}
	return n, nil
}

// DeliveriesClaim leases due pending deliveries in one UPDATE … RETURNING:
// the write lock SQLite takes for it means no two claims overlap.
func (q *queries) DeliveriesClaim(ctx context.Context, p *store.DeliveriesClaimParams) ([]store.Delivery, error) {
	lease, lim := p.Lease, p.Limit
	if lease <= 0 {
		lease = time.Minute
	}
	if lim <= 0 {
		lim = 100
	}
	var out []store.Delivery
	err := q.writeTx(ctx, func(tx *sql.Tx) error {
		var err error
		out, err = list(ctx, tx, func(r *sql.Rows) (store.Delivery, error) { return scanDelivery(r) },
			`UPDATE deliveries SET next_at = ? WHERE id IN (
			    SELECT id FROM deliveries WHERE connector = ? AND state = 'pending' AND next_at <= ?
			    ORDER BY next_at, id LIMIT ?) RETURNING `+deliveryCols,
			encTime(p.Now.Add(lease)), p.Connector, encTime(p.Now), lim)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("claim deliveries of %s: %w", p.Connector, err)
	}
	slices.SortFunc(out, func(a, b store.Delivery) int { return int(a.ID - b.ID) })
	return out, nil
}

// DeliveriesMark records attempts.
func (q *queries) DeliveriesMark(ctx context.Context, p *store.DeliveriesMarkParams) error {
	if err := store.CheckDeliveryMarks(p.Marks); err != nil {
		return fmt.Errorf("record deliveries: %w", err)
	}
	err := q.writeTx(ctx, func(tx *sql.Tx) error {
		for _, m := range p.Marks {
			next := m.NextAt
			if next.IsZero() {
				next = time.Now()
			}
			if _, err := tx.ExecContext(ctx, `UPDATE deliveries SET state = ?, attempts = ?, next_at = ?, last_error = ?,
				delivered_at = ? WHERE id = ?`, m.State, m.Attempts, encTime(next), m.LastError, encTime(m.DeliveredAt), m.ID); err != nil {
				return fmt.Errorf("delivery %d: %w", m.ID, err)
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("record deliveries: %w", err)
	}
	return nil
}

// DeliveriesList lists newest first.
func (q *queries) DeliveriesList(ctx context.Context, p *store.DeliveriesListParams) ([]store.Delivery, error) {
	var w where
	if p.State != "" {
		w.add("state = ?", p.State)
	}
	if p.Connector != "" {
		w.add("connector = ?", p.Connector)
	}
	if p.ProposalID != "" {
		w.add("proposal_id = ?", p.ProposalID)
	}
	out, err := list(ctx, q.read, func(r *sql.Rows) (store.Delivery, error) { return scanDelivery(r) },
		"SELECT "+deliveryCols+" FROM deliveries"+w.String()+" ORDER BY id DESC LIMIT ? OFFSET ?", w.page(p.Page)...)
	if err != nil {
		return nil, fmt.Errorf("list deliveries: %w", err)
	}
	return out, nil
}

// DeliveriesRetry moves dead deliveries back to pending.
func (q *queries) DeliveriesRetry(ctx context.Context, p *store.DeliveriesRetryParams) (int, error) {
	var w where
	w.add("state = 'dead'")
	if p.Connector != "" {
		w.add("connector = ?", p.Connector)
	}
	if !p.AllDead {
		if len(p.IDs) == 0 {
			return 0, nil
		}
		marks := strings.TrimSuffix(strings.Repeat("?,", len(p.IDs)), ",")
		args := make([]any, len(p.IDs))
		for i, id := range p.IDs {
			args[i] = id
		}
		w.add("id IN ("+marks+")", args...)
	}
	now := p.Now
	if now.IsZero() {
		now = time.Now()
	}
	n := 0
	err := q.writeTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, "UPDATE deliveries SET state = 'pending', attempts = 0, next_at = ?"+w.String(),
			append([]any{encTime(now)}, w.args...)...)
		if err != nil {
			return err
		}
		k, _ := res.RowsAffected()
		n = int(k)
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("retry deliveries: %w", err)
	}
	return n, nil
}

// DeliveriesCount counts by connector and state.
func (q *queries) DeliveriesCount(ctx context.Context) ([]store.DeliveryCount, error) {
	out, err := list(ctx, q.read, func(r *sql.Rows) (store.DeliveryCount, error) {
		var c store.DeliveryCount
		return c, r.Scan(&c.Connector, &c.State, &c.Count)
	}, "SELECT connector, state, count(*) FROM deliveries GROUP BY connector, state ORDER BY connector, state")
	if err != nil {
		return nil, fmt.Errorf("count deliveries: %w", err)
	}
	return out, nil
}
