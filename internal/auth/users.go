package auth

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/towerops/tower/internal/audit"
	"github.com/towerops/tower/internal/store"
)

// User errors.
var (
	ErrUserExists   = errors.New("a user with this name already exists")
	ErrUserDisabled = errors.New("the user is disabled")
	ErrBadUserName  = errors.New("user names are 1 to 64 letters, digits, '.', '_', '-' or '@'")
)

// NewUser is what CreateUser needs. Password may be empty: the user then
// signs in only with tokens.
type NewUser struct {
	Name     string
	Email    string
	Role     store.Role
	Password string
}

// userView is a user as recorded in the audit log: never the hash.
type userView struct {
	Name     string     `json:"name"`
	Email    string     `json:"email,omitempty"`
	Role     store.Role `json:"role"`
	Password bool       `json:"password"`
}

// CreateUser stores a new user and its audit entry in one transaction.
// actor is who does it ("user:NAME", "system" for the CLI on the server).
func CreateUser(ctx context.Context, st store.Store, actor string, nu NewUser) (*store.User, error) {
	if !validName(nu.Name) {
		return nil, fmt.Errorf("user %q: %w", nu.Name, ErrBadUserName)
	}
	role, err := ParseRole(string(nu.Role))
	if err != nil {
		return nil, err
	}
	u := store.User{Name: nu.Name, Email: nu.Email, Role: role}
	if nu.Password != "" {
		if u.PasswordHash, err = HashPassword(nu.Password); err != nil {
			return nil, err
		}
	}
	now := time.Now().UTC().Truncate(time.Microsecond)
	u.CreatedAt, u.UpdatedAt = now, now
	err = st.InTx(ctx, func(ctx context.Context, q store.Queries) error {
		if _, err := q.UserGet(ctx, &store.UserGetParams{Name: u.Name}); err == nil {
			return fmt.Errorf("user %s: %w", u.Name, ErrUserExists)
		} else if !errors.Is(err, store.ErrNotFound) {
			return err
		}
		if err := q.UsersUpsert(ctx, &store.UsersUpsertParams{Users: []store.User{u}}); err != nil {
			return err
		}
		return audit.Append(ctx, q, audit.Entry{Actor: actor, Action: "user.created", Subject: "user:" + u.Name,
			Data: userView{Name: u.Name, Email: u.Email, Role: u.Role, Password: u.PasswordHash != ""}, At: now})
	})
	if err != nil {
		return nil, fmt.Errorf("creating user %s: %w", nu.Name, err)
	}
	return &u, nil
}

// DisableUser stops a user and every token acting for it from calling
// Tower. It is not a deletion: the user stays in the audit log's terms.
func DisableUser(ctx context.Context, st store.Store, actor, name string) error {
	err := st.InTx(ctx, func(ctx context.Context, q store.Queries) error {
		u, err := q.UserGet(ctx, &store.UserGetParams{Name: name})
		if err != nil {
			return err
		}
		if u.Disabled {
			return nil
		}
		u.Disabled = true
		u.PasswordHash = "" // keeps the stored hash
		u.UpdatedAt = time.Now().UTC()
		if err := q.UsersUpsert(ctx, &store.UsersUpsertParams{Users: []store.User{*u}}); err != nil {
			return err
		}
		return audit.Append(ctx, q, audit.Entry{Actor: actor, Action: "user.disabled", Subject: "user:" + name})
	})
	if err != nil {
		return fmt.Errorf("disabling user %s: %w", name, err)
	}
	return nil
}

// SetPassword sets (or replaces) a user's console password, with its
// audit entry. Sessions already open stay open: disable the user to end
// them.
func SetPassword(ctx context.Context, st store.Store, actor, name, pw string) error {
	hash, err := HashPassword(pw)
	if err != nil {
		return err
	}
	err = st.InTx(ctx, func(ctx context.Context, q store.Queries) error {
		u, err := q.UserGet(ctx, &store.UserGetParams{Name: name})
		if err != nil {
			return err
		}
		if u.Disabled {
			return fmt.Errorf("user %s: %w", name, ErrUserDisabled)
		}
		u.PasswordHash = hash
		u.UpdatedAt = time.Now().UTC().Truncate(time.Microsecond)
		if err := q.UsersUpsert(ctx, &store.UsersUpsertParams{Users: []store.User{*u}}); err != nil {
			return err
		}
		return audit.Append(ctx, q, audit.Entry{Actor: actor, Action: "user.password_set", Subject: "user:" + name, At: u.UpdatedAt})
	})
	if err != nil {
		return fmt.Errorf("setting the password of %s: %w", name, err)
	}
	return nil
}

func validName(s string) bool {
	if len(s) == 0 || len(s) > 64 {
		return false
	}
	for _, r := range s {
		ok := r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' ||
			r == '.' || r == '_' || r == '-' || r == '@'
		if !ok {
			return false
		}
	}
	return true
}
