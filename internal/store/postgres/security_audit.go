package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/towerops/tower/internal/store"
)

// auditLock serialises appends to one schema's audit log across every
// connection and node. It is a transaction-level advisory lock: it is held
// until the caller's transaction commits or rolls back — even when taken
// inside a savepoint — so no other append can read the same last entry
// before this one's rows are visible.
const auditLock = `SELECT pg_advisory_xact_lock(hashtextextended('tower.audit.' || current_schema(), 0))`

// AuditAppend appends entries to the chain while holding auditLock.
func (q *queries) AuditAppend(ctx context.Context, p *store.AuditAppendParams) ([]store.AuditEntry, error) {
	if len(p.Entries) == 0 {
		return nil, nil
	}
	if p.Hash == nil {
		return nil, errors.New("append to the audit log: no hash function given")
	}
	var out []store.AuditEntry
	err := q.try(ctx, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, auditLock); err != nil {
			return fmt.Errorf("lock the audit log: %w", err)
		}
		var seq int64
		prev := []byte{}
		err := tx.QueryRow(ctx, `SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1`).Scan(&seq, &prev)
		if err != nil && !errors.Is(err, pgx.ErrNoRows) {
			return fmt.Errorf("read the last entry: %w", err)
		}
		out = make([]store.AuditEntry, len(p.Entries))
		for i, e := range p.Entries {
			seq++
			e.Seq = seq
			if e.At.IsZero() {
				e.At = time.Now()
			}
			e.At = e.At.UTC().Truncate(time.Microsecond)
			if e.Data == nil {
				e.Data = []byte("null")
			}
			e.PrevHash = prev
			e.Hash = p.Hash(prev, e)
			if _, err := tx.Exec(ctx, `INSERT INTO audit_log (seq, at, actor, action, subject, data, prev_hash, hash)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, e.Seq, e.At, e.Actor, e.Action, e.Subject, e.Data, e.PrevHash, e.Hash); err != nil {
				return fmt.Errorf("entry %d: %w", e.Seq, err)
			}
			out[i], prev = e, e.Hash
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: append to the audit log: %w", err)
	}
	return out, nil
}

// AuditList returns entries by seq, after p.AfterSeq and at or after p.Since.
func (q *queries) AuditList(ctx context.Context, p *store.AuditListParams) ([]store.AuditEntry, error) {
	var w where
	if p.AfterSeq > 0 {
		w.add("seq > ?", p.AfterSeq)
	}
	if !p.Since.IsZero() {
		w.add("at >= ?", timeParam(p.Since))
	}
	l := p.Limit
	if l <= 0 {
		l = 1000
	}
	sql, args := w.sql("seq", store.Page{Limit: l})
	return collect(ctx, q.db, "list the audit log",
		`SELECT seq, at, actor, action, subject, data, prev_hash, hash FROM audit_log`+sql, args,
		func(r pgx.CollectableRow) (store.AuditEntry, error) {
			var e store.AuditEntry
			err := r.Scan(&e.Seq, &e.At, &e.Actor, &e.Action, &e.Subject, &e.Data, &e.PrevHash, &e.Hash)
			e.At = e.At.UTC()
			return e, err
		})
}
