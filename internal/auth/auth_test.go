package auth_test

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/towerops/tower/internal/audit"
	"github.com/towerops/tower/internal/auth"
	"github.com/towerops/tower/internal/store"
	"github.com/towerops/tower/internal/store/postgres"
	"github.com/towerops/tower/internal/store/sqlite"
)

func stores() map[string]func(t *testing.T) store.Store {
	return map[string]func(t *testing.T) store.Store{
		"sqlite": func(t *testing.T) store.Store {
			st, err := sqlite.Open(t.Context(), filepath.Join(t.TempDir(), "tower.db"))
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { st.Close() })
			if _, err := st.MigrateUp(t.Context()); err != nil {
				t.Fatal(err)
			}
			return st
		},
		"postgres": func(t *testing.T) store.Store { return postgres.NewTestStore(t) },
	}
}

func TestAllows(t *testing.T) {
	t.Parallel()
	roles := store.Roles() // most powerful first
	for i, have := range roles {
		for j, need := range roles {
			if got, want := auth.Allows(have, need), i <= j; got != want {
				t.Errorf("Allows(%s, %s) = %v, want %v", have, need, got, want)
			}
		}
		if auth.Allows(have, "root") || auth.Allows("root", have) {
			t.Errorf("an unknown role is allowed or allows with %s", have)
		}
	}
	if auth.Allows(store.RoleMarketer, store.RoleApprover) {
		t.Error("a marketer may approve")
	}
	if _, err := auth.ParseRole("Boss"); !errors.Is(err, auth.ErrUnknownRole) || !strings.Contains(err.Error(), "viewer") {
		t.Errorf("ParseRole(Boss) = %v, want ErrUnknownRole listing the roles", err)
	}
}

func TestPasswords(t *testing.T) {
	t.Parallel()
	h, err := auth.HashPassword("correct horse battery")
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(h, "correct") || !strings.HasPrefix(h, "$2") {
		t.Errorf("hash %q is not a bcrypt hash", h)
	}
	if err := auth.CheckPassword(h, "correct horse battery"); err != nil {
		t.Errorf("right password: %v", err)
	}
	if err := auth.CheckPassword(h, "correct horse batterY"); !errors.Is(err, auth.ErrWrongPassword) {
		t.Errorf("wrong password: %v", err)
	}
	if err := auth.CheckPassword("", ""); !errors.Is(err, auth.ErrWrongPassword) {
		t.Errorf("no hash: %v", err)
	}
	if _, err := auth.HashPassword("short"); !errors.Is(err, auth.ErrWeakPassword) {
		t.Errorf("short password: %v", err)
	}
}

// actions lists the audit log's actions in order.
func actions(t *testing.T, st store.Store) []string {
	t.Helper()
	es, err := st.AuditList(t.Context(), &store.AuditListParams{})
	if err != nil {
		t.Fatal(err)
	}
	out := make([]string, len(es))
	for i, e := range es {
		out[i] = e.Action + " " + e.Subject
		if strings.Contains(string(e.Data), "$2") {
			t.Errorf("audit entry %d carries a password hash: %s", e.Seq, e.Data)
		}
	}
	return out
}

func TestUsersAndTokens(t *testing.T) {
	for name, open := range stores() {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			st := open(t)
			ctx := t.Context()
			u, err := auth.CreateUser(ctx, st, "system", auth.NewUser{Name: "ana", Role: store.RoleApprover, Password: "a long password"})
			if err != nil {
				t.Fatal(err)
			}
			if err := auth.CheckPassword(u.PasswordHash, "a long password"); err != nil {
				t.Errorf("stored password: %v", err)
			}
			if _, err := auth.CreateUser(ctx, st, "system", auth.NewUser{Name: "ana", Role: store.RoleViewer}); !errors.Is(err, auth.ErrUserExists) {
				t.Errorf("second ana: %v, want ErrUserExists", err)
			}
			if _, err := auth.CreateUser(ctx, st, "system", auth.NewUser{Name: "bad name", Role: store.RoleViewer}); !errors.Is(err, auth.ErrBadUserName) {
				t.Errorf("bad name: %v", err)
			}

			if _, _, err := auth.CreateToken(ctx, st, "user:ana", auth.NewToken{User: "ana", Role: store.RoleAdmin}); !errors.Is(err, auth.ErrRoleTooHigh) {
				t.Errorf("token above the user's role: %v, want ErrRoleTooHigh", err)
			}
			secret, tok, err := auth.CreateToken(ctx, st, "user:ana", auth.NewToken{User: "ana", Name: "ci", Role: store.RoleMarketer, TTL: time.Hour})
			if err != nil {
				t.Fatal(err)
			}
			if !strings.HasPrefix(secret, "tower_") || len(secret) != len("tower_")+43 {
				t.Errorf("secret %q does not look like tower_ + 32 bytes base64url", secret)
			}
			stored, err := st.TokenGet(ctx, &store.TokenGetParams{ID: tok.ID})
			if err != nil {
				t.Fatal(err)
			}
			if strings.Contains(string(stored.Hash), secret) || string(stored.Hash) != string(auth.HashSecret(secret)) {
				t.Error("the store does not hold exactly the SHA-256 of the secret")
			}

			a := auth.NewAuthenticator(st)
			p, err := a.Authenticate(ctx, secret)
			if err != nil {
				t.Fatal(err)
			}
			if p.User.Name != "ana" || p.Role != store.RoleMarketer || p.Token.ID != tok.ID {
				t.Errorf("principal = %+v", p)
			}
			for range 3 { // uses within a minute are recorded once
				if _, err := a.Authenticate(ctx, secret); err != nil {
					t.Fatal(err)
				}
			}
			// A second node (another Authenticator) sees the stored use.
			if _, err := auth.NewAuthenticator(st).Authenticate(ctx, secret); err != nil {
				t.Fatal(err)
			}
			used, _ := st.TokenGet(ctx, &store.TokenGetParams{ID: tok.ID})
			if used.LastUsedAt.IsZero() {
				t.Error("LastUsedAt not recorded")
			}

			other := "A"
			if strings.HasSuffix(secret, other) {
				other = "B"
			}
			for _, bad := range []string{"", "Bearer x", "tower_short", secret[:len(secret)-1] + other} {
				if _, err := a.Authenticate(ctx, bad); !errors.Is(err, auth.ErrBadToken) && !errors.Is(err, auth.ErrUnknownToken) {
					t.Errorf("Authenticate(%q) = %v, want ErrBadToken or ErrUnknownToken", bad, err)
				}
			}

			// Lowering the user's role lowers the token's.
			if err := st.UsersUpsert(ctx, &store.UsersUpsertParams{Users: []store.User{{Name: "ana", Role: store.RoleViewer}}}); err != nil {
				t.Fatal(err)
			}
			if p, err := a.Authenticate(ctx, secret); err != nil || p.Role != store.RoleViewer {
				t.Errorf("after lowering ana: %+v, %v; want viewer", p, err)
			}

			if err := auth.RevokeToken(ctx, st, "system", tok.ID); err != nil {
				t.Fatal(err)
			}
			if err := auth.RevokeToken(ctx, st, "system", tok.ID); err != nil {
				t.Fatalf("revoking twice: %v", err)
			}
			if _, err := a.Authenticate(ctx, secret); !errors.Is(err, auth.ErrRevokedToken) {
				t.Errorf("revoked token: %v", err)
			}

			s2, _, err := auth.CreateToken(ctx, st, "system", auth.NewToken{User: "ana", Name: "short"})
			if err != nil {
				t.Fatal(err)
			}
			if err := auth.DisableUser(ctx, st, "system", "ana"); err != nil {
				t.Fatal(err)
			}
			if _, err := a.Authenticate(ctx, s2); !errors.Is(err, auth.ErrUserDisabled) {
				t.Errorf("disabled user's token: %v", err)
			}
			if _, _, err := auth.CreateToken(ctx, st, "system", auth.NewToken{User: "ana"}); !errors.Is(err, auth.ErrUserDisabled) {
				t.Errorf("token for a disabled user: %v", err)
			}
			after, _ := st.UserGet(ctx, &store.UserGetParams{Name: "ana"})
			if after.PasswordHash == "" {
				t.Error("disabling a user dropped its password hash")
			}

			want := []string{
				"user.created user:ana",
				"token.created token:" + tok.ID,
				"token.used user:ana",
				"token.revoked token:" + tok.ID,
			}
			got := actions(t, st)
			// The second token was never used successfully: no token.used for it.
			if len(got) != 6 || strings.Join(got[:4], "|") != strings.Join(want, "|") ||
				!strings.HasPrefix(got[4], "token.created") || got[5] != "user.disabled user:ana" {
				t.Errorf("audit log:\n%s", strings.Join(got, "\n"))
			}
			rep, err := audit.Verify(ctx, st)
			if err != nil || !rep.OK {
				t.Errorf("verify: %+v %v", rep, err)
			}
		})
	}
}

func TestExpiredToken(t *testing.T) {
	t.Parallel()
	st := stores()["sqlite"](t)
	ctx := context.Background()
	if _, err := auth.CreateUser(ctx, st, "system", auth.NewUser{Name: "bo", Role: store.RoleViewer}); err != nil {
		t.Fatal(err)
	}
	secret, _, err := auth.CreateToken(ctx, st, "system", auth.NewToken{User: "bo", TTL: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	time.Sleep(5 * time.Millisecond)
	if _, err := auth.NewAuthenticator(st).Authenticate(ctx, secret); !errors.Is(err, auth.ErrExpiredToken) {
		t.Errorf("expired token: %v", err)
	}
}
