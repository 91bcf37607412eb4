package webhook_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/towerops/tower/internal/connect"
	"github.com/towerops/tower/internal/connect/connecttest"
	"github.com/towerops/tower/internal/connect/webhook"
	"github.com/towerops/tower/internal/connect/webhook/webhookfake"
	"github.com/towerops/tower/internal/foundation"
)

const secret = "whsec-5b1e0c77-tower-test"

func config(url string, batch int) connect.Config {
	return connect.Config{Name: "hook", File: "connectors/hook.toml", Kind: webhook.Kind, System: "shop", URL: url,
		TokenEnv: "HOOK_SECRET", BatchSize: batch}
}

func env(client *http.Client, clock connect.Clock, sec string, log *bytes.Buffer) connect.Env {
	e := connect.Env{HTTP: client, Clock: clock, Getenv: func(k string) string {
		if k == "HOOK_SECRET" {
			return sec
		}
		return ""
	}}
	if log != nil {
		e.Log = slog.New(slog.NewTextHandler(log, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	return e
}

func target() connecttest.Target {
	return connecttest.Target{
		Kind: webhook.Kind,
		New:  func(clock *connecttest.Clock) connecttest.Fake { return webhookfake.New(clock, secret) },
		Open: func(f connecttest.Fake, clock *connecttest.Clock, batch int) (connect.Connector, error) {
			fake := f.(*webhookfake.Server)
			return connect.Open(config(fake.URL(), batch), env(fake.Client(), clock, secret, nil))
		},
		Faults: true,
	}
}

func TestSuite(t *testing.T) { connecttest.Run(t, target()) }

func signed(t *testing.T, body []byte, ts time.Time, key string) http.Header {
	t.Helper()
	h := http.Header{}
	h.Set(webhook.HeaderTimestamp, strconv.FormatInt(ts.Unix(), 10))
	h.Set(webhook.HeaderSignature, webhook.Sign(key, ts.Unix(), body))
	return h
}

func TestVerify(t *testing.T) {
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	body := []byte(`{"changes":[{"key":"k1","op":"suppress"}]}`)
	good := signed(t, body, now.Add(-30*time.Second), secret)
	if err := webhook.Verify(secret, good, body, now, 0); err != nil {
		t.Fatalf("a good signature: %v", err)
	}
	tampered := bytes.Replace(body, []byte("suppress"), []byte("unsuppress"), 1)
	if err := webhook.Verify(secret, good, tampered, now, 0); !errors.Is(err, webhook.ErrBadSignature) {
		t.Errorf("tampered body: %v", err)
	}
	if err := webhook.Verify("another-secret", good, body, now, 0); !errors.Is(err, webhook.ErrBadSignature) {
		t.Errorf("wrong secret: %v", err)
	}
	stale := signed(t, body, now.Add(-6*time.Minute), secret)
	if err := webhook.Verify(secret, stale, body, now, 0); !errors.Is(err, webhook.ErrStale) {
		t.Errorf("a 6-minute-old request with the default tolerance: %v", err)
	}
	if err := webhook.Verify(secret, stale, body, now, 10*time.Minute); err != nil {
		t.Errorf("a 6-minute-old request with 10 minutes' tolerance: %v", err)
	}
	future := signed(t, body, now.Add(6*time.Minute), secret)
	if err := webhook.Verify(secret, future, body, now, 0); !errors.Is(err, webhook.ErrStale) {
		t.Errorf("a request from 6 minutes ahead: %v", err)
	}
	// Moving the timestamp invalidates the signature even when fresh.
	moved := good.Clone()
	moved.Set(webhook.HeaderTimestamp, strconv.FormatInt(now.Unix(), 10))
	if err := webhook.Verify(secret, moved, body, now, 0); !errors.Is(err, webhook.ErrBadSignature) {
		t.Errorf("timestamp changed after signing: %v", err)
	}
	if err := webhook.Verify(secret, http.Header{}, body, now, 0); !errors.Is(err, webhook.ErrUnsigned) {
		t.Errorf("no headers: %v", err)
	}
}

// The body on the wire is the documented JSON, signed over exactly those
// bytes, with an idempotency key that depends only on the change keys.
func TestWireFormat(t *testing.T) {
	clock := connecttest.NewClock(connecttest.Start)
	var got []*http.Request
	var bodies [][]byte
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b := new(bytes.Buffer)
		b.ReadFrom(r.Body)
		got, bodies = append(got, r), append(bodies, b.Bytes())
		w.WriteHeader(http.StatusNoContent)
	}))
	defer srv.Close()
	c, err := connect.Open(config(srv.URL, 0), env(srv.Client(), clock, secret, nil))
	if err != nil {
		t.Fatal(err)
	}
	changes := []connect.Change{
		{Key: "k1", Op: connect.OpMerge, SystemID: "C-2", IntoID: "C-1", Email: "a@example.com"},
		{Key: "k2", Op: connect.OpUpdateField, SystemID: "C-3", Field: "traits.plan", Value: "pro"},
	}
	for _, r := range c.Push(context.Background(), changes) {
		if r.Err != nil {
			t.Fatal(r.Err)
		}
	}
	clock.Advance(time.Hour)
	c.Push(context.Background(), changes)
	if len(got) != 2 {
		t.Fatalf("%d requests", len(got))
	}
	var p map[string][]map[string]string
	if err := json.Unmarshal(bodies[0], &p); err != nil {
		t.Fatal(err)
	}
	first := p["changes"][0]
	for k, v := range map[string]string{"key": "k1", "op": "merge", "system": "shop", "system_id": "C-2", "into_id": "C-1",
		"email": "a@example.com", "channel": "", "status": "", "reason": "", "field": "", "value": ""} {
		if got, ok := first[k]; !ok || got != v {
			t.Errorf("change field %q = %q (present %v), want %q", k, got, ok, v)
		}
	}
	if ts := got[0].Header.Get(webhook.HeaderTimestamp); ts != strconv.FormatInt(connecttest.Start.Unix(), 10) {
		t.Errorf("timestamp %s, want the clock's %d", ts, connecttest.Start.Unix())
	}
	if err := webhook.Verify(secret, got[0].Header, bodies[0], connecttest.Start, 0); err != nil {
		t.Errorf("the receiver cannot verify what was sent: %v", err)
	}
	k0, k1 := got[0].Header.Get(webhook.HeaderIdempotency), got[1].Header.Get(webhook.HeaderIdempotency)
	if k0 == "" || k0 != k1 {
		t.Errorf("idempotency keys %q and %q: want the same non-empty key for the same batch", k0, k1)
	}
	if k := webhook.IdempotencyKey(changes[:1]); k == k0 {
		t.Errorf("a different batch has the same idempotency key")
	}
	if got[0].Header.Get(webhook.HeaderSignature) == got[1].Header.Get(webhook.HeaderSignature) {
		t.Errorf("a later send carries the same signature: the timestamp is not signed")
	}
}

// The receiver's per-change answer: missing is ok, error fails that
// change alone, retry makes it retryable.
func TestPerChangeAnswer(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`{"results":[{"key":"b","status":"error","error":"locked"},{"key":"c","status":"error","error":"busy","retry":true},{"key":"d","status":"ok"}]}`))
	}))
	defer srv.Close()
	c, err := connect.Open(config(srv.URL, 0), env(srv.Client(), connecttest.NewClock(connecttest.Start), secret, nil))
	if err != nil {
		t.Fatal(err)
	}
	res := c.Push(context.Background(), []connect.Change{{Key: "a", Op: connect.OpSuppress, SystemID: "1"},
		{Key: "b", Op: connect.OpSuppress, SystemID: "2"}, {Key: "c", Op: connect.OpSuppress, SystemID: "3"}, {Key: "d", Op: connect.OpSuppress, SystemID: "4"}})
	if res[0].Err != nil || res[3].Err != nil {
		t.Errorf("ok changes failed: %v / %v", res[0].Err, res[3].Err)
	}
	if _, retry := connect.Retryable(res[1].Err); res[1].Err == nil || retry || !strings.Contains(res[1].Err.Error(), "locked") {
		t.Errorf("refused change: %v (retry %v)", res[1].Err, retry)
	}
	if _, retry := connect.Retryable(res[2].Err); !retry {
		t.Errorf("retry:true change not retryable: %v", res[2].Err)
	}
}

// A receiver with another secret refuses every push (401), permanently,
// and neither the secret nor a credential in the url shows in errors or logs.
func TestWrongSecretAndNoLeaks(t *testing.T) {
	clock := connecttest.NewClock(connecttest.Start)
	fake := webhookfake.New(clock, "the-receivers-own-secret")
	defer fake.Close()
	ids := fake.Seed([]connecttest.Seed{{Email: "a@example.com"}})
	var log bytes.Buffer
	url := fake.URL() + "?token=url-credential-4411"
	c, err := connect.Open(config(url, 0), env(fake.Client(), clock, secret, &log))
	if err != nil {
		t.Fatal(err)
	}
	res := c.Push(context.Background(), []connect.Change{{Key: "a", Op: connect.OpSuppress, SystemID: ids[0], Channel: foundation.ChannelEmail,
		Status: foundation.StatusUnsubscribed}})
	if _, retry := connect.Retryable(res[0].Err); res[0].Err == nil || retry {
		t.Fatalf("wrong secret: %v (retry %v)", res[0].Err, retry)
	}
	if !strings.Contains(res[0].Err.Error(), "HOOK_SECRET") || !strings.Contains(res[0].Err.Error(), "401") {
		t.Errorf("the error does not say what to check: %v", res[0].Err)
	}
	if fake.Unsigned() != 1 || !fake.Sendable(ids[0], foundation.ChannelEmail) {
		t.Errorf("the receiver applied an unverified push")
	}
	// A receiver that is down leaks nothing either.
	fake.Close()
	res2 := c.Push(context.Background(), []connect.Change{{Key: "b", Op: connect.OpSuppress, SystemID: ids[0]}})
	if _, retry := connect.Retryable(res2[0].Err); !retry {
		t.Errorf("no answer is not retryable: %v", res2[0].Err)
	}
	_, oerr := connect.Open(config("ftp://x:"+secret+"@host/", 0), env(nil, clock, secret, &log))
	if oerr == nil {
		t.Errorf("an ftp url was accepted")
	}
	for _, m := range []string{res[0].Err.Error(), res2[0].Err.Error(), oerr.Error(), log.String()} {
		for _, s := range []string{secret, "url-credential-4411"} {
			if strings.Contains(m, s) {
				t.Errorf("%q leaked in %q", s, m)
			}
		}
	}
}

// A push signed with a clock more than five minutes off is refused by
// the receiver; the same push on time goes through.
func TestStaleClockIsRefused(t *testing.T) {
	recvClock := connecttest.NewClock(connecttest.Start.Add(10 * time.Minute))
	fake := webhookfake.New(recvClock, secret)
	defer fake.Close()
	ids := fake.Seed([]connecttest.Seed{{Email: "a@example.com"}})
	sendClock := connecttest.NewClock(connecttest.Start)
	c, err := connect.Open(config(fake.URL(), 0), env(fake.Client(), sendClock, secret, nil))
	if err != nil {
		t.Fatal(err)
	}
	ch := connect.Change{Key: "a", Op: connect.OpSuppress, SystemID: ids[0], Channel: foundation.ChannelEmail, Status: foundation.StatusUnsubscribed}
	if res := c.Push(context.Background(), []connect.Change{ch}); res[0].Err == nil {
		t.Fatal("a push signed 10 minutes ago was accepted")
	}
	sendClock.Set(recvClock.Now())
	if res := c.Push(context.Background(), []connect.Change{ch}); res[0].Err != nil {
		t.Fatal(res[0].Err)
	}
	if fake.Sendable(ids[0], foundation.ChannelEmail) {
		t.Errorf("not suppressed")
	}
}
