package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/towerops/tower/internal/store"
)

const sourceCols = "id, name, key_hash, key_hint, created_by, created_at, revoked_at, last_used_at"

// SourcesInsert stores new sources. The name check runs in the same write
// transaction as the insert, and SQLite has one writer, so two sources can
// never both take a name; the partial unique index backs it up.
func (q *queries) SourcesInsert(ctx context.Context, p *store.SourcesInsertParams) error {
	err := q.writeTx(ctx, func(tx *sql.Tx) error {
		for _, s := range p.Sources {
			if s.ID == "" || s.Name == "" || len(s.KeyHash) == 0 {
				return errors.New("a source needs an id, a name and a key hash")
			}
			var taken int
			err := tx.QueryRowContext(ctx, `SELECT count(*) FROM sources WHERE name = ? AND revoked_at IS NULL`,
				s.Name).Scan(&taken)
			if err != nil {
				return fmt.Errorf("source %s: %w", s.Name, err)
			}
			if taken > 0 {
				return fmt.Errorf("a source named %q already exists: %w", s.Name, store.ErrConflict)
			}
			created := s.CreatedAt
			if created.IsZero() {
				created = time.Now()
			}
			_, err = tx.ExecContext(ctx, `INSERT INTO sources (`+sourceCols+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
				s.ID, s.Name, s.KeyHash, s.KeyHint, s.CreatedBy, encTime(created),
				encTime(s.RevokedAt), encTime(s.LastUsedAt))
			if err != nil {
				return fmt.Errorf("source %s: %w", s.Name, err)
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("save sources: %w", err)
	}
	return nil
}

func scanSource(r interface{ Scan(...any) error }) (store.Source, error) {
	var s store.Source
	var times [3]sql.NullString
	if err := r.Scan(&s.ID, &s.Name, &s.KeyHash, &s.KeyHint, &s.CreatedBy, &times[0], &times[1], &times[2]); err != nil {
		return s, err
	}
	for i, dst := range []*time.Time{&s.CreatedAt, &s.RevokedAt, &s.LastUsedAt} {
		v, err := decTime(times[i])
		if err != nil {
			return s, err
		}
		*dst = v
	}
	return s, nil
}

// SourceGet finds a source by id, else by the name of an active source,
// else by key hash.
func (q *queries) SourceGet(ctx context.Context, p *store.SourceGetParams) (*store.Source, error) {
	var row *sql.Row
	var what string
	switch {
	case p.ID != "":
		what = "source " + p.ID
		row = q.read.QueryRowContext(ctx, `SELECT `+sourceCols+` FROM sources WHERE id = ?`, p.ID)
	case p.Name != "":
		what = fmt.Sprintf("source %q", p.Name)
		row = q.read.QueryRowContext(ctx, `SELECT `+sourceCols+` FROM sources WHERE name = ? AND revoked_at IS NULL`, p.Name)
	default:
		what = "source"
		row = q.read.QueryRowContext(ctx, `SELECT `+sourceCols+` FROM sources WHERE key_hash = ?`, p.KeyHash)
	}
	s, err := scanSource(row)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("%s: %w", what, store.ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	return &s, nil
}

// SourcesList lists sources by (name, created_at, id).
func (q *queries) SourcesList(ctx context.Context, p *store.SourcesListParams) ([]store.Source, error) {
	var w where
	if !p.IncludeRevoked {
		w.add("revoked_at IS NULL")
	}
	out, err := list(ctx, q.read, func(r *sql.Rows) (store.Source, error) { return scanSource(r) },
		`SELECT `+sourceCols+` FROM sources`+w.String()+` ORDER BY name, created_at, id LIMIT ? OFFSET ?`, w.page(p.Page)...)
	if err != nil {
		return nil, fmt.Errorf("list sources: %w", err)
	}
	return out, nil
}

// SourceRevoke sets revoked_at unless it is already set: the first
// revocation is the one that counts.
func (q *queries) SourceRevoke(ctx context.Context, p *store.SourceRevokeParams) error {
	return q.sourceSet(ctx, "revoke", `UPDATE sources SET revoked_at = COALESCE(revoked_at, ?) WHERE id = ?`, p.ID, p.At)
}

// SourceUsed records the last time a source sent events.
func (q *queries) SourceUsed(ctx context.Context, p *store.SourceUsedParams) error {
	return q.sourceSet(ctx, "record use of", `UPDATE sources SET last_used_at = ? WHERE id = ?`, p.ID, p.At)
}

func (q *queries) sourceSet(ctx context.Context, verb, query, id string, at time.Time) error {
	if at.IsZero() {
		at = time.Now()
	}
	err := q.writeTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, query, encTime(at), id)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n == 0 {
			return store.ErrNotFound
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("%s source %s: %w", verb, id, err)
	}
	return nil
}
