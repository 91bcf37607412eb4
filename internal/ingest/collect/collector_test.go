package collect

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/towerops/tower/internal/store"
	"github.com/towerops/tower/internal/store/eachbackend"
)

// TestCollectEveryEndpoint sends one message to each endpoint, without a
// type (the path gives it), and finds each stored once with its source.
func TestCollectEveryEndpoint(t *testing.T) {
	eachbackend.Run(t, func(t *testing.T, st store.Store) {
		h := newHarness(t, st, Options{}, 0)
		bodies := map[string]string{
			"track":    `{"userId":"u1","event":"Signed Up","messageId":"m-track"}`,
			"identify": `{"userId":"u1","traits":{"email":"ana@x.test"},"messageId":"m-identify"}`,
			"page":     `{"anonymousId":"a1","name":"Pricing","messageId":"m-page"}`,
			"screen":   `{"anonymousId":"a1","name":"Home","messageId":"m-screen"}`,
			"group":    `{"userId":"u1","groupId":"acme","messageId":"m-group"}`,
			"alias":    `{"userId":"u1","previousId":"a1","messageId":"m-alias"}`,
		}
		for typ, body := range bodies {
			r := h.send("/v1/"+typ, []byte(body), nil)
			if r.status != 200 || !r.Success || r.Received != 1 || r.Stored != 1 || len(r.Rejected) != 0 {
				t.Fatalf("/v1/%s: %d %s", typ, r.status, r.raw)
			}
			if r.header.Get("Access-Control-Allow-Origin") != "*" {
				t.Errorf("/v1/%s: no CORS header on the answer", typ)
			}
		}
		r := h.send("/v1/batch", []byte(`{"batch":[{"type":"track","userId":"u2","event":"Trial Started","messageId":"m-batch-1"},`+
			`{"type":"page","anonymousId":"a2","messageId":"m-batch-2"}]}`), nil)
		if r.status != 200 || r.Stored != 2 {
			t.Fatalf("/v1/batch: %d %s", r.status, r.raw)
		}
		got := map[string]string{}
		for _, e := range h.events() {
			if e.Source != h.src.ID {
				t.Errorf("%s: source %q, want %q", e.MessageID, e.Source, h.src.ID)
			}
			if !e.ReceivedAt.Equal(testReceived) || !e.Timestamp.Equal(testReceived) {
				t.Errorf("%s: received %s, timestamp %s; want both %s", e.MessageID, e.ReceivedAt, e.Timestamp, testReceived)
			}
			got[e.MessageID] = string(e.Type)
		}
		for typ := range bodies {
			if got["m-"+typ] != typ {
				t.Errorf("m-%s stored as %q", typ, got["m-"+typ])
			}
		}
		if len(got) != 8 || got["m-batch-1"] != "track" || got["m-batch-2"] != "page" {
			t.Errorf("stored %v", got)
		}
	})
}

// TestCollectPartialBatch: the good messages of a batch are stored; each
// bad one is listed with its index, messageId, field and reason.
func TestCollectPartialBatch(t *testing.T) {
	eachbackend.Run(t, func(t *testing.T, st store.Store) {
		h := newHarness(t, st, Options{}, 0)
		body := `{"batch":[
			{"type":"track","userId":"u1","event":"A","messageId":"ok-1"},
			{"type":"track","userId":"u1","messageId":"no-event"},
			{"type":"click","userId":"u1","messageId":"bad-type"},
			{"type":"page","anonymousId":"a1","messageId":"ok-2","timestamp":"2026-04-30T10:00:00Z"},
			{"type":"identify","messageId":"nobody"},
			{"type":"track","userId":"u1","event":"B","timestamp":"yesterday","messageId":"bad-time"},
			5
		]}`
		r := h.send("/v1/batch", []byte(body), nil)
		if r.status != 200 || !r.Success || r.Received != 7 || r.Stored != 2 || len(r.Rejected) != 5 {
			t.Fatalf("%d %s", r.status, r.raw)
		}
		want := []Rejection{
			{1, "no-event", "event", "a track message needs an event name"},
			{2, "bad-type", "type", `"click" is not one of identify, track, page, screen, group, alias`},
			{4, "nobody", "userId", "userId and anonymousId are both missing"},
			{5, "bad-time", "timestamp", `"yesterday" is not a date-time`},
			{6, "", "", "is a number, not a JSON object"},
		}
		for i, w := range want {
			g := r.Rejected[i]
			if g.Index != w.Index || g.MessageID != w.MessageID || g.Field != w.Field || !strings.Contains(g.Reason, w.Reason) {
				t.Errorf("rejected[%d] = %+v; want %+v", i, g, w)
			}
		}
		es := h.events()
		if len(es) != 2 || es[0].MessageID != "ok-2" || es[1].MessageID != "ok-1" {
			t.Errorf("stored %+v", es)
		}

		// A batch none of whose messages pass is a 400 with the same body.
		r = h.send("/v1/batch", []byte(`{"batch":[{"type":"track","userId":"u1"}]}`), nil)
		if r.status != 400 || r.Success || r.Received != 1 || len(r.Rejected) != 1 || r.Error == nil || r.Error.Code != "invalid_message" {
			t.Errorf("all bad: %d %s", r.status, r.raw)
		}
	})
}

// TestCollectDedupeOnResend: an SDK that resends a batch (after a timeout,
// say) gets duplicates counted and nothing stored twice; a message without
// a messageId is recognised by its bytes.
func TestCollectDedupeOnResend(t *testing.T) {
	eachbackend.Run(t, func(t *testing.T, st store.Store) {
		h := newHarness(t, st, Options{}, 0)
		body := []byte(`{"batch":[{"type":"track","userId":"u1","event":"A","messageId":"d-1"},` +
			`{"type":"track","userId":"u1","event":"B","timestamp":"2026-04-30T10:00:00Z"},` +
			`{"type":"track","userId":"u1","event":"A","messageId":"d-1"}]}`)
		r := h.send("/v1/batch", body, nil)
		if r.status != 200 || r.Stored != 2 || r.Duplicates != 1 {
			t.Fatalf("first: %d %s", r.status, r.raw)
		}
		r = h.send("/v1/batch", body, nil)
		if r.status != 200 || !r.Success || r.Stored != 0 || r.Duplicates != 3 {
			t.Fatalf("resend: %d %s", r.status, r.raw)
		}
		if n := len(h.events()); n != 2 {
			t.Errorf("%d events stored, want 2", n)
		}
	})
}

// TestCollectClockSkew: a client whose clock is wrong still gets its
// events at the right time, corrected with sentAt as Segment does.
func TestCollectClockSkew(t *testing.T) {
	h := newHarness(t, eachbackend.SQLite(t), Options{}, 0)
	// The client's clock is 3 h 10 min 20 s behind; its event happened
	// 25.5 s before it sent the batch.
	body := `{"sentAt":"2026-05-01T08:49:40Z","batch":[
		{"type":"track","userId":"u1","event":"A","messageId":"skew-batch","timestamp":"2026-05-01T08:49:14.5Z"},
		{"type":"track","userId":"u1","event":"B","messageId":"skew-own","originalTimestamp":"2026-05-01T08:49:14.5Z",
		 "sentAt":"2026-05-01T08:49:15.5Z"}]}`
	r := h.send("/v1/batch", []byte(body), nil)
	if r.status != 200 || r.Stored != 2 {
		t.Fatalf("%d %s", r.status, r.raw)
	}
	want := map[string]time.Time{
		"skew-batch": testReceived.Add(-25500 * time.Millisecond),
		"skew-own":   testReceived.Add(-time.Second),
	}
	for _, e := range h.events() {
		if !e.Timestamp.Equal(want[e.MessageID]) {
			t.Errorf("%s: timestamp %s, want %s", e.MessageID, e.Timestamp, want[e.MessageID])
		}
	}
}

// TestCollectTypeMismatch: a message whose type contradicts the endpoint
// is refused with the reason, and nothing is stored.
func TestCollectTypeMismatch(t *testing.T) {
	h := newHarness(t, eachbackend.SQLite(t), Options{}, 0)
	r := h.send("/v1/track", []byte(`{"type":"identify","userId":"u1"}`), nil)
	if r.status != 400 || r.Success || len(r.Rejected) != 1 || r.Rejected[0].Field != "type" ||
		!strings.Contains(r.Rejected[0].Reason, "sent to /v1/track; send it to /v1/identify") ||
		r.Error == nil || !strings.Contains(r.Error.Message, "type is \"identify\"") {
		t.Fatalf("%d %s", r.status, r.raw)
	}
	if n := len(h.events()); n != 0 {
		t.Errorf("%d events stored", n)
	}
}

// TestCollectMalformedJSON: a body that is not JSON is refused whole,
// saying where it breaks, and nothing of it is stored.
func TestCollectMalformedJSON(t *testing.T) {
	h := newHarness(t, eachbackend.SQLite(t), Options{}, 0)
	tests := []struct{ path, body, code, says string }{
		{"/v1/batch", `{"batch":[{"type":"track","userId":"u1","event":"A"},{"type":"track",}]}`, "malformed_json",
			"invalid character '}' looking for beginning of object key string at byte 70"},
		{"/v1/batch", `{"batch":[{"type":"track","userId":"u1","event":"A"}]`, "malformed_json", "unexpected end of JSON input"},
		{"/v1/track", `{"userId":"u1","event":"A"`, "malformed_json", "unexpected end of JSON input"},
		{"/v1/batch", `{"batch":{"type":"track"}}`, "bad_batch", "batch must be an array of messages, not an object"},
		{"/v1/batch", `[{"type":"track"}]`, "malformed_json", "the body is an array, not a JSON object"},
		{"/v1/batch", `{"batch":[]}`, "empty_batch", "no messages"},
		{"/v1/batch", `{"sentAt":"soon","batch":[{"type":"track","userId":"u1","event":"A"}]}`, "bad_batch", `sentAt "soon" is not a date-time`},
		{"/v1/batch", `{"context":[1],"batch":[{"type":"track","userId":"u1","event":"A"}]}`, "bad_batch", "context must be a JSON object"},
	}
	for _, tc := range tests {
		r := h.send(tc.path, []byte(tc.body), nil)
		if r.status != 400 || r.Success || r.Error == nil || r.Error.Code != tc.code || !strings.Contains(r.Error.Message, tc.says) {
			t.Errorf("%s %s:\n%d %s\nwant 400 %s …%s…", tc.path, tc.body, r.status, r.raw, tc.code, tc.says)
		}
	}
	if n := len(h.events()); n != 0 {
		t.Errorf("%d events stored from malformed bodies", n)
	}
}

// TestCollectLimits: Segment's limits, checked after decompression; a
// gzip bomb is stopped at the limit; an oversized message is named.
func TestCollectLimits(t *testing.T) {
	h := newHarness(t, eachbackend.SQLite(t), Options{MaxBatchBytes: 4096, MaxMessageBytes: 1024}, 0)
	msg := func(id string, pad int) string {
		return fmt.Sprintf(`{"type":"track","userId":"u1","event":"A","messageId":%q,"properties":{"pad":%q}}`, id, strings.Repeat("x", pad))
	}
	big := `{"batch":[` + msg("a", 10) + "," + msg("big-one", 1100) + "]}"
	r := h.send("/v1/batch", []byte(big), nil)
	if r.status != 400 || r.Error == nil || r.Error.Code != "message_too_large" ||
		!strings.Contains(r.Error.Message, "message 1 (messageId big-one) is "+sizeText(len(msg("big-one", 1100)))+"; the limit is 1 KB per message") ||
		len(r.Rejected) != 1 || r.Rejected[0].Index != 1 || r.Rejected[0].MessageID != "big-one" {
		t.Errorf("message over the limit: %d %s", r.status, r.raw)
	}
	r = h.send("/v1/track", []byte(msg("single-big", 1100)), nil)
	if r.status != 400 || r.Error == nil || r.Error.Code != "message_too_large" || !strings.Contains(r.Error.Message, "message 0 (messageId single-big)") {
		t.Errorf("single message over the limit: %d %s", r.status, r.raw)
	}

	var parts []string
	for i := range 6 {
		parts = append(parts, msg(fmt.Sprint("m", i), 700))
	}
	tooMany := []byte(`{"batch":[` + strings.Join(parts, ",") + "]}")
	r = h.send("/v1/batch", tooMany, nil)
	if r.status != 400 || r.Error == nil || r.Error.Code != "body_too_large" || !strings.Contains(r.Error.Message, "the body is "+sizeText(len(tooMany))+"; the limit is 4 KB") {
		t.Errorf("batch over the limit: %d %s", r.status, r.raw)
	}
	r = h.send("/v1/batch", gzipped(t, tooMany), map[string]string{"Content-Encoding": "gzip"})
	if r.status != 400 || r.Error == nil || r.Error.Code != "body_too_large" || !strings.Contains(r.Error.Message, "more than 4 KB after decompression") {
		t.Errorf("gzipped batch over the limit: %d %s", r.status, r.raw)
	}
	// 64 MB of zeros gzip to about 64 KB; reading stops at the limit.
	bomb := gzipped(t, make([]byte, 64<<20))
	r = h.send("/v1/batch", bomb, map[string]string{"Content-Encoding": "gzip"})
	if r.status != 400 || r.Error == nil || r.Error.Code != "body_too_large" {
		t.Errorf("gzip bomb: %d %s", r.status, r.raw)
	}
	if n := len(h.events()); n != 0 {
		t.Errorf("%d events stored from refused requests", n)
	}
}

// TestCollectEncodings: gzip (what RudderStack always sends) is read;
// other encodings get 415; a body that claims gzip and is not, 400.
func TestCollectEncodings(t *testing.T) {
	h := newHarness(t, eachbackend.SQLite(t), Options{}, 0)
	body := []byte(`{"batch":[{"type":"track","userId":"u1","event":"A","messageId":"gz-1"}]}`)
	r := h.send("/v1/batch", gzipped(t, body), map[string]string{"Content-Encoding": "gzip"})
	if r.status != 200 || r.Stored != 1 {
		t.Fatalf("gzip: %d %s", r.status, r.raw)
	}
	r = h.send("/v1/batch", body, map[string]string{"Content-Encoding": "br"})
	if r.status != 415 || r.Error == nil || r.Error.Code != "unsupported_encoding" || !strings.Contains(r.Error.Message, `"br"`) {
		t.Errorf("br: %d %s", r.status, r.raw)
	}
	r = h.send("/v1/batch", body, map[string]string{"Content-Encoding": "gzip"})
	if r.status != 400 || r.Error == nil || r.Error.Code != "bad_gzip" {
		t.Errorf("plain body said to be gzip: %d %s", r.status, r.raw)
	}
	if n := len(h.events()); n != 1 {
		t.Errorf("%d events stored, want 1", n)
	}
}
