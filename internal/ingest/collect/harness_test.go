package collect

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/towerops/tower/internal/foundation"
	"github.com/towerops/tower/internal/store"
)

// testReceived is the received time the harness's collector sees, so
// clock-skew corrections can be checked to the nanosecond.
var testReceived = time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)

// harness is a collector behind a real HTTP server on loopback, with a
// real committer writing to a real store, and one source to send as.
type harness struct {
	t   testing.TB
	st  store.Store
	url string
	key string
	src store.Source
	c   *Committer
	col *Collector
}

func newHarness(t testing.TB, st store.Store, opt Options, maxPending int) *harness {
	t.Helper()
	ctx := context.Background()
	key, src, err := CreateSource(ctx, st, "test", "website")
	if err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	c := NewCommitter(st, nil, 0, maxPending, log)
	runCtx, stop := context.WithCancel(context.Background())
	go func() { _ = c.Run(runCtx) }()
	t.Cleanup(func() { stop(); <-c.Done() })
	if opt.Now == nil {
		opt.Now = func() time.Time { return testReceived }
	}
	opt.Logger = log
	col := New(st, c, opt)
	mux := http.NewServeMux()
	col.Routes(mux, nil)
	srv := httptest.NewServer(mux)
	t.Cleanup(func() { srv.Close(); col.Close() })
	return &harness{t: t, st: st, url: srv.URL, key: key, src: src, c: c, col: col}
}

// reply is one HTTP answer, decoded.
type reply struct {
	status int
	header http.Header
	raw    string
	Answer
}

// send posts body to path with headers; Authorization defaults to HTTP
// Basic with the harness's key (set it to "" to send none).
func (h *harness) send(path string, body []byte, headers map[string]string) reply {
	h.t.Helper()
	req, err := http.NewRequest(http.MethodPost, h.url+path, bytes.NewReader(body))
	if err != nil {
		h.t.Fatal(err)
	}
	req.SetBasicAuth(h.key, "")
	req.Header.Set("Content-Type", "application/json")
	for k, v := range headers {
		if v == "" {
			req.Header.Del(k)
		} else {
			req.Header.Set(k, v)
		}
	}
	return do(h.t, req)
}

func do(t testing.TB, req *http.Request) reply {
	t.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	r := reply{status: resp.StatusCode, header: resp.Header, raw: string(b)}
	if strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
		if err := json.Unmarshal(b, &r.Answer); err != nil {
			t.Fatalf("answer is not JSON: %v\n%s", err, b)
		}
	}
	return r
}

// events returns every stored event, oldest first.
func (h *harness) events() []foundation.Event {
	h.t.Helper()
	es, err := h.st.EventsList(context.Background(), &store.EventsListParams{Page: store.Page{Limit: 10_000}})
	if err != nil {
		h.t.Fatal(err)
	}
	return es
}

func gzipped(t testing.TB, b []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	if _, err := zw.Write(b); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}
