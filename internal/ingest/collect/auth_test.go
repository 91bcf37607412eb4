package collect

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/towerops/tower/internal/store"
	"github.com/towerops/tower/internal/store/eachbackend"
)

// TestCollectWriteKeys: the key is accepted as Basic user name, as Bearer
// and in the body; missing, unknown and revoked keys get 401 without the
// key repeated, and nothing is stored.
func TestCollectWriteKeys(t *testing.T) {
	eachbackend.Run(t, func(t *testing.T, st store.Store) {
		h := newHarness(t, st, Options{KeyCacheTTL: 50 * time.Millisecond}, 0)
		track := func(id string) []byte {
			return []byte(`{"type":"track","userId":"u1","event":"A","messageId":"` + id + `"}`)
		}
		batch := func(id, key string) []byte {
			return []byte(`{"writeKey":"` + key + `","batch":[` + string(track(id)) + `]}`)
		}
		ok := []struct {
			name, path string
			body       []byte
			headers    map[string]string
		}{
			{"basic", "/v1/track", track("k-basic"), nil},
			{"bearer", "/v1/track", track("k-bearer"), map[string]string{"Authorization": "Bearer " + h.key}},
			{"body batch", "/v1/batch", batch("k-body-batch", h.key), map[string]string{"Authorization": ""}},
			{"body single", "/v1/track", []byte(`{"writeKey":"` + h.key + `","userId":"u1","event":"A","messageId":"k-body-single"}`),
				map[string]string{"Authorization": ""}},
		}
		for _, tc := range ok {
			if r := h.send(tc.path, tc.body, tc.headers); r.status != 200 || r.Stored != 1 {
				t.Errorf("%s: %d %s", tc.name, r.status, r.raw)
			}
		}

		const wrong = "twk_notarealkeyatall"
		refused := []struct {
			name, path string
			body       []byte
			headers    map[string]string
			says       string
		}{
			{"none", "/v1/track", track("x-1"), map[string]string{"Authorization": ""}, "no write key"},
			{"unknown basic", "/v1/track", track("x-2"), map[string]string{"Authorization": basic(wrong)}, "not one of Tower's"},
			{"unknown bearer", "/v1/track", track("x-3"), map[string]string{"Authorization": "Bearer " + wrong}, "not one of Tower's"},
			{"unknown in body", "/v1/batch", batch("x-4", wrong), map[string]string{"Authorization": ""}, "not one of Tower's"},
			{"empty user", "/v1/track", track("x-5"), map[string]string{"Authorization": basic("")}, "empty user name"},
			{"other scheme", "/v1/track", track("x-6"), map[string]string{"Authorization": "Token " + h.key}, "neither HTTP Basic"},
		}
		for _, tc := range refused {
			r := h.send(tc.path, tc.body, tc.headers)
			if r.status != 401 || r.Success || r.Error == nil || r.Error.Code != "unauthorized" || !strings.Contains(r.Error.Message, tc.says) {
				t.Errorf("%s: %d %s; want 401 saying …%s…", tc.name, r.status, r.raw, tc.says)
			}
			if strings.Contains(r.raw, wrong) || strings.Contains(r.raw, h.key) {
				t.Errorf("%s: the answer repeats the key: %s", tc.name, r.raw)
			}
		}

		// A revoked key stops working once the cache forgets it.
		if _, err := RevokeSource(context.Background(), st, "test", h.src.ID); err != nil {
			t.Fatal(err)
		}
		time.Sleep(60 * time.Millisecond)
		r := h.send("/v1/track", track("after-revoke"), nil)
		if r.status != 401 || !strings.Contains(r.Error.Message, "revoked source") {
			t.Errorf("revoked: %d %s", r.status, r.raw)
		}

		got := map[string]bool{}
		for _, e := range h.events() {
			got[e.MessageID] = true
		}
		if len(got) != 4 || !got["k-basic"] || !got["k-bearer"] || !got["k-body-batch"] || !got["k-body-single"] {
			t.Errorf("stored %v; want exactly the four authenticated messages", got)
		}
	})
}

// TestCollectRecordsSourceUse: a source's last use is written (in the
// background, once a minute at most).
func TestCollectRecordsSourceUse(t *testing.T) {
	st := eachbackend.SQLite(t)
	h := newHarness(t, st, Options{}, 0)
	for i := range 3 {
		if r := h.send("/v1/track", []byte(`{"userId":"u1","event":"A","properties":{"i":`+string(rune('0'+i))+`}}`), nil); r.status != 200 {
			t.Fatalf("%d %s", r.status, r.raw)
		}
	}
	h.col.Close() // waits for the background write
	src, err := st.SourceGet(context.Background(), &store.SourceGetParams{ID: h.src.ID})
	if err != nil {
		t.Fatal(err)
	}
	if src.LastUsedAt.IsZero() || time.Since(src.LastUsedAt) > time.Minute {
		t.Errorf("last used at %s", src.LastUsedAt)
	}
	h.col.keys.mu.Lock()
	n := len(h.col.keys.used)
	h.col.keys.mu.Unlock()
	if n != 1 {
		t.Errorf("%d sources noted as used, want 1", n)
	}
}

// TestCollectPreflight: browsers ask before a cross-site POST with an
// Authorization header or gzip; the answer lets them send.
func TestCollectPreflight(t *testing.T) {
	h := newHarness(t, eachbackend.SQLite(t), Options{}, 0)
	for _, ep := range endpoints {
		req, _ := http.NewRequest(http.MethodOptions, h.url+ep.path, nil)
		req.Header.Set("Origin", "https://www.example.com")
		req.Header.Set("Access-Control-Request-Method", "POST")
		req.Header.Set("Access-Control-Request-Headers", "authorization,content-type,content-encoding")
		r := do(t, req)
		allow := strings.ToLower(r.header.Get("Access-Control-Allow-Headers"))
		if r.status != 204 || r.header.Get("Access-Control-Allow-Origin") != "*" ||
			!strings.Contains(r.header.Get("Access-Control-Allow-Methods"), "POST") ||
			!strings.Contains(allow, "authorization") || !strings.Contains(allow, "content-type") || !strings.Contains(allow, "content-encoding") {
			t.Errorf("OPTIONS %s: %d %v", ep.path, r.status, r.header)
		}
	}
	req, _ := http.NewRequest(http.MethodGet, h.url+"/v1/batch", nil)
	if r := do(t, req); r.status != http.StatusMethodNotAllowed {
		t.Errorf("GET /v1/batch: %d", r.status)
	}
}

// TestCollectBusy: when the store is behind, a request that would queue
// past the committer's limit gets 503 with Retry-After at once, while the
// request already waiting is answered 200 once its commit is done.
func TestCollectBusy(t *testing.T) {
	st := eachbackend.SQLite(t)
	h := newHarness(t, st, Options{}, 1)
	body := func(id string) []byte {
		return []byte(`{"batch":[{"type":"track","userId":"u1","event":"A","messageId":"` + id + `"}]}`)
	}
	if r := h.send("/v1/batch", body("warm"), nil); r.status != 200 { // the key is now cached
		t.Fatalf("warm-up: %d %s", r.status, r.raw)
	}
	h.col.Close()

	// Hold SQLite's only write connection, as a long transaction would.
	holding, release := make(chan struct{}), make(chan struct{})
	txDone := make(chan error, 1)
	go func() {
		txDone <- st.InTx(context.Background(), func(ctx context.Context, q store.Queries) error {
			if err := q.SourceUsed(ctx, &store.SourceUsedParams{ID: h.src.ID, At: time.Now().UTC()}); err != nil {
				return err
			}
			close(holding)
			<-release
			return nil
		})
	}()
	<-holding
	first := make(chan reply, 1)
	go func() { first <- h.send("/v1/batch", body("waits"), nil) }()
	waitPending(t, h.c, 1)

	r := h.send("/v1/batch", body("refused"), nil)
	if r.status != 503 || r.Error == nil || r.Error.Code != "busy" {
		t.Errorf("second request: %d %s; want 503", r.status, r.raw)
	}
	if ra := r.header.Get("Retry-After"); ra == "" || ra == "0" {
		t.Errorf("Retry-After = %q", ra)
	}
	select {
	case r := <-first:
		t.Fatalf("the first request was answered while its commit could not happen: %d %s", r.status, r.raw)
	default:
	}
	close(release)
	if err := <-txDone; err != nil {
		t.Fatal(err)
	}
	if r := <-first; r.status != 200 || r.Stored != 1 {
		t.Errorf("first request: %d %s", r.status, r.raw)
	}
	got := map[string]bool{}
	for _, e := range h.events() {
		got[e.MessageID] = true
	}
	if !got["warm"] || !got["waits"] || got["refused"] || len(got) != 2 {
		t.Errorf("stored %v", got)
	}
}

func basic(user string) string {
	req, _ := http.NewRequest(http.MethodGet, "http://x", nil)
	req.SetBasicAuth(user, "")
	return req.Header.Get("Authorization")
}
