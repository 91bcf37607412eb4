package main

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/towerops/tower/internal/audit"
	"github.com/towerops/tower/internal/auth"
)

// cliIn is cli with standard input.
func cliIn(t *testing.T, env map[string]string, stdin string, args ...string) (string, error) {
	t.Helper()
	var out, errb bytes.Buffer
	a := &app{stdout: &out, stderr: &errb, quiet: true,
		environ: func(k string) (string, bool) { v, ok := env[k]; return v, ok }}
	root := a.rootCommand()
	root.SetIn(strings.NewReader(stdin))
	root.SetArgs(args)
	err := root.ExecuteContext(context.Background())
	return out.String(), err
}

var secretRE = regexp.MustCompile(`tower_[A-Za-z0-9_-]{43}`)

// TestUsersTokensAudit runs the security commands on a fresh workspace,
// then tampers with the audit log behind Tower's back and checks
// tower audit verify notices and exits 1.
func TestUsersTokensAudit(t *testing.T) {
	for name, envFor := range backends(t) {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			env := envFor(t)
			ws := filepath.Join(t.TempDir(), "acme")
			mustCLI(t, env, "init", ws)
			env["TOWER_WORKSPACE"] = ws

			if out := mustCLI(t, env, "users", "create", "ana", "--role", "admin", "--email", "ana@example.com"); !strings.Contains(out, "Created user ana (admin)") {
				t.Errorf("users create printed %q", out)
			}
			if out, err := cliIn(t, env, "a long password\n", "users", "create", "bo", "--role", "Approver", "--password-stdin"); err != nil {
				t.Fatalf("users create --password-stdin: %v %s", err, out)
			}
			if _, err := cliIn(t, env, "short\n", "users", "create", "cy", "--role", "viewer", "--password-stdin"); !errors.Is(err, auth.ErrWeakPassword) {
				t.Errorf("short password: %v", err)
			}
			if _, _, err := cli(t, env, "users", "create", "ana", "--role", "viewer"); err == nil || !strings.Contains(err.Error(), "already exists") {
				t.Errorf("creating ana twice: %v", err)
			}
			if _, _, err := cli(t, env, "users", "create", "dee", "--role", "boss"); err == nil || !strings.Contains(err.Error(), "marketer") {
				t.Errorf("unknown role: %v, want the list of roles", err)
			}
			usersJSON := mustCLI(t, env, "users", "list", "--json")
			var users []auth.UserInfo
			decode(t, usersJSON, &users)
			if len(users) != 2 || users[1].Name != "bo" || !users[1].HasPassword || users[0].HasPassword {
				t.Errorf("users list: %+v", users)
			}
			if strings.Contains(usersJSON, "$2a$") {
				t.Error("users list prints a password hash")
			}

			if _, _, err := cli(t, env, "tokens", "create", "--user", "bo", "--name", "ci", "--role", "admin"); !errors.Is(err, auth.ErrRoleTooHigh) {
				t.Errorf("token above the user's role: %v", err)
			}
			if _, _, err := cli(t, env, "tokens", "create", "--user", "zed", "--name", "ci"); err == nil || !strings.Contains(err.Error(), "no user named zed") {
				t.Errorf("token for an unknown user: %v", err)
			}
			out := mustCLI(t, env, "tokens", "create", "--user", "bo", "--name", "ci", "--ttl", "30d")
			secret := secretRE.FindString(out)
			if secret == "" || !strings.Contains(out, "will not be shown again") {
				t.Fatalf("tokens create printed:\n%s", out)
			}
			listed := mustCLI(t, env, "tokens", "list", "--json")
			var toks []auth.TokenInfo
			decode(t, listed, &toks)
			if len(toks) != 1 || toks[0].User != "bo" || toks[0].Role != "approver" || toks[0].ExpiresAt == nil {
				t.Fatalf("tokens list: %+v", toks)
			}
			for _, leak := range []string{secret, "hash", "Hash"} {
				if strings.Contains(listed, leak) || strings.Contains(mustCLI(t, env, "tokens", "list"), leak) {
					t.Errorf("tokens list shows %q", leak)
				}
			}
			if out := mustCLI(t, env, "tokens", "revoke", toks[0].ID); !strings.Contains(out, "Revoked") {
				t.Errorf("revoke printed %q", out)
			}
			if txt := mustCLI(t, env, "tokens", "list"); !strings.Contains(txt, "revoked") {
				t.Errorf("tokens list after revoke:\n%s", txt)
			}
			if _, _, err := cli(t, env, "tokens", "revoke", "tok_nope"); err == nil || !strings.Contains(err.Error(), "no token tok_nope") {
				t.Errorf("revoking an unknown token: %v", err)
			}
			mustCLI(t, env, "users", "disable", "bo")

			if out := mustCLI(t, env, "audit", "verify"); !strings.Contains(out, "holds: 5 entries") {
				t.Errorf("audit verify printed %q", out)
			}
			file := filepath.Join(t.TempDir(), "audit.ndjson")
			mustCLI(t, env, "audit", "export", "--out", file)
			b, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			lines := strings.Split(strings.TrimSpace(string(b)), "\n")
			var actions []string
			for _, l := range lines {
				var e audit.ExportLine
				if err := json.Unmarshal([]byte(l), &e); err != nil {
					t.Fatalf("export line %q: %v", l, err)
				}
				actions = append(actions, e.Action)
			}
			if got := strings.Join(actions, ","); got != "user.created,user.created,token.created,token.revoked,user.disabled" {
				t.Errorf("exported actions %s", got)
			}
			if since := mustCLI(t, env, "audit", "export", "--since", "2999-01-01"); since != "" {
				t.Errorf("export since the future printed %q", since)
			}

			tamper(t, env, ws, `UPDATE audit_log SET subject = 'user:mallory' WHERE seq = 3`)
			_, _, err = cli(t, env, "audit", "verify")
			var ee exitError
			if !errors.As(err, &ee) || ee.code != 1 || !strings.Contains(ee.msg, "entry 3 was edited") {
				t.Errorf("audit verify after tampering: %v, want exit 1 naming entry 3", err)
			}
			out, _, err = cli(t, env, "audit", "verify", "--json")
			var rep audit.VerifyReport
			decode(t, out, &rep)
			if !errors.As(err, &ee) || ee.code != 1 || rep.OK || rep.Problem.Seq != 3 || rep.Checked != 2 {
				t.Errorf("audit verify --json after tampering: %+v %v", rep, err)
			}
		})
	}
}

// tamper changes the workspace database behind Tower's back.
func tamper(t *testing.T, env map[string]string, ws, query string) {
	t.Helper()
	if url := env["TOWER_DATABASE_URL"]; url != "" {
		conn, err := pgx.Connect(t.Context(), url)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close(context.Background())
		if _, err := conn.Exec(t.Context(), query); err != nil {
			t.Fatal(err)
		}
		return
	}
	db, err := sql.Open("sqlite", filepath.Join(ws, "tower.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.ExecContext(t.Context(), query); err != nil {
		t.Fatal(err)
	}
}
