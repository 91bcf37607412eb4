package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/towerops/tower/internal/store"
)

const userCols = "name, email, role, password_hash, disabled, created_at, updated_at"

// UsersUpsert writes users on their name. created_at is kept from the
// first write; an empty PasswordHash keeps the stored hash, so renaming
// an e-mail or changing a role never signs anybody out of a password.
func (q *queries) UsersUpsert(ctx context.Context, p *store.UsersUpsertParams) error {
	err := q.writeTx(ctx, func(tx *sql.Tx) error {
		for _, u := range p.Users {
			if u.Name == "" {
				return errors.New("a user has no name")
			}
			now := time.Now()
			created, updated := u.CreatedAt, u.UpdatedAt
			if created.IsZero() {
				created = now
			}
			if updated.IsZero() {
				updated = now
			}
			_, err := tx.ExecContext(ctx, `INSERT INTO users (`+userCols+`) VALUES (?, ?, ?, ?, ?, ?, ?)
				ON CONFLICT (name) DO UPDATE SET email = excluded.email, role = excluded.role,
				  password_hash = CASE WHEN excluded.password_hash = '' THEN users.password_hash ELSE excluded.password_hash END,
				  disabled = excluded.disabled, updated_at = excluded.updated_at`,
				u.Name, u.Email, string(u.Role), u.PasswordHash, u.Disabled, encTime(created), encTime(updated))
			if err != nil {
				return fmt.Errorf("user %s: %w", u.Name, err)
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("save users: %w", err)
	}
	return nil
}

func scanUser(r interface{ Scan(...any) error }) (store.User, error) {
	var u store.User
	var role string
	var created, updated sql.NullString
	if err := r.Scan(&u.Name, &u.Email, &role, &u.PasswordHash, &u.Disabled, &created, &updated); err != nil {
		return u, err
	}
	u.Role = store.Role(role)
	var err error
	if u.CreatedAt, err = decTime(created); err != nil {
		return u, err
	}
	u.UpdatedAt, err = decTime(updated)
	return u, err
}

// UserGet returns the user named p.Name.
func (q *queries) UserGet(ctx context.Context, p *store.UserGetParams) (*store.User, error) {
	u, err := scanUser(q.read.QueryRowContext(ctx, `SELECT `+userCols+` FROM users WHERE name = ?`, p.Name))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("user %s: %w", p.Name, store.ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("user %s: %w", p.Name, err)
	}
	return &u, nil
}

// UsersList lists users by name.
func (q *queries) UsersList(ctx context.Context, p *store.UsersListParams) ([]store.User, error) {
	l, o := limit(p.Page)
	out, err := list(ctx, q.read, func(r *sql.Rows) (store.User, error) { return scanUser(r) },
		`SELECT `+userCols+` FROM users ORDER BY name LIMIT ? OFFSET ?`, l, o)
	if err != nil {
		return nil, fmt.Errorf("list users: %w", err)
	}
	return out, nil
}
