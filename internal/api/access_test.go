package api

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"github.com/danielgtaylor/huma/v2"

	"github.com/towerops/tower/internal/auth"
	"github.com/towerops/tower/internal/fleet"
	"github.com/towerops/tower/internal/store"
	_ "github.com/towerops/tower/internal/store/sqlite"
)

// TestEveryRouteEnforcesItsRole walks every plain route of s.routes() and
// every operation of the huma API that Handler serves — the same lists it
// registers, not a copy — with no token, a revoked token, a token of a
// disabled user, and a token of every role, on a real loopback server. It
// fails for any route whose answer does not follow the role matrix, so a
// route added later without thought is caught.
func TestEveryRouteEnforcesItsRole(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st := openTestStore(t)
	// Give s every optional dependency (such as Fleet) that adds routes,
	// so that the walk below covers them too.
	s := New(st, nil, "test")
	s.Fleet = &Fleet{Runner: &fleet.Runner{Store: st}, Lifecycle: &fleet.Lifecycle{Store: st}}
	mux, api := s.build()
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)

	secrets := map[store.Role]string{}
	for _, r := range store.Roles() {
		name := "u-" + string(r)
		if _, err := auth.CreateUser(ctx, st, "system", auth.NewUser{Name: name, Role: r}); err != nil {
			t.Fatal(err)
		}
		sec, _, err := auth.CreateToken(ctx, st, "system", auth.NewToken{User: name, Name: "test"})
		if err != nil {
			t.Fatal(err)
		}
		secrets[r] = sec
	}
	revoked, tok, err := auth.CreateToken(ctx, st, "system", auth.NewToken{User: "u-admin", Name: "old"})
	if err != nil {
		t.Fatal(err)
	}
	if err := auth.RevokeToken(ctx, st, "system", tok.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := auth.CreateUser(ctx, st, "system", auth.NewUser{Name: "gone", Role: store.RoleAdmin}); err != nil {
		t.Fatal(err)
	}
	disabled, _, err := auth.CreateToken(ctx, st, "system", auth.NewToken{User: "gone"})
	if err != nil {
		t.Fatal(err)
	}
	if err := auth.DisableUser(ctx, st, "system", "gone"); err != nil {
		t.Fatal(err)
	}

	routes := s.routes()
	for _, op := range operations(api) {
		routes = append(routes, Route{Method: op.Method, Path: op.Path, Role: operationRole(op), Summary: op.Summary})
	}
	if len(routes) < 40 {
		t.Fatalf("only %d routes; every API operation and /metrics should be there", len(routes))
	}
	param := regexp.MustCompile(`\{[^}]+\}`)
	seen := map[string]bool{}
	for _, rt := range routes {
		pattern := rt.Method + " " + rt.Path
		if seen[pattern] {
			t.Errorf("route %s is listed twice", pattern)
		}
		seen[pattern] = true
		if rt.Role == "" {
			t.Errorf("route %s names no role (it is served admin-only; say so explicitly)", pattern)
		}
		url := srv.URL + param.ReplaceAllString(rt.Path, "x-test")
		call := func(secret string) (int, http.Header, string) {
			t.Helper()
			req, err := http.NewRequest(rt.Method, url, strings.NewReader("{}"))
			if err != nil {
				t.Fatal(err)
			}
			if secret != "" {
				req.Header.Set("Authorization", "Bearer "+secret)
			}
			resp, err := srv.Client().Do(req)
			if err != nil {
				t.Fatalf("%s: %v", pattern, err)
			}
			defer resp.Body.Close()
			b, _ := io.ReadAll(resp.Body)
			return resp.StatusCode, resp.Header, string(b)
		}
		for what, secret := range map[string]string{"no token": "", "a revoked token": revoked,
			"a disabled user's token": disabled, "a malformed token": "tower_nope"} {
			code, h, body := call(secret)
			if code != http.StatusUnauthorized || !strings.HasPrefix(h.Get("WWW-Authenticate"), "Bearer") {
				t.Errorf("%s with %s = %d (WWW-Authenticate %q), want 401 with a Bearer challenge", pattern, what, code, h.Get("WWW-Authenticate"))
			}
			checkErrorShape(t, pattern, body, "unauthorized")
		}
		for _, r := range store.Roles() {
			code, _, body := call(secrets[r])
			if auth.Allows(r, routeRole(rt)) {
				if code == http.StatusUnauthorized || code == http.StatusForbidden {
					t.Errorf("%s as %s = %d %s, want it allowed (route role %s)", pattern, r, code, body, routeRole(rt))
				}
				continue
			}
			if code != http.StatusForbidden {
				t.Errorf("%s as %s = %d, want 403 (route role %s)", pattern, r, code, routeRole(rt))
			}
			checkErrorShape(t, pattern, body, "forbidden")
		}
	}
	for _, probe := range []string{"/healthz", "/readyz"} {
		resp, err := srv.Client().Get(srv.URL + probe)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Errorf("%s without a token = %d, want 200", probe, resp.StatusCode)
		}
	}
}

func checkErrorShape(t *testing.T, pattern, body, code string) {
	t.Helper()
	var e struct {
		Error struct{ Code, Message string }
	}
	if err := json.Unmarshal([]byte(body), &e); err != nil || e.Error.Code != code || e.Error.Message == "" {
		t.Errorf("%s error body %q, want {\"error\":{\"code\":%q,\"message\":…}}", pattern, body, code)
	}
}

// operations lists every operation of api with its method and path.
func operations(api huma.API) []*huma.Operation {
	var out []*huma.Operation
	for _, item := range api.OpenAPI().Paths {
		for _, op := range []*huma.Operation{item.Get, item.Put, item.Post, item.Delete, item.Patch, item.Head, item.Options} {
			if op != nil {
				out = append(out, op)
			}
		}
	}
	return out
}
