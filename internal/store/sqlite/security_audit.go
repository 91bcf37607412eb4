package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/towerops/tower/internal/store"
)

// AuditAppend appends entries to the chain. The single write connection
// (BEGIN IMMEDIATE) already serialises every writer of the file, so
// reading the last entry and inserting after it inside one write
// transaction cannot interleave with another append.
func (q *queries) AuditAppend(ctx context.Context, p *store.AuditAppendParams) ([]store.AuditEntry, error) {
	if len(p.Entries) == 0 {
		return nil, nil
	}
	if p.Hash == nil {
		return nil, errors.New("append to the audit log: no hash function given")
	}
	var out []store.AuditEntry
	err := q.writeTx(ctx, func(tx *sql.Tx) error {
		var seq int64
		prev := []byte{}
		err := tx.QueryRowContext(ctx, `SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1`).Scan(&seq, &prev)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
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
			if _, err := tx.ExecContext(ctx, `INSERT INTO audit_log (seq, at, actor, action, subject, data, prev_hash, hash)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, e.Seq, encTime(e.At), e.Actor, e.Action, e.Subject, e.Data, e.PrevHash, e.Hash); err != nil {
				return fmt.Errorf("entry %d: %w", e.Seq, err)
			}
			out[i], prev = e, e.Hash
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("append to the audit log: %w", err)
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
		w.add("at >= ?", encTime(p.Since))
	}
	l := p.Limit
	if l <= 0 {
		l = 1000
	}
	out, err := list(ctx, q.read, scanAudit,
		`SELECT seq, at, actor, action, subject, data, prev_hash, hash FROM audit_log`+w.String()+` ORDER BY seq LIMIT ?`,
		append(w.args, l)...)
	if err != nil {
		return nil, fmt.Errorf("list the audit log: %w", err)
	}
	return out, nil
}

func scanAudit(r *sql.Rows) (store.AuditEntry, error) {
	var e store.AuditEntry
	var at sql.NullString
	if err := r.Scan(&e.Seq, &at, &e.Actor, &e.Action, &e.Subject, &e.Data, &e.PrevHash, &e.Hash); err != nil {
		return e, err
	}
	var err error
	e.At, err = decTime(at)
	return e, err
}
