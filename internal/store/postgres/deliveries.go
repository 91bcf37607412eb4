package postgres

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/towerops/tower/internal/store"
)

const deliveryCols = "id, key, connector, op, system_id, email, channel, status, reason, field, value, into_id, " +
	"proposal_id, state, attempts, next_at, last_error, created_at, delivered_at"

func scanDelivery(r pgx.CollectableRow) (store.Delivery, error) {
	var d store.Delivery
	var delivered *time.Time
	if err := r.Scan(&d.ID, &d.Key, &d.Connector, &d.Op, &d.SystemID, &d.Email, &d.Channel, &d.Status, &d.Reason,
		&d.Field, &d.Value, &d.IntoID, &d.ProposalID, &d.State, &d.Attempts, &d.NextAt, &d.LastError, &d.CreatedAt, &delivered); err != nil {
		return d, err
	}
	d.NextAt, d.CreatedAt = d.NextAt.UTC(), d.CreatedAt.UTC()
	if delivered != nil {
		d.DeliveredAt = delivered.UTC()
	}
	return d, nil
}

// DeliveriesInsert enqueues deliveries in one statement, skipping keys
// already stored.
func (q *queries) DeliveriesInsert(ctx context.Context, p *store.DeliveriesInsertParams) (int, error) {
	if err := store.CheckDeliveries(p.Deliveries); err != nil {
		return 0, fmt.Errorf("postgres: enqueue deliveries: %w", err)
	}
	if len(p.Deliveries) == 0 {
		return 0, nil
	}
	now := time.Now()
	cols := make([][]string, 12)
	var next, created []time.Time
	for _, d := range p.Deliveries {
		for i, v := range []string{d.Key, d.Connector, d.Op, d.SystemID, d.Email, d.Channel, d.Status, d.Reason,
			d.Field, d.Value, d.IntoID, d.ProposalID} {
			cols[i] = append(cols[i], v)
		}
		next, created = append(next, µs(orNow(d.NextAt, now))), append(created, µs(orNow(d.CreatedAt, now)))
	}
	n := 0
	err := q.runtimeTx(ctx, "enqueue deliveries", func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `
			INSERT INTO deliveries (key, connector, op, system_id, email, channel, status, reason, field, value, into_id,
			    proposal_id, state, attempts, next_at, last_error, created_at)
			SELECT k, c, o, s, e, ch, st, r, f, v, i, p, 'pending', 0, n, '', ca
			FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[],
			    $9::text[], $10::text[], $11::text[], $12::text[], $13::timestamptz[], $14::timestamptz[])
			    AS u(k, c, o, s, e, ch, st, r, f, v, i, p, n, ca)
			ON CONFLICT (key) DO NOTHING`,
			cols[0], cols[1], cols[2], cols[3], cols[4], cols[5], cols[6], cols[7], cols[8], cols[9], cols[10], cols[11],
			next, created)
		n = int(tag.RowsAffected())
		return err
	})
	return n, err
}

// DeliveriesClaim leases due pending deliveries; FOR UPDATE SKIP LOCKED
// keeps two deliverers off the same rows.
func (q *queries) DeliveriesClaim(ctx context.Context, p *store.DeliveriesClaimParams) ([]store.Delivery, error) {
	lease, lim := p.Lease, p.Limit
	if lease <= 0 {
		lease = time.Minute
	}
	if lim <= 0 {
		lim = 100
	}
	var out []store.Delivery
	err := q.runtimeTx(ctx, "claim deliveries of "+p.Connector, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `
			UPDATE deliveries SET next_at = $1 WHERE id IN (
			    SELECT id FROM deliveries WHERE connector = $2 AND state = 'pending' AND next_at <= $3
			    ORDER BY next_at, id LIMIT $4 FOR UPDATE SKIP LOCKED)
			RETURNING `+deliveryCols, µs(p.Now.Add(lease)), p.Connector, µs(p.Now), lim)
		if err != nil {
			return err
		}
		out, err = pgx.CollectRows(rows, scanDelivery)
		return err
	})
	if err != nil {
		return nil, err
	}
	slices.SortFunc(out, func(a, b store.Delivery) int { return int(a.ID - b.ID) })
	return out, nil
}

// DeliveriesMark records attempts in one statement.
func (q *queries) DeliveriesMark(ctx context.Context, p *store.DeliveriesMarkParams) error {
	if err := store.CheckDeliveryMarks(p.Marks); err != nil {
		return fmt.Errorf("postgres: record deliveries: %w", err)
	}
	if len(p.Marks) == 0 {
		return nil
	}
	now := time.Now()
	var ids []int64
	var states, errs []string
	var attempts []int32
	var next []time.Time
	var delivered []*time.Time
	for _, m := range p.Marks {
		ids, states, errs = append(ids, m.ID), append(states, m.State), append(errs, m.LastError)
		attempts, next = append(attempts, int32(m.Attempts)), append(next, µs(orNow(m.NextAt, now)))
		var d *time.Time
		if !m.DeliveredAt.IsZero() {
			t := µs(m.DeliveredAt)
			d = &t
		}
		delivered = append(delivered, d)
	}
	return q.runtimeTx(ctx, "record deliveries", func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `
			UPDATE deliveries d SET state = u.s, attempts = u.a, next_at = u.n, last_error = u.e, delivered_at = u.dl
			FROM unnest($1::bigint[], $2::text[], $3::int[], $4::timestamptz[], $5::text[], $6::timestamptz[])
			    AS u(id, s, a, n, e, dl)
			WHERE d.id = u.id`, ids, states, attempts, next, errs, delivered)
		return err
	})
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
	tail, args := w.sql("id DESC", p.Page)
	return collect(ctx, q.db, "list deliveries", "SELECT "+deliveryCols+" FROM deliveries"+tail, args, scanDelivery)
}

// DeliveriesRetry moves dead deliveries back to pending.
func (q *queries) DeliveriesRetry(ctx context.Context, p *store.DeliveriesRetryParams) (int, error) {
	if !p.AllDead && len(p.IDs) == 0 {
		return 0, nil
	}
	now := p.Now
	if now.IsZero() {
		now = time.Now()
	}
	// $1 is the new next_at; the conditions number their arguments after it.
	w := where{conds: []string{"state = 'dead'"}, args: []any{µs(now)}}
	if p.Connector != "" {
		w.add("connector = ?", p.Connector)
	}
	if !p.AllDead {
		w.add("id = ANY(?::bigint[])", p.IDs)
	}
	n := 0
	err := q.runtimeTx(ctx, "retry deliveries", func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, "UPDATE deliveries SET state = 'pending', attempts = 0, next_at = $1"+w.clause(), w.args...)
		n = int(tag.RowsAffected())
		return err
	})
	return n, err
}

// DeliveriesCount counts by connector and state.
func (q *queries) DeliveriesCount(ctx context.Context) ([]store.DeliveryCount, error) {
	return collect(ctx, q.db, "count deliveries",
		"SELECT connector, state, count(*)::int FROM deliveries GROUP BY connector, state ORDER BY connector, state", nil,
		func(r pgx.CollectableRow) (store.DeliveryCount, error) {
			var c store.DeliveryCount
			return c, r.Scan(&c.Connector, &c.State, &c.Count)
		})
}

func (t *txQueries) DeliveriesInsert(ctx context.Context, p *store.DeliveriesInsertParams) (int, error) {
	if err := store.CheckDeliveries(p.Deliveries); err != nil {
		return 0, fmt.Errorf("postgres: enqueue deliveries: %w", err)
	}
	return guardDo(t, ctx, p, t.queries.DeliveriesInsert)
}

func (t *txQueries) DeliveriesClaim(ctx context.Context, p *store.DeliveriesClaimParams) ([]store.Delivery, error) {
	return guardDo(t, ctx, p, t.queries.DeliveriesClaim)
}

func (t *txQueries) DeliveriesMark(ctx context.Context, p *store.DeliveriesMarkParams) error {
	return guardErr(t, ctx, p, t.queries.DeliveriesMark)
}

func (t *txQueries) DeliveriesRetry(ctx context.Context, p *store.DeliveriesRetryParams) (int, error) {
	return guardDo(t, ctx, p, t.queries.DeliveriesRetry)
}
