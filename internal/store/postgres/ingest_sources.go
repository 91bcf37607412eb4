package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/towerops/tower/internal/store"
)

const sourceCols = "id, name, key_hash, key_hint, created_by, created_at, revoked_at, last_used_at"

// SourcesInsert stores new sources. The partial unique index on the names
// of active sources decides between two nodes creating the same name at
// once: the loser gets ErrConflict, never a second active source.
func (q *queries) SourcesInsert(ctx context.Context, p *store.SourcesInsertParams) error {
	var name string
	err := q.try(ctx, func(tx pgx.Tx) error {
		for _, s := range p.Sources {
			if s.ID == "" || s.Name == "" || len(s.KeyHash) == 0 {
				return errors.New("a source needs an id, a name and a key hash")
			}
			name = s.Name
			created := s.CreatedAt
			if created.IsZero() {
				created = time.Now()
			}
			_, err := tx.Exec(ctx, `INSERT INTO sources (`+sourceCols+`) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
				s.ID, s.Name, s.KeyHash, s.KeyHint, s.CreatedBy, timeParam(created),
				timeParam(s.RevokedAt), timeParam(s.LastUsedAt))
			if err != nil {
				return err
			}
		}
		return nil
	})
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && pgErr.Code == "23505" && pgErr.ConstraintName == "sources_active_name" {
		return fmt.Errorf("a source named %q already exists: %w", name, store.ErrConflict)
	}
	if err != nil {
		return fmt.Errorf("postgres: save sources: %w", err)
	}
	return nil
}

func scanSource(r pgx.Row) (store.Source, error) {
	var s store.Source
	var revoked, used *time.Time
	err := r.Scan(&s.ID, &s.Name, &s.KeyHash, &s.KeyHint, &s.CreatedBy, &s.CreatedAt, &revoked, &used)
	s.CreatedAt, s.RevokedAt, s.LastUsedAt = s.CreatedAt.UTC(), timeOf(revoked), timeOf(used)
	return s, err
}

// SourceGet finds a source by id, else by the name of an active source,
// else by key hash.
func (q *queries) SourceGet(ctx context.Context, p *store.SourceGetParams) (*store.Source, error) {
	var row pgx.Row
	var what string
	switch {
	case p.ID != "":
		what = "source " + p.ID
		row = q.db.QueryRow(ctx, `SELECT `+sourceCols+` FROM sources WHERE id = $1`, p.ID)
	case p.Name != "":
		what = fmt.Sprintf("source %q", p.Name)
		row = q.db.QueryRow(ctx, `SELECT `+sourceCols+` FROM sources WHERE name = $1 AND revoked_at IS NULL`, p.Name)
	default:
		what = "source"
		row = q.db.QueryRow(ctx, `SELECT `+sourceCols+` FROM sources WHERE key_hash = $1`, p.KeyHash)
	}
	s, err := scanSource(row)
	if err != nil {
		return nil, notFound(err, what)
	}
	return &s, nil
}

// SourcesList lists sources by (name, created_at, id).
func (q *queries) SourcesList(ctx context.Context, p *store.SourcesListParams) ([]store.Source, error) {
	var w where
	if !p.IncludeRevoked {
		w.conds = append(w.conds, "revoked_at IS NULL")
	}
	sql, args := w.sql("name, created_at, id", p.Page)
	return collect(ctx, q.db, "list sources", `SELECT `+sourceCols+` FROM sources`+sql, args,
		func(r pgx.CollectableRow) (store.Source, error) { return scanSource(r) })
}

// SourceRevoke sets revoked_at unless it is already set: the first
// revocation is the one that counts.
func (q *queries) SourceRevoke(ctx context.Context, p *store.SourceRevokeParams) error {
	return q.sourceSet(ctx, "revoke", `UPDATE sources SET revoked_at = COALESCE(revoked_at, $1) WHERE id = $2`, p.ID, p.At)
}

// SourceUsed records the last time a source sent events.
func (q *queries) SourceUsed(ctx context.Context, p *store.SourceUsedParams) error {
	return q.sourceSet(ctx, "record use of", `UPDATE sources SET last_used_at = $1 WHERE id = $2`, p.ID, p.At)
}

func (q *queries) sourceSet(ctx context.Context, verb, query, id string, at time.Time) error {
	if at.IsZero() {
		at = time.Now()
	}
	tag, err := q.db.Exec(ctx, query, timeParam(at), id)
	if err != nil {
		return fmt.Errorf("postgres: %s source %s: %w", verb, id, err)
	}
	if tag.RowsAffected() == 0 {
		return fmt.Errorf("%s source %s: %w", verb, id, store.ErrNotFound)
	}
	return nil
}
