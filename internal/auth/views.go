package auth

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/towerops/tower/internal/store"
)

// UserInfo is a user as shown to people and scripts: never the password
// hash.
type UserInfo struct {
	Name        string     `json:"name"`
	Email       string     `json:"email,omitempty"`
	Role        store.Role `json:"role"`
	HasPassword bool       `json:"has_password"`
	Disabled    bool       `json:"disabled"`
	CreatedAt   time.Time  `json:"created_at"`
	UpdatedAt   time.Time  `json:"updated_at"`
}

// UserInfoOf returns what may be shown of u.
func UserInfoOf(u store.User) UserInfo {
	return UserInfo{Name: u.Name, Email: u.Email, Role: u.Role, HasPassword: u.PasswordHash != "",
		Disabled: u.Disabled, CreatedAt: u.CreatedAt, UpdatedAt: u.UpdatedAt}
}

// TokenInfo is a token as shown to people and scripts: never the hash.
type TokenInfo struct {
	ID         string     `json:"id"`
	Name       string     `json:"name"`
	User       string     `json:"user"`
	Role       store.Role `json:"role"`
	CreatedAt  time.Time  `json:"created_at"`
	ExpiresAt  *time.Time `json:"expires_at,omitempty"`
	RevokedAt  *time.Time `json:"revoked_at,omitempty"`
	LastUsedAt *time.Time `json:"last_used_at,omitempty"`
}

// TokenInfoOf returns what may be shown of t.
func TokenInfoOf(t store.Token) TokenInfo {
	opt := func(tm time.Time) *time.Time {
		if tm.IsZero() {
			return nil
		}
		return &tm
	}
	return TokenInfo{ID: t.ID, Name: t.Name, User: t.User, Role: t.Role, CreatedAt: t.CreatedAt,
		ExpiresAt: opt(t.ExpiresAt), RevokedAt: opt(t.RevokedAt), LastUsedAt: opt(t.LastUsedAt)}
}

// Status says whether a token can be used now.
func (t TokenInfo) Status(now time.Time) string {
	switch {
	case t.RevokedAt != nil:
		return "revoked"
	case t.ExpiresAt != nil && !now.Before(*t.ExpiresAt):
		return "expired"
	}
	return "active"
}

// ParseTTL reads a token lifetime: "90d", "12h", "30m" (any Go duration
// plus days). "" and "0" mean no expiry.
func ParseTTL(s string) (time.Duration, error) {
	s = strings.TrimSpace(s)
	if s == "" || s == "0" {
		return 0, nil
	}
	if d, ok := strings.CutSuffix(s, "d"); ok {
		n, err := strconv.Atoi(d)
		if err != nil || n <= 0 {
			return 0, fmt.Errorf("token lifetime %q: write a number of days such as 90d, or hours such as 12h", s)
		}
		return time.Duration(n) * 24 * time.Hour, nil
	}
	v, err := time.ParseDuration(s)
	if err != nil || v <= 0 {
		return 0, fmt.Errorf("token lifetime %q: write a number of days such as 90d, or hours such as 12h", s)
	}
	return v, nil
}
