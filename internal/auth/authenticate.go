package auth

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/towerops/tower/internal/audit"
	"github.com/towerops/tower/internal/store"
)

// Principal is who is calling: a user acting through a token.
type Principal struct {
	User  store.User
	Token store.Token
	// Role is the lower of the token's and the user's current role, so
	// lowering a user's role also lowers every token it made.
	Role store.Role
}

// Actor is how the principal appears in the audit log.
func (p *Principal) Actor() string { return "user:" + p.User.Name }

// UseInterval is how often a token's use is recorded at most: once a
// minute keeps "last used" useful without a write (and an audit entry)
// per request.
const UseInterval = time.Minute

// Authenticator checks token secrets. Its zero value is not usable; use
// NewAuthenticator. It is safe for concurrent use.
type Authenticator struct {
	st  store.Store
	now func() time.Time

	mu       sync.Mutex
	recorded map[string]time.Time // token id → last use recorded by this process
}

// NewAuthenticator returns an Authenticator on st.
func NewAuthenticator(st store.Store) *Authenticator {
	return &Authenticator{st: st, now: time.Now, recorded: map[string]time.Time{}}
}

// Authenticate returns the principal a secret stands for, or an error
// wrapping ErrBadToken, ErrUnknownToken, ErrRevokedToken, ErrExpiredToken
// or ErrUserDisabled. The first use in each UseInterval is recorded on the
// token (LastUsedAt) with a "token.used" audit entry, in one transaction.
func (a *Authenticator) Authenticate(ctx context.Context, secret string) (*Principal, error) {
	if !strings.HasPrefix(secret, SecretPrefix) || len(secret) < len(SecretPrefix)+40 {
		return nil, ErrBadToken
	}
	hash := HashSecret(secret)
	t, err := a.st.TokenGet(ctx, &store.TokenGetParams{Hash: hash})
	if err != nil {
		if errors.Is(err, store.ErrNotFound) {
			return nil, ErrUnknownToken
		}
		return nil, fmt.Errorf("looking up the token: %w", err)
	}
	now := a.now()
	switch {
	case !t.RevokedAt.IsZero():
		return nil, fmt.Errorf("%w (token %s)", ErrRevokedToken, t.ID)
	case !t.ExpiresAt.IsZero() && !now.Before(t.ExpiresAt):
		return nil, fmt.Errorf("%w (token %s, on %s)", ErrExpiredToken, t.ID, t.ExpiresAt.Format(time.DateOnly))
	}
	u, err := a.st.UserGet(ctx, &store.UserGetParams{Name: t.User})
	if err != nil {
		return nil, fmt.Errorf("the token's user %s: %w", t.User, err)
	}
	if u.Disabled {
		return nil, fmt.Errorf("%w (%s)", ErrUserDisabled, u.Name)
	}
	if err := a.recordUse(ctx, t, now); err != nil {
		return nil, err
	}
	return &Principal{User: *u, Token: *t, Role: Lower(t.Role, u.Role)}, nil
}

// recordUse writes LastUsedAt and a "token.used" entry unless this
// token's use was recorded less than UseInterval ago, by this process or
// (as the stored LastUsedAt shows) by another node.
func (a *Authenticator) recordUse(ctx context.Context, t *store.Token, now time.Time) error {
	a.mu.Lock()
	last := a.recorded[t.ID]
	if t.LastUsedAt.After(last) {
		last = t.LastUsedAt
	}
	if !last.IsZero() && now.Sub(last) < UseInterval {
		a.mu.Unlock()
		return nil
	}
	a.recorded[t.ID] = now
	a.mu.Unlock()
	err := a.st.InTx(ctx, func(ctx context.Context, q store.Queries) error {
		if err := q.TokenUsed(ctx, &store.TokenUsedParams{ID: t.ID, At: now}); err != nil {
			return err
		}
		return audit.Append(ctx, q, audit.Entry{Actor: "token:" + t.ID, Action: "token.used",
			Subject: "user:" + t.User, At: now})
	})
	if err != nil {
		a.mu.Lock()
		delete(a.recorded, t.ID)
		a.mu.Unlock()
		return fmt.Errorf("recording the use of token %s: %w", t.ID, err)
	}
	return nil
}
