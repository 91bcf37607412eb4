package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/towerops/tower/internal/store"
)

const tokenCols = "id, name, user_name, role, hash, created_at, expires_at, revoked_at, last_used_at"

// TokensInsert stores new tokens; an id or hash seen before is an error.
func (q *queries) TokensInsert(ctx context.Context, p *store.TokensInsertParams) error {
	err := q.writeTx(ctx, func(tx *sql.Tx) error {
		for _, t := range p.Tokens {
			if t.ID == "" || len(t.Hash) == 0 {
				return errors.New("a token has no id or no hash")
			}
			created := t.CreatedAt
			if created.IsZero() {
				created = time.Now()
			}
			_, err := tx.ExecContext(ctx, `INSERT INTO tokens (`+tokenCols+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
				t.ID, t.Name, t.User, string(t.Role), t.Hash, encTime(created),
				encTime(t.ExpiresAt), encTime(t.RevokedAt), encTime(t.LastUsedAt))
			if err != nil {
				return fmt.Errorf("token %s: %w", t.ID, err)
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("save tokens: %w", err)
	}
	return nil
}

func scanToken(r interface{ Scan(...any) error }) (store.Token, error) {
	var t store.Token
	var role string
	var times [4]sql.NullString
	if err := r.Scan(&t.ID, &t.Name, &t.User, &role, &t.Hash, &times[0], &times[1], &times[2], &times[3]); err != nil {
		return t, err
	}
	t.Role = store.Role(role)
	for i, dst := range []*time.Time{&t.CreatedAt, &t.ExpiresAt, &t.RevokedAt, &t.LastUsedAt} {
		v, err := decTime(times[i])
		if err != nil {
			return t, err
		}
		*dst = v
	}
	return t, nil
}

// TokenGet finds a token by id, or else by hash.
func (q *queries) TokenGet(ctx context.Context, p *store.TokenGetParams) (*store.Token, error) {
	var row *sql.Row
	what := "token " + p.ID
	if p.ID != "" {
		row = q.read.QueryRowContext(ctx, `SELECT `+tokenCols+` FROM tokens WHERE id = ?`, p.ID)
	} else {
		what = "token"
		row = q.read.QueryRowContext(ctx, `SELECT `+tokenCols+` FROM tokens WHERE hash = ?`, p.Hash)
	}
	t, err := scanToken(row)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("%s: %w", what, store.ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	return &t, nil
}

// TokensList lists tokens by (created_at, id), optionally of one user.
func (q *queries) TokensList(ctx context.Context, p *store.TokensListParams) ([]store.Token, error) {
	var w where
	if p.User != "" {
		w.add("user_name = ?", p.User)
	}
	out, err := list(ctx, q.read, func(r *sql.Rows) (store.Token, error) { return scanToken(r) },
		`SELECT `+tokenCols+` FROM tokens`+w.String()+` ORDER BY created_at, id LIMIT ? OFFSET ?`, w.page(p.Page)...)
	if err != nil {
		return nil, fmt.Errorf("list tokens: %w", err)
	}
	return out, nil
}

// TokenRevoke sets revoked_at unless it is already set: the first
// revocation is the one that counts.
func (q *queries) TokenRevoke(ctx context.Context, p *store.TokenRevokeParams) error {
	return q.tokenSet(ctx, "revoke", `UPDATE tokens SET revoked_at = COALESCE(revoked_at, ?) WHERE id = ?`, p.ID, p.At)
}

// TokenUsed records the last use of a token.
func (q *queries) TokenUsed(ctx context.Context, p *store.TokenUsedParams) error {
	return q.tokenSet(ctx, "record use of", `UPDATE tokens SET last_used_at = ? WHERE id = ?`, p.ID, p.At)
}

func (q *queries) tokenSet(ctx context.Context, verb, query, id string, at time.Time) error {
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
		return fmt.Errorf("%s token %s: %w", verb, id, err)
	}
	return nil
}
