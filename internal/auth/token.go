package auth

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base32"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/towerops/tower/internal/audit"
	"github.com/towerops/tower/internal/store"
)

// SecretPrefix starts every token secret, so secret scanners and people
// recognise a Tower token.
const SecretPrefix = "tower_"

// Token errors. Authenticate returns them wrapped; the API answers 401 for
// each without saying which, the CLI may say more.
var (
	ErrBadToken     = errors.New("not a Tower token")
	ErrUnknownToken = errors.New("unknown token")
	ErrRevokedToken = errors.New("the token was revoked")
	ErrExpiredToken = errors.New("the token has expired")
	ErrRoleTooHigh  = errors.New("a token cannot have a higher role than its user")
)

// HashSecret is what is stored for a secret.
func HashSecret(secret string) []byte {
	h := sha256.Sum256([]byte(secret))
	return h[:]
}

func newSecret() (id, secret string, err error) {
	var b [32]byte
	var i [10]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", "", fmt.Errorf("generating a token: %w", err)
	}
	if _, err := rand.Read(i[:]); err != nil {
		return "", "", fmt.Errorf("generating a token id: %w", err)
	}
	id = "tok_" + strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(i[:]))
	return id, SecretPrefix + base64.RawURLEncoding.EncodeToString(b[:]), nil
}

// NewToken is what CreateToken needs.
type NewToken struct {
	User string
	Name string     // what it is for: "ci", "laptop"
	Role store.Role // empty: the user's role
	TTL  time.Duration
}

// tokenView is a token as recorded in the audit log: never the hash.
type tokenView struct {
	ID        string     `json:"id"`
	Name      string     `json:"name"`
	User      string     `json:"user"`
	Role      store.Role `json:"role"`
	ExpiresAt *time.Time `json:"expires_at,omitempty"`
}

// CreateToken makes a token for a user and returns its secret — the only
// time it exists outside the caller — with the stored token. The token
// and its audit entry are written in one transaction.
func CreateToken(ctx context.Context, st store.Store, actor string, nt NewToken) (string, store.Token, error) {
	id, secret, err := newSecret()
	if err != nil {
		return "", store.Token{}, err
	}
	now := time.Now().UTC().Truncate(time.Microsecond)
	tok := store.Token{ID: id, Name: nt.Name, User: nt.User, Hash: HashSecret(secret), CreatedAt: now}
	if nt.TTL < 0 {
		return "", store.Token{}, fmt.Errorf("token for %s: the lifetime must be positive", nt.User)
	}
	if nt.TTL > 0 {
		tok.ExpiresAt = now.Add(nt.TTL)
	}
	err = st.InTx(ctx, func(ctx context.Context, q store.Queries) error {
		u, err := q.UserGet(ctx, &store.UserGetParams{Name: nt.User})
		if err != nil {
			return err
		}
		if u.Disabled {
			return fmt.Errorf("user %s: %w", u.Name, ErrUserDisabled)
		}
		tok.Role = u.Role
		if nt.Role != "" {
			r, err := ParseRole(string(nt.Role))
			if err != nil {
				return err
			}
			if !Allows(u.Role, r) {
				return fmt.Errorf("%w: %s is %s, the token asks for %s", ErrRoleTooHigh, u.Name, u.Role, r)
			}
			tok.Role = r
		}
		if err := q.TokensInsert(ctx, &store.TokensInsertParams{Tokens: []store.Token{tok}}); err != nil {
			return err
		}
		v := tokenView{ID: tok.ID, Name: tok.Name, User: tok.User, Role: tok.Role}
		if !tok.ExpiresAt.IsZero() {
			v.ExpiresAt = &tok.ExpiresAt
		}
		return audit.Append(ctx, q, audit.Entry{Actor: actor, Action: "token.created", Subject: "token:" + tok.ID, Data: v, At: now})
	})
	if err != nil {
		return "", store.Token{}, fmt.Errorf("creating a token for %s: %w", nt.User, err)
	}
	return secret, tok, nil
}

// RevokeToken revokes a token for good, with its audit entry. Revoking a
// revoked token changes nothing and records nothing.
func RevokeToken(ctx context.Context, st store.Store, actor, id string) error {
	err := st.InTx(ctx, func(ctx context.Context, q store.Queries) error {
		t, err := q.TokenGet(ctx, &store.TokenGetParams{ID: id})
		if err != nil {
			return err
		}
		if !t.RevokedAt.IsZero() {
			return nil
		}
		now := time.Now().UTC()
		if err := q.TokenRevoke(ctx, &store.TokenRevokeParams{ID: id, At: now}); err != nil {
			return err
		}
		return audit.Append(ctx, q, audit.Entry{Actor: actor, Action: "token.revoked", Subject: "token:" + id,
			Data: map[string]string{"user": t.User, "name": t.Name}, At: now})
	})
	if err != nil {
		return fmt.Errorf("revoking token %s: %w", id, err)
	}
	return nil
}
