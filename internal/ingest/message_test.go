package ingest

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
)

func TestParseMessageClockSkew(t *testing.T) {
	recv := time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)
	// The client's clock is 1 h 59 min 50 s behind: it sent at 10:00:10
	// (its time) an event that happened 10 s earlier.
	const msg = `{"type":"track","userId":"u1","event":"X","timestamp":"2025-06-01T10:00:00Z","sentAt":"2025-06-01T10:00:10Z"}`
	e, p := ParseMessage([]byte(msg), &Arrival{ReceivedAt: recv})
	if p != nil {
		t.Fatalf("problem: %v", p)
	}
	if want := recv.Add(-10 * time.Second); !e.Timestamp.Equal(want) {
		t.Errorf("timestamp = %s; want %s (received − (sentAt − timestamp))", e.Timestamp, want)
	}

	// The batch's sentAt applies to a message without its own; the
	// message's own wins over it.
	batchSent := time.Date(2025, 6, 1, 10, 1, 0, 0, time.UTC)
	noOwn := `{"type":"track","userId":"u1","event":"X","originalTimestamp":"2025-06-01T10:00:00Z"}`
	e, p = ParseMessage([]byte(noOwn), &Arrival{ReceivedAt: recv, SentAt: batchSent})
	if p != nil || !e.Timestamp.Equal(recv.Add(-time.Minute)) {
		t.Errorf("batch sentAt: timestamp = %s, %v; want %s", e.Timestamp, p, recv.Add(-time.Minute))
	}
	e, _ = ParseMessage([]byte(msg), &Arrival{ReceivedAt: recv, SentAt: batchSent})
	if !e.Timestamp.Equal(recv.Add(-10 * time.Second)) {
		t.Errorf("message sentAt did not win over the batch's: %s", e.Timestamp)
	}

	// Without sentAt the timestamp is kept; without a timestamp it is the
	// received time; a client's receivedAt is never believed.
	e, _ = ParseMessage([]byte(`{"type":"page","anonymousId":"a","timestamp":"2025-05-01T00:00:00Z","receivedAt":"2020-01-01T00:00:00Z"}`),
		&Arrival{ReceivedAt: recv})
	if !e.Timestamp.Equal(time.Date(2025, 5, 1, 0, 0, 0, 0, time.UTC)) || !e.ReceivedAt.Equal(recv) {
		t.Errorf("no sentAt: timestamp %s, receivedAt %s", e.Timestamp, e.ReceivedAt)
	}
	e, p = ParseMessage([]byte(`{"type":"identify","userId":"u1","sentAt":"2025-06-01T10:00:10Z"}`), &Arrival{ReceivedAt: recv})
	if p != nil || !e.Timestamp.Equal(recv) {
		t.Errorf("no timestamp: %s, %v; want the received time", e.Timestamp, p)
	}
}

func TestParseMessageEndpointType(t *testing.T) {
	recv := time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)
	e, p := ParseMessage([]byte(`{"userId":"u1","event":"Signed Up"}`), &Arrival{ReceivedAt: recv, Type: "track"})
	if p != nil || e.Type != "track" {
		t.Fatalf("type from the endpoint: %q, %v", e.Type, p)
	}
	_, p = ParseMessage([]byte(`{"type":"identify","userId":"u1"}`), &Arrival{ReceivedAt: recv, Type: "track"})
	if p == nil || p.Field != "type" || !strings.Contains(p.Reason, "sent to /v1/track; send it to /v1/identify") {
		t.Errorf("mismatch: %+v", p)
	}
	_, p = ParseMessage([]byte(`{"userId":"u1"}`), &Arrival{ReceivedAt: recv})
	if p == nil || p.Field != "type" {
		t.Errorf("batch message without type: %+v", p)
	}
}

func TestParseMessageProblems(t *testing.T) {
	recv := time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)
	tests := []struct{ name, msg, field, reason string }{
		{"BadSentAt", `{"type":"track","userId":"u","event":"X","sentAt":"yesterday"}`, "sentAt", `"yesterday" is not a date-time`},
		{"SentAtNumber", `{"type":"track","userId":"u","event":"X","sentAt":5}`, "sentAt", "must be a date-time string, not a number"},
		{"NotAnObject", `[1]`, "", "is an array, not a JSON object; each message must be an object"},
		{"BadJSON", `{"type":`, "", "is not valid JSON: unexpected end of JSON input at byte"},
		{"NotUTF8", "{\"type\":\"track\",\"userId\":\"Jos\xe9\"}", "", "is not valid UTF-8 (byte 0xE9 at byte 29 of the message)"},
		{"TrackWithoutEvent", `{"type":"track","userId":"u"}`, "event", "needs an event name"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, p := ParseMessage([]byte(tc.msg), &Arrival{ReceivedAt: recv})
			if p == nil || p.Field != tc.field || !strings.Contains(p.Reason, tc.reason) {
				t.Errorf("problem = %+v; want %q: …%q…", p, tc.field, tc.reason)
			}
		})
	}
}

func TestParseMessageBatchContext(t *testing.T) {
	recv := time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)
	batchCtx := json.RawMessage(`{"ip":"1.2.3.4","library":{"name":"batch"},"traits":{"email":"Ana@X.test"}}`)
	e, p := ParseMessage([]byte(`{"type":"track","userId":"u","event":"X","context":{"library":{"name":"own"}}}`),
		&Arrival{ReceivedAt: recv, Context: batchCtx})
	if p != nil {
		t.Fatal(p)
	}
	var got map[string]any
	if err := json.Unmarshal(e.Context, &got); err != nil {
		t.Fatal(err)
	}
	if got["ip"] != "1.2.3.4" || got["library"].(map[string]any)["name"] != "own" {
		t.Errorf("merged context = %s; want the batch's ip under the message's own library", e.Context)
	}
	if e.Email != "ana@x.test" {
		t.Errorf("email from the batch context's traits = %q", e.Email)
	}
	e, _ = ParseMessage([]byte(`{"type":"track","userId":"u","event":"X"}`), &Arrival{ReceivedAt: recv, Context: batchCtx})
	if string(e.Context) != string(batchCtx) {
		t.Errorf("context of a message without one = %s", e.Context)
	}
}

func TestParseMessageDerivedID(t *testing.T) {
	msg := []byte(`{"type":"track","userId":"u","event":"X"}`)
	a, _ := ParseMessage(msg, &Arrival{ReceivedAt: time.Unix(1, 0)})
	b, _ := ParseMessage(msg, &Arrival{ReceivedAt: time.Unix(2, 0)})
	c, _ := ParseMessage([]byte(`{"type":"track","userId":"u","event":"Y"}`), &Arrival{ReceivedAt: time.Unix(1, 0)})
	if a.MessageID == "" || a.MessageID != b.MessageID || a.MessageID == c.MessageID {
		t.Errorf("derived ids: %q %q %q; want the same bytes to give the same id, other bytes another", a.MessageID, b.MessageID, c.MessageID)
	}
}
