package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/towerops/tower/internal/store"
)

const tokenCols = "id, name, user_name, role, hash, created_at, expires_at, revoked_at, last_used_at"

// TokensInsert stores new tokens; an id or hash seen before is an error.
func (q *queries) TokensInsert(ctx context.Context, p *store.TokensInsertParams) error {
	err := q.try(ctx, func(tx pgx.Tx) error {
		for _, t := range p.Tokens {
			if t.ID == "" || len(t.Hash) == 0 {
				return errors.New("a token has no id or no hash")
			}
			created := t.CreatedAt
			if created.IsZero() {
				created = time.Now()
			}
			_, err := tx.Exec(ctx, `INSERT INTO tokens (`+tokenCols+`) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
				t.ID, t.Name, t.User, string(t.Role), t.Hash, timeParam(created),
				timeParam(t.ExpiresAt), timeParam(t.RevokedAt), timeParam(t.LastUsedAt))
			if err != nil {
				return fmt.Errorf("token %s: %w", t.ID, err)
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("postgres: save tokens: %w", err)
	}
	return nil
}

func scanToken(r pgx.Row) (store.Token, error) {
	var t store.Token
	var role string
	var expires, revoked, used *time.Time
	err := r.Scan(&t.ID, &t.Name, &t.User, &role, &t.Hash, &t.CreatedAt, &expires, &revoked, &used)
	t.Role = store.Role(role)
	t.CreatedAt, t.ExpiresAt, t.RevokedAt, t.LastUsedAt = t.CreatedAt.UTC(), timeOf(expires), timeOf(revoked), timeOf(used)
	return t, err
}

// TokenGet finds a token by id, or else by hash.
func (q *queries) TokenGet(ctx context.Context, p *store.TokenGetParams) (*store.Token, error) {
	var row pgx.Row
	what := "token " + p.ID
	if p.ID != "" {
		row = q.db.QueryRow(ctx, `SELECT `+tokenCols+` FROM tokens WHERE id = $1`, p.ID)
	} else {
		what = "token"
		row = q.db.QueryRow(ctx, `SELECT `+tokenCols+` FROM tokens WHERE hash = $1`, p.Hash)
	}
	t, err := scanToken(row)
	if err != nil {
		return nil, notFound(err, what)
	}
	return &t, nil
}

// TokensList lists tokens by (created_at, id), optionally of one user.
func (q *queries) TokensList(ctx context.Context, p *store.TokensListParams) ([]store.Token, error) {
	var w where
	if p.User != "" {
		w.add("user_name = ?", p.User)
	}
	sql, args := w.sql("created_at, id", p.Page)
	return collect(ctx, q.db, "list tokens", `SELECT `+tokenCols+` FROM tokens`+sql, args,
		func(r pgx.CollectableRow) (store.Token, error) { return scanToken(r) })
}

// TokenRevoke sets revoked_at unless it is already set: the first
// revocation is the one that counts.
func (q *queries) TokenRevoke(ctx context.Context, p *store.TokenRevokeParams) error {
	return q.tokenSet(ctx, "revoke", `UPDATE tokens SET revoked_at = COALESCE(revoked_at, $1) WHERE id = $2`, p.ID, p.At)
}

// TokenUsed records the last use of a token.
func (q *queries) TokenUsed(ctx context.Context, p *store.TokenUsedParams) error {
	return q.tokenSet(ctx, "record use of", `UPDATE tokens SET last_used_at = $1 WHERE id = $2`, p.ID, p.At)
}

func (q *queries) tokenSet(ctx context.Context, verb, query, id string, at time.Time) error {
	if at.IsZero() {
		at = time.Now()
	}
	tag, err := q.db.Exec(ctx, query, timeParam(at), id)
	if err != nil {
		return fmt.Errorf("postgres: %s token %s: %w", verb, id, err)
	}
	if tag.RowsAffected() == 0 {
		return fmt.Errorf("%s token %s: %w", verb, id, store.ErrNotFound)
	}
	return nil
}
