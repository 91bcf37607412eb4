package api

import (
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/towerops/tower/internal/auth"
	"github.com/towerops/tower/internal/foundation"
	"github.com/towerops/tower/internal/store"
	_ "github.com/towerops/tower/internal/store/sqlite"
)

// TestServerOnLoopback runs the real server on a loopback port against a
// real SQLite workspace and checks every probe, then makes the database
// disappear and checks /readyz notices.
func TestServerOnLoopback(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	st, err := store.Open(ctx, "sqlite:"+filepath.Join(t.TempDir(), "tower.db"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.MigrateUp(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := st.RecordsUpsert(ctx, &store.RecordsUpsertParams{Records: []foundation.Record{
		{System: "crm", SystemID: "1", Email: "ana@example.com"},
		{System: "esp", SystemID: "9", Email: "ANA@example.com"},
		{System: "crm", SystemID: "2", Email: "bo@example.com"},
	}}); err != nil {
		t.Fatal(err)
	}

	addrc := make(chan net.Addr, 1)
	done := make(chan error, 1)
	srv := New(st, nil, "test")
	go func() { done <- ListenAndServe(ctx, "127.0.0.1:0", srv.Handler(), func(a net.Addr) { addrc <- a }) }()
	var base string
	select {
	case a := <-addrc:
		base = "http://" + a.String()
	case err := <-done:
		t.Fatalf("server did not start: %v", err)
	case <-time.After(10 * time.Second):
		t.Fatal("server did not start in 10 s")
	}

	code, body := get(t, base+"/healthz")
	if code != 200 || !strings.Contains(body, `"ok"`) {
		t.Errorf("/healthz = %d %s", code, body)
	}
	code, body = get(t, base+"/readyz")
	var ready map[string]string
	if err := json.Unmarshal([]byte(body), &ready); code != 200 || err != nil || ready["database"] != "sqlite" {
		t.Errorf("/readyz = %d %s (%v)", code, body, err)
	}
	if code, body := get(t, base+"/metrics"); code != http.StatusUnauthorized || !strings.Contains(body, "unauthorized") {
		t.Errorf("/metrics without a token = %d %s, want 401", code, body)
	}
	if _, err := auth.CreateUser(ctx, st, "system", auth.NewUser{Name: "prom", Role: store.RoleViewer}); err != nil {
		t.Fatal(err)
	}
	secret, _, err := auth.CreateToken(ctx, st, "system", auth.NewToken{User: "prom", Name: "scraper"})
	if err != nil {
		t.Fatal(err)
	}
	code, body = getWith(t, base+"/metrics", secret)
	for _, want := range []string{
		`tower_foundation_rows{kind="people"} 2`,
		`tower_foundation_rows{kind="records"} 3`,
		`tower_database_up 1`,
		`tower_http_requests_total{code="200",route="GET /readyz"} 1`,
	} {
		if code != 200 || !strings.Contains(body, want) {
			t.Errorf("/metrics lacks %q (status %d)", want, code)
		}
	}
	if code, _ := get(t, base+"/v1/nothing-here"); code != 404 {
		t.Errorf("unknown route = %d, want 404", code)
	}

	st.Close() // the database goes away under a running server
	code, body = get(t, base+"/readyz")
	if code != http.StatusServiceUnavailable || !strings.Contains(body, "does not answer") {
		t.Errorf("/readyz with the database closed = %d %s, want 503", code, body)
	}
	if code, _ := get(t, base+"/healthz"); code != 200 {
		t.Errorf("/healthz with the database closed = %d, want 200 (the process is alive)", code)
	}

	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("shutdown: %v", err)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("server did not shut down")
	}
}

func get(t *testing.T, url string) (int, string) {
	t.Helper()
	return getWith(t, url, "")
}

// getWith sends GET url with the bearer token secret (none when empty).
func getWith(t *testing.T, url, secret string) (int, string) {
	t.Helper()
	req, err := http.NewRequest("GET", url, nil)
	if err != nil {
		t.Fatal(err)
	}
	if secret != "" {
		req.Header.Set("Authorization", "Bearer "+secret)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	return resp.StatusCode, string(b)
}
