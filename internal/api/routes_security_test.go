package api

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/towerops/tower/internal/audit"
	"github.com/towerops/tower/internal/auth"
	"github.com/towerops/tower/internal/store"
)

// TestSecurityRoutes drives users, tokens and the audit log through the
// API as an admin would, and checks what each step left behind.
func TestSecurityRoutes(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st := openTestStore(t)
	if _, err := auth.CreateUser(ctx, st, "system", auth.NewUser{Name: "root", Role: store.RoleAdmin}); err != nil {
		t.Fatal(err)
	}
	admin, _, err := auth.CreateToken(ctx, st, "system", auth.NewToken{User: "root", Name: "setup"})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(New(st, nil, "test").Handler())
	t.Cleanup(srv.Close)
	do := func(method, path, secret, body string, out any) int {
		t.Helper()
		req, _ := http.NewRequest(method, srv.URL+path, strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+secret)
		resp, err := srv.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		if out != nil && resp.StatusCode < 300 {
			if err := json.Unmarshal(b, out); err != nil {
				t.Fatalf("%s %s: %v in %s", method, path, err, b)
			}
		}
		if strings.Contains(string(b), "$2a$") || strings.Contains(string(b), `"Hash"`) {
			t.Errorf("%s %s leaks a hash: %s", method, path, b)
		}
		return resp.StatusCode
	}

	var u auth.UserInfo
	if c := do("POST", "/api/v1/users", admin, `{"name":"ana","role":"approver","password":"a long password"}`, &u); c != 201 || u.Name != "ana" || !u.HasPassword {
		t.Fatalf("create ana = %d %+v", c, u)
	}
	if c := do("POST", "/api/v1/users", admin, `{"name":"ana","role":"viewer"}`, nil); c != http.StatusConflict {
		t.Errorf("create ana again = %d, want 409", c)
	}
	if c := do("POST", "/api/v1/users", admin, `{"name":"bo","role":"king"}`, nil); c != http.StatusUnprocessableEntity {
		t.Errorf("unknown role = %d, want 422", c)
	}
	if c := do("POST", "/api/v1/users", admin, `{"name":"b o","role":"viewer"}`, nil); c != http.StatusBadRequest {
		t.Errorf("a name with a space = %d, want 400", c)
	}
	if c := do("POST", "/api/v1/tokens", admin, `{"user":"ana","role":"admin"}`, nil); c != http.StatusBadRequest {
		t.Errorf("token above its user's role = %d, want 400", c)
	}
	var created struct {
		Secret string
		Token  auth.TokenInfo
	}
	if c := do("POST", "/api/v1/tokens", admin, `{"user":"ana","name":"laptop","ttl":"90d"}`, &created); c != 201 || created.Token.ExpiresAt == nil {
		t.Fatalf("create token = %d %+v", c, created)
	}
	var me struct {
		User auth.UserInfo
		Role store.Role
	}
	if c := do("GET", "/api/v1/me", created.Secret, "", &me); c != 200 || me.User.Name != "ana" || me.Role != store.RoleApprover {
		t.Errorf("me = %d %+v", c, me)
	}
	var toks Page[auth.TokenInfo]
	if c := do("GET", "/api/v1/tokens?user=ana", admin, "", &toks); c != 200 || len(toks.Items) != 1 || toks.Items[0].ID != created.Token.ID {
		t.Errorf("tokens of ana = %d %+v", c, toks)
	}
	if c := do("DELETE", "/api/v1/tokens/"+created.Token.ID, admin, "", nil); c != http.StatusNoContent {
		t.Errorf("revoke = %d", c)
	}
	if c := do("GET", "/api/v1/me", created.Secret, "", nil); c != http.StatusUnauthorized {
		t.Errorf("revoked token = %d, want 401", c)
	}
	if c := do("DELETE", "/api/v1/tokens/tok_nope", admin, "", nil); c != http.StatusNotFound {
		t.Errorf("revoke unknown = %d, want 404", c)
	}

	var logPage Page[audit.ExportLine]
	if c := do("GET", "/api/v1/audit", admin, "", &logPage); c != 200 || logPage.NextCursor != "" {
		t.Fatalf("audit = %d, next cursor %q", c, logPage.NextCursor)
	}
	log := logPage.Items
	// The admin token's id is not known here; token.used names it by prefix.
	var got []string
	for _, l := range log {
		actor := l.Actor
		if l.Action == "token.used" && actor != "token:"+created.Token.ID && strings.HasPrefix(actor, "token:tok_") {
			actor = "token:ADMIN"
		}
		got = append(got, actor+" "+l.Action)
	}
	want := []string{"system user.created", "system token.created", "token:ADMIN token.used",
		"user:root user.created", "user:root token.created", "token:" + created.Token.ID + " token.used", "user:root token.revoked"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("audit log:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	var page Page[audit.ExportLine]
	if c := do("GET", "/api/v1/audit?after=5&limit=1", admin, "", &page); c != 200 || len(page.Items) != 1 || page.Items[0].Seq != 6 || page.NextCursor == "" {
		t.Errorf("audit page = %d %+v", c, page)
	}
	var next Page[audit.ExportLine]
	if c := do("GET", "/api/v1/audit?limit=1&cursor="+page.NextCursor, admin, "", &next); c != 200 || len(next.Items) != 1 || next.Items[0].Seq != 7 {
		t.Errorf("audit page after the cursor = %d %+v", c, next)
	}
	var rep audit.VerifyReport
	if c := do("GET", "/api/v1/audit/verify", admin, "", &rep); c != 200 || !rep.OK || rep.Checked != int64(len(log)) {
		t.Errorf("verify = %d %+v", c, rep)
	}
}
