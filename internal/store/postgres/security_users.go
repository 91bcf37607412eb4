package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/towerops/tower/internal/store"
)

const userCols = "name, email, role, password_hash, disabled, created_at, updated_at"

// UsersUpsert writes users on their name. created_at is kept from the
// first write; an empty PasswordHash keeps the stored hash, so changing an
// e-mail or a role never signs anybody out of a password.
func (q *queries) UsersUpsert(ctx context.Context, p *store.UsersUpsertParams) error {
	err := q.try(ctx, func(tx pgx.Tx) error {
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
			_, err := tx.Exec(ctx, `INSERT INTO users (`+userCols+`) VALUES ($1, $2, $3, $4, $5, $6, $7)
				ON CONFLICT (name) DO UPDATE SET email = excluded.email, role = excluded.role,
				  password_hash = CASE WHEN excluded.password_hash = '' THEN users.password_hash ELSE excluded.password_hash END,
				  disabled = excluded.disabled, updated_at = excluded.updated_at`,
				u.Name, u.Email, string(u.Role), u.PasswordHash, u.Disabled, timeParam(created), timeParam(updated))
			if err != nil {
				return fmt.Errorf("user %s: %w", u.Name, err)
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("postgres: save users: %w", err)
	}
	return nil
}

func scanUser(r pgx.Row) (store.User, error) {
	var u store.User
	var role string
	err := r.Scan(&u.Name, &u.Email, &role, &u.PasswordHash, &u.Disabled, &u.CreatedAt, &u.UpdatedAt)
	u.Role = store.Role(role)
	u.CreatedAt, u.UpdatedAt = u.CreatedAt.UTC(), u.UpdatedAt.UTC()
	return u, err
}

// UserGet returns the user named p.Name.
func (q *queries) UserGet(ctx context.Context, p *store.UserGetParams) (*store.User, error) {
	u, err := scanUser(q.db.QueryRow(ctx, `SELECT `+userCols+` FROM users WHERE name = $1`, p.Name))
	if err != nil {
		return nil, notFound(err, "user "+p.Name)
	}
	return &u, nil
}

// UsersList lists users by name.
func (q *queries) UsersList(ctx context.Context, p *store.UsersListParams) ([]store.User, error) {
	var w where
	sql, args := w.sql("name", p.Page)
	return collect(ctx, q.db, "list users", `SELECT `+userCols+` FROM users`+sql, args,
		func(r pgx.CollectableRow) (store.User, error) { return scanUser(r) })
}
