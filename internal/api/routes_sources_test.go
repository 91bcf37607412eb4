package api

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/towerops/tower/internal/auth"
	"github.com/towerops/tower/internal/ingest/collect"
	"github.com/towerops/tower/internal/store"
)

// apiClient sends requests with one bearer token to a test server.
type apiClient struct {
	t      *testing.T
	srv    *httptest.Server
	secret string
}

// do sends method path with body (none when empty), decodes a 2xx answer
// into out, and returns the status and raw body.
func (c apiClient) do(method, path, body string, out any) (int, string) {
	c.t.Helper()
	var r io.Reader
	if body != "" {
		r = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, c.srv.URL+path, r)
	if err != nil {
		c.t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+c.secret)
	resp, err := c.srv.Client().Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if out != nil && resp.StatusCode < 300 {
		if err := json.Unmarshal(b, out); err != nil {
			c.t.Fatalf("%s %s: %v in %s", method, path, err, b)
		}
	}
	return resp.StatusCode, string(b)
}

// newSecurityWorld is an empty workspace with an admin's client.
func newSecurityWorld(t *testing.T) (store.Store, apiClient) {
	t.Helper()
	ctx := context.Background()
	st := openTestStore(t)
	if _, err := auth.CreateUser(ctx, st, "system", auth.NewUser{Name: "root", Role: store.RoleAdmin}); err != nil {
		t.Fatal(err)
	}
	secret, _, err := auth.CreateToken(ctx, st, "system", auth.NewToken{User: "root", Name: "setup"})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(New(st, nil, "test").Handler())
	t.Cleanup(srv.Close)
	return st, apiClient{t: t, srv: srv, secret: secret}
}

// TestAPISources creates, lists and revokes event sources through the
// API: the write key is shown once, only its hash is stored, and no list
// shows it again.
func TestAPISources(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st, admin := newSecurityWorld(t)

	var created createdSource
	if code, body := admin.do("POST", "/api/v1/sources", `{"name":"website"}`, &created); code != http.StatusCreated ||
		!strings.HasPrefix(created.WriteKey, collect.KeyPrefix) || created.Source.Status != "active" {
		t.Fatalf("create = %d %s", code, body)
	}
	stored, err := st.SourceGet(ctx, &store.SourceGetParams{ID: created.Source.ID})
	if err != nil || !bytes.Equal(stored.KeyHash, collect.HashKey(created.WriteKey)) {
		t.Fatalf("stored source %+v (%v) does not hold the key's hash", stored, err)
	}
	if code, body := admin.do("POST", "/api/v1/sources", `{"name":"website"}`, nil); code != http.StatusConflict {
		t.Errorf("a second website = %d %s, want 409", code, body)
	}
	if code, body := admin.do("POST", "/api/v1/sources", `{"name":"my website"}`, nil); code != http.StatusBadRequest {
		t.Errorf("a name with a space = %d %s, want 400", code, body)
	}
	if code, body := admin.do("POST", "/api/v1/sources", `{"name":"app"}`, nil); code != http.StatusCreated {
		t.Fatalf("create app = %d %s", code, body)
	}
	var list Page[collect.SourceInfo]
	code, body := admin.do("GET", "/api/v1/sources", "", &list)
	if code != http.StatusOK || len(list.Items) != 2 || strings.Contains(body, created.WriteKey) {
		t.Errorf("list = %d %s", code, body)
	}
	var revoked collect.SourceInfo
	if code, body := admin.do("DELETE", "/api/v1/sources/website", "", &revoked); code != http.StatusOK ||
		revoked.Status != "revoked" || revoked.ID != created.Source.ID {
		t.Errorf("revoke = %d %s", code, body)
	}
	if code, _ := admin.do("GET", "/api/v1/sources", "", &list); code != http.StatusOK || len(list.Items) != 1 || list.Items[0].Name != "app" {
		t.Errorf("active sources after revoking = %+v", list.Items)
	}
	if code, _ := admin.do("GET", "/api/v1/sources?all=true", "", &list); code != http.StatusOK || len(list.Items) != 2 {
		t.Errorf("all sources after revoking = %+v", list.Items)
	}
	if code, body := admin.do("DELETE", "/api/v1/sources/src_nope", "", nil); code != http.StatusNotFound {
		t.Errorf("revoke unknown = %d %s, want 404", code, body)
	}
}

// TestAPIDisableUser disables a user through the API; their token stops
// working at once.
func TestAPIDisableUser(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st, admin := newSecurityWorld(t)
	if _, err := auth.CreateUser(ctx, st, "system", auth.NewUser{Name: "ana", Role: store.RoleMarketer}); err != nil {
		t.Fatal(err)
	}
	secret, _, err := auth.CreateToken(ctx, st, "system", auth.NewToken{User: "ana"})
	if err != nil {
		t.Fatal(err)
	}
	ana := apiClient{t: t, srv: admin.srv, secret: secret}
	if code, _ := ana.do("GET", "/api/v1/me", "", nil); code != http.StatusOK {
		t.Fatalf("ana before = %d", code)
	}
	var u auth.UserInfo
	if code, body := admin.do("POST", "/api/v1/users/ana/disable", "", &u); code != http.StatusOK || !u.Disabled {
		t.Fatalf("disable = %d %s", code, body)
	}
	if code, body := ana.do("GET", "/api/v1/me", "", nil); code != http.StatusUnauthorized {
		t.Errorf("ana after = %d %s, want 401", code, body)
	}
	if code, _ := admin.do("POST", "/api/v1/users/nobody/disable", "", nil); code != http.StatusNotFound {
		t.Errorf("disable unknown = %d, want 404", code)
	}
	var users Page[auth.UserInfo]
	if code, _ := admin.do("GET", "/api/v1/users?limit=1", "", &users); code != http.StatusOK || len(users.Items) != 1 || users.NextCursor == "" {
		t.Errorf("first user page = %+v", users)
	}
}

// TestAPIValidationErrors sends bodies of the wrong shape and checks each
// answer is the one error shape with details naming the field.
func TestAPIValidationErrors(t *testing.T) {
	t.Parallel()
	_, admin := newSecurityWorld(t)
	for _, tc := range []struct {
		name, body, location string
	}{
		{"a number for a name", `{"name":5,"role":"viewer"}`, "body.name"},
		{"an unknown field", `{"name":"bo","role":"viewer","colour":"red"}`, "body.colour"},
		{"an unknown role", `{"name":"bo","role":"king"}`, "body.role"},
		{"no role", `{"name":"bo"}`, "body"}, // huma names the object missing the property
	} {
		code, body := admin.do("POST", "/api/v1/users", tc.body, nil)
		var e ErrorResponse
		if err := json.Unmarshal([]byte(body), &struct {
			Error *ErrorBody `json:"error"`
		}{&e.Err}); err != nil {
			t.Fatalf("%s: %v in %s", tc.name, err, body)
		}
		if code != http.StatusUnprocessableEntity || e.Err.Code != codeInvalid || len(e.Err.Details) == 0 {
			t.Errorf("%s: %d %s, want 422 invalid with details", tc.name, code, body)
			continue
		}
		found := false
		for _, d := range e.Err.Details {
			found = found || (strings.HasPrefix(d.Location, tc.location) && d.Message != "")
		}
		if !found {
			t.Errorf("%s: details %+v do not name %s", tc.name, e.Err.Details, tc.location)
		}
	}
	if code, body := admin.do("POST", "/api/v1/users", `{"name":`, nil); code != http.StatusBadRequest && code != http.StatusUnprocessableEntity {
		t.Errorf("broken JSON = %d %s, want 400 or 422", code, body)
	} else {
		checkErrorShape(t, "broken JSON", body, codeInvalid)
	}
	if code, body := admin.do("POST", "/api/v1/users", "", nil); code != http.StatusBadRequest {
		t.Errorf("no body = %d %s, want 400", code, body)
	} else {
		checkErrorShape(t, "no body", body, codeInvalid)
	}
	big := `{"name":"` + strings.Repeat("a", 2<<20) + `","role":"viewer"}`
	if code, body := admin.do("POST", "/api/v1/users", big, nil); code != http.StatusRequestEntityTooLarge {
		t.Errorf("a 2 MB body = %d, want 413", code)
	} else {
		checkErrorShape(t, "a 2 MB body", body, codeTooLarge)
	}
}
