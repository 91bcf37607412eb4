package main

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/towerops/tower/internal/auth"
	"github.com/towerops/tower/internal/store"
)

// TestUsersPassword sets a console password both ways (generated and
// from standard input) and checks the stored hash accepts exactly that
// password, on both backends.
func TestUsersPassword(t *testing.T) {
	for name, envFor := range backends(t) {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			env := envFor(t)
			ws := filepath.Join(t.TempDir(), "acme")
			mustCLI(t, env, "init", ws)
			env["TOWER_WORKSPACE"] = ws
			mustCLI(t, env, "users", "create", "ana", "--role", "approver")

			out := mustCLI(t, env, "users", "password", "ana")
			m := regexp.MustCompile(`to: (\S{20})\n`).FindStringSubmatch(out)
			if m == nil {
				t.Fatalf("users password printed %q, want the generated password", out)
			}
			dbURL := "sqlite:" + filepath.Join(ws, "tower.db")
			if v := env["TOWER_DATABASE_URL"]; v != "" {
				dbURL = v
			}
			ctx := context.Background()
			check := func(pw string) error {
				st, err := store.Open(ctx, dbURL)
				if err != nil {
					t.Fatal(err)
				}
				defer st.Close()
				u, err := st.UserGet(ctx, &store.UserGetParams{Name: "ana"})
				if err != nil {
					t.Fatal(err)
				}
				return auth.CheckPassword(u.PasswordHash, pw)
			}
			if err := check(m[1]); err != nil {
				t.Fatalf("the generated password does not sign in: %v", err)
			}
			if _, err := cliIn(t, env, "too short\n", "users", "password", "ana", "--password-stdin"); !errors.Is(err, auth.ErrWeakPassword) {
				t.Errorf("a short password: %v, want it refused", err)
			}
			if out, err := cliIn(t, env, "a much longer password\n", "users", "password", "ana", "--password-stdin"); err != nil || strings.Contains(out, "longer") {
				t.Fatalf("--password-stdin: %v %q (the password must not be echoed)", err, out)
			}
			if err := check("a much longer password"); err != nil {
				t.Errorf("the new password does not sign in: %v", err)
			}
			if err := check(m[1]); !errors.Is(err, auth.ErrWrongPassword) {
				t.Errorf("the old password still signs in: %v", err)
			}
			if _, _, err := cli(t, env, "users", "password", "zed"); err == nil {
				t.Error("setting the password of an unknown user succeeded")
			}
			file := filepath.Join(t.TempDir(), "audit.ndjson")
			mustCLI(t, env, "audit", "export", "--out", file)
			if data, err := os.ReadFile(file); err != nil || strings.Count(string(data), "user.password_set") != 2 {
				t.Errorf("want two user.password_set audit entries (%v)", err)
			}
		})
	}
}
